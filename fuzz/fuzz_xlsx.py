"""Fuzz target: Excel workbooks, as whole packages and as single XML parts.

    .venv/bin/python fuzz/fuzz_xlsx.py fuzz/corpus/xlsx fuzz/seeds/xlsx -max_total_time=600
"""

from __future__ import annotations

import datetime as dt
import io

import harness
import openpyxl
from office_template import fuzzed_input, package_bytes
from openpyxl.comments import Comment


def template_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Children"
    ws.append(["Name", "Date of birth", "NHS number"])
    ws.append(["Lily Smith", dt.datetime(2014, 3, 2), 9434765919])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["C2"].number_format = "000 000 0000"
    ws["A2"].comment = Comment("moved", "Priya Shah")
    ws.oddHeader.center.text = "Smith"
    ws.row_dimensions[3].hidden = True
    ws["A3"] = "hidden"
    hidden = wb.create_sheet("Old")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "old value"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


TEMPLATE = package_bytes(template_workbook())
FUZZED_PARTS = sorted(n for n in TEMPLATE if n.endswith((".xml", ".rels", ".vml")) and n != "[Content_Types].xml")


def one_input(data: bytes) -> None:
    if data:
        harness.check(fuzzed_input(TEMPLATE, FUZZED_PARTS, data), "list.xlsx")


if __name__ == "__main__":
    harness.run(one_input)
