"""Excel workbooks: values removed from the cells as a reader sees them, and what a reader
does not see taken out: comments, hidden sheets, hidden rows and columns, defined names,
personal properties.

openpyxl loads the workbook by its cached values (formulas go: a formula's text can hold
the very value being removed, and its result would be computed again from cells that
still hold it) and writes a new package. Parts openpyxl does not keep (text boxes, pivot
caches, external links, macros) are not carried into the copy; the verifier then reads
every part of what was written.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..extract.context import ExtractContext
from ..extract.ooxml_package import Package
from ..extract.sheets import CELL_SEPARATOR
from ..extract.xlsx import displayed
from .errors import RedactionError
from .text import Operators
from .values import ValueMatcher

_PERSONAL = ("creator", "lastModifiedBy", "last_modified_by")
_FREE_TEXT = ("title", "subject", "description", "keywords", "category", "identifier", "contentStatus")


@dataclass
class XlsxReport:
    cells: int = 0
    notes: list[str] = field(default_factory=list)


def _hidden_columns(ws: Any) -> set[str]:
    from openpyxl.utils import get_column_letter

    out: set[str] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            out.update(get_column_letter(c) for c in range(dim.min, min(dim.max, 16384) + 1))
    return out


def _redact_row(cells: list[Any], matcher: ValueMatcher, operators: Operators) -> int:
    """Values found in a row as the extractor reads it (cells joined with ", "), so an address
    written across cells goes from each of them. Returns the number of cells changed."""
    shown = [displayed(cell.value, cell.number_format) for cell in cells]
    starts: list[int] = []
    pos = 0
    for text in shown:
        starts.append(pos)
        pos += len(text) + len(CELL_SEPARATOR)
    joined = CELL_SEPARATOR.join(shown)
    changed: set[int] = set()
    for m in sorted(matcher.find(joined), key=lambda m: -m.start):
        replacement = operators.replacement(m.target.entity_type, joined[m.start : m.end])
        first = True
        for i, start in enumerate(starts):
            end = start + len(shown[i])
            if end <= m.start or start >= m.end:
                continue
            lo, hi = max(m.start - start, 0), min(m.end - start, len(shown[i]))
            shown[i] = shown[i][:lo] + (replacement if first else "") + shown[i][hi:]
            first = False
            changed.add(i)
    for i in changed:
        cells[i].value = shown[i] if shown[i].strip() else None
        cells[i].number_format = "General"
    return len(changed)


def _redact_cell(cell: Any, matcher: ValueMatcher, operators: Operators) -> bool:
    value = cell.value
    if value is None:
        return False
    if isinstance(value, str):
        matches = matcher.find(value)
        if matches:
            cell.value = operators.apply(value, matches)
            return True
        return False
    shown = displayed(value, cell.number_format)
    raw = str(value)
    matches = matcher.find(shown)
    if matches or matcher.search(raw):
        # a number or a date shown as the value: the cell becomes the replacement text
        cell.value = operators.apply(shown, matches) if matches else operators.replacement(
            matcher.find(raw)[0].target.entity_type, raw)
        cell.number_format = "General"
        return True
    return False


def _header_footer(ws: Any, matcher: ValueMatcher, operators: Operators) -> int:
    changed = 0
    for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
        for part in (hf.left, hf.center, hf.right):
            if part.text:
                matches = matcher.find(part.text)
                if matches:
                    part.text = operators.apply(part.text, matches)
                    changed += 1
    return changed


def redact_xlsx(
    data: bytes, matcher: ValueMatcher, operators: Operators, hidden: ValueMatcher | None = None
) -> tuple[bytes, XlsxReport]:
    import openpyxl

    Package(data, "workbook", ExtractContext())  # the zip and XML checks, before openpyxl reads anything
    report = XlsxReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False)
        except Exception as e:
            raise RedactionError(f"the workbook could not be read for redaction ({type(e).__name__})") from e
    removed_sheets = [ws for ws in wb.worksheets if ws.sheet_state != "visible"]
    if len(removed_sheets) == len(wb.worksheets):
        raise RedactionError("every sheet of the workbook is hidden: nothing a reader sees would be left")
    for ws in removed_sheets:
        wb.remove(ws)
    if removed_sheets:
        report.notes.append(f"hidden sheets removed: {len(removed_sheets)}")
    comments = hidden_cells = 0
    for number, ws in enumerate(wb.worksheets, 1):
        if matcher.search(str(ws.title)):
            ws.title = f"Sheet{number}"
            report.notes.append(f"sheet {number} renamed: its name held a removed value")
        hidden_cols = _hidden_columns(ws)
        hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        rows: dict[int, list[Any]] = {}
        for (r, _c), cell in sorted(ws._cells.items()):
            if cell.comment is not None:
                cell.comment = None
                comments += 1
            if r in hidden_rows or cell.column_letter in hidden_cols:
                if cell.value is not None:
                    cell.value = None
                    hidden_cells += 1
                continue
            if cell.value is not None:
                rows.setdefault(r, []).append(cell)
        for cells in rows.values():
            # the row first: a value written across cells is only whole there
            report.cells += _redact_row(cells, matcher, operators)
            report.cells += sum(_redact_cell(cell, matcher, operators) for cell in cells)
        report.cells += _header_footer(ws, matcher, operators)
        for name in list(getattr(ws, "defined_names", {})):
            del ws.defined_names[name]
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    props = wb.properties
    for key in _PERSONAL:
        if hasattr(props, key):
            setattr(props, key, None)
    both = ValueMatcher([*matcher.targets, *(hidden.targets if hidden else [])])
    for key in _FREE_TEXT:
        value = getattr(props, key, None)
        if isinstance(value, str) and both.search(value):
            setattr(props, key, None)
    custom = getattr(wb, "custom_doc_props", None)
    if custom is not None and getattr(custom, "props", None):
        for prop_name in list(custom.names):
            del custom[prop_name]
        report.notes.append("custom document properties removed")
    for what, n in (("comments removed", comments), ("cells in hidden rows or columns cleared", hidden_cells),
                    ("cells redacted", report.cells)):
        if n:
            report.notes.append(f"{what}: {n}")
    report.notes.append("formulas replaced by their values; defined names removed")
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb.save(out)
    return out.getvalue(), report
