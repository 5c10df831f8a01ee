"""Redaction of spreadsheets, slides and OpenDocument: which writer, or why none.

xlsx and OpenDocument (odt, ods, odp) are written again with the values removed; a CSV
is text and goes through the text redactor. Legacy .xls and .pptx are read but not
written: there is no writer here that would carry every part of them faithfully, so the
sender is told what to save the file as instead.
"""

from __future__ import annotations

from .errors import RedactionError
from .text import Operators, redact_text_file
from .values import ValueMatcher

REFUSED = {
    "xls": "Excel 97-2003 .xls workbooks (no writer for them): save it as .xlsx and redact that",
    "pptx": "PowerPoint .pptx decks (no writer for them yet): save it as .odp, or remove the values and scan again",
}


def redact_office(
    fmt: str, data: bytes, name: str, matcher: ValueMatcher, operators: Operators, hidden: ValueMatcher | None
) -> tuple[bytes, list[str]]:
    if fmt == "xlsx":
        from .xlsx import redact_xlsx

        out, report = redact_xlsx(data, matcher, operators, hidden)
        return out, report.notes
    if fmt == "odf":
        from .odf import redact_odf

        return redact_odf(data, matcher, operators, hidden)
    if fmt == "csv":
        out, _ = redact_text_file(data, matcher, operators)
        return out, ["written back as UTF-8 text"]
    raise RedactionError(f"{name}: cannot redact {REFUSED.get(fmt, fmt + ' files')}")
