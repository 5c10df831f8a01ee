"""Spreadsheet rows as segments, the same for every spreadsheet format.

A row is one segment, its cells joined with ", ", so a "name, date of birth, address"
row attributes the way the lines of a letter do. Cells a reader does not see (a hidden
sheet, row or column, a value whose format shows nothing) go to a hidden segment of
their own, so the visible segment is exactly what the screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Segment
from .context import ExtractContext

CELL_SEPARATOR = ", "


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def header_row(cells: list[tuple[int, str, bool]]) -> dict[int, str] | None:
    """The column headers when a sheet's first row looks like one: two or more labels, none
    of them a number or a date."""
    labels = {c: t.strip() for c, t, _ in cells if t.strip()}
    if len(labels) < 2 or any(any(ch.isdigit() for ch in t) or len(t) > 60 for t in labels.values()):
        return None
    return labels


@dataclass
class SheetText:
    """Collects the segments of one workbook.

    A sheet whose first row is a row of labels ("Name", "Date of birth", "NHS number") has
    every later cell read under its column's label ("NHS number: 401 023 2137"), as a
    reader reads a table: the label is the context that tells a recogniser what the
    number is, and it stands in the row's segment because a row is read on its own.
    """

    ctx: ExtractContext
    segments: list[Segment] = field(default_factory=list)
    headers: dict[str | None, dict[int, str] | None] = field(default_factory=dict)

    def add(
        self,
        text: str,
        location: str,
        kind: str,
        *,
        hidden: bool = False,
        author: str | None = None,
        field_name: str | None = None,
    ) -> None:
        text = text.strip()
        if not text:
            return
        self.ctx.count_text(len(text))
        self.segments.append(
            Segment(text=text, location=location, kind=kind, hidden=hidden, author=author, field=field_name)
        )

    def sheet_name(self, number: int, name: str, state: str | None) -> None:
        where = f"sheet name {number}" + (f" ({state} sheet)" if state else "")
        self.add(name, where, "sheet-name", hidden=state is not None)

    def row(
        self,
        sheet: str | None,
        sheet_state: str | None,
        row: int,
        cells: list[tuple[int, str, bool]],
        *,
        row_hidden: bool = False,
    ) -> None:
        """``cells`` are (column number, text as shown, hidden) in column order; ``sheet`` is
        None for a format with one sheet and no name (CSV)."""
        if sheet not in self.headers:
            self.headers[sheet] = header_row(cells)
        else:
            labels = self.headers[sheet] or {}
            cells = [(c, f"{labels[c]}: {t}" if c in labels and t.strip() else t, h) for c, t, h in cells]
        where = f"row {row}"
        if sheet is not None:
            where = f"sheet '{sheet}'" + (f" ({sheet_state} sheet)" if sheet_state else "") + f", {where}"
        if sheet_state or row_hidden:
            texts = [t for _, t, _ in cells if t.strip()]
            label = where if sheet_state else f"{where} (hidden row)"
            self.add(CELL_SEPARATOR.join(texts), label, "table", hidden=True)
            return
        shown = [t for _, t, hidden in cells if not hidden and t.strip()]
        unseen = [(c, t) for c, t, hidden in cells if hidden and t.strip()]
        self.add(CELL_SEPARATOR.join(shown), where, "table")
        if unseen:
            columns = ", ".join(column_letter(c) for c, _ in unseen)
            self.add(
                CELL_SEPARATOR.join(t for _, t in unseen), f"{where}, not shown (columns {columns})", "table",
                hidden=True,
            )
