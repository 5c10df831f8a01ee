"""Excel workbooks (.xlsx, .xlsm, .xltx, .xltm): every cell as a reader sees it.

openpyxl reads the workbook (it is the kept library that has cell formats, comments,
hidden state, headers and footers and defined names; python-calamine is faster but keeps
none of those: bench/bench_spreadsheets.py measures both). Cells holding formulas are
read by their cached value, as Excel shows them. The package is first read through the
zip and XML checks of :mod:`ooxml_package`, and every part openpyxl does not read (text
boxes, charts, pivot caches, threaded comments, external links...) is collected by the
closed world's remainder.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import warnings
from typing import Any

from ..errors import ExtractionError, LimitExceeded
from ..model import Document
from .context import ExtractContext
from .format import Format
from .image import media_pictures
from .numfmt import format_date, format_number, general, hides_value
from .ole2 import looks_like_ole2
from .ooxml_package import Package
from .pptx import A, paragraph_text
from .sheets import SheetText, column_letter
from .xmlsafe import local_name
from .zipsafe import looks_like_zip, zip_names

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DEFAULT_DATE = "dd/mm/yyyy"
_DEFAULT_DATETIME = "dd/mm/yyyy hh:mm"
_DEFAULT_TIME = "hh:mm:ss"
# Parts openpyxl reads for us (the cells, strings, styles, legacy comments, properties) and
# parts that hold no text of their own.
_READ_BY_OPENPYXL = ("xl/worksheets/sheet", "xl/comments", "xl/sharedStrings.xml", "xl/styles.xml",
                     "xl/workbook.xml", "docProps/core.xml", "docProps/custom.xml", "xl/drawings/vmlDrawing",
                     "xl/drawings/commentsDrawing", "xl/calcChain.xml", "[Content_Types].xml")
_NO_TEXT = ("xl/theme/", "xl/printerSettings/", "docProps/thumbnail", "xl/media/")
_PROPERTIES = ("creator", "lastModifiedBy", "title", "subject", "keywords", "description", "category",
               "contentStatus", "identifier", "version")
_APP_FIELDS = ("Company", "Manager")


def looks_like_xlsx(data: bytes) -> bool:
    names = zip_names(data)
    if names is None:
        return looks_like_zip(data) and b"[Content_Types].xml" in data[:4096] and b"xl/" in data
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def displayed(value: Any, number_format: str | None) -> str:
    """A cell's value as shown under its number format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return general(value)
    if isinstance(value, dt.datetime):
        code = number_format if number_format and number_format.lower() != "general" else None
        default = _DEFAULT_DATE if value.time() == dt.time() else _DEFAULT_DATETIME
        return format_date(value, code or default)
    if isinstance(value, dt.date):
        return format_date(value, number_format if number_format and number_format.lower() != "general"
                           else _DEFAULT_DATE)
    if isinstance(value, dt.time):
        return format_date(value, _DEFAULT_TIME)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, number_format)
    return str(value)


def _raw(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return general(value)
    return "" if value is None else str(value)


def _state(ws: Any) -> str | None:
    """None for a visible sheet, else how it is hidden ("hidden", "very hidden")."""
    state = str(ws.sheet_state)
    return None if state == "visible" else "very hidden" if state == "veryHidden" else "hidden"


def _hidden_columns(ws: Any) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min, min(dim.max, 16384) + 1))
    return hidden


def _sheet(ws: Any, out: SheetText) -> None:
    title = str(ws.title)
    state = _state(ws)
    hidden_cols = _hidden_columns(ws)
    hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    rows: dict[int, list[tuple[int, str, bool]]] = {}
    unseen_values: list[str] = []
    # openpyxl keeps only the cells the sheet defines; iter_rows() would create every empty one
    for (r, c), cell in sorted(ws._cells.items()):
        value = cell.value
        if value is None:
            continue
        code = cell.number_format
        if hides_value(code):
            unseen_values.append(f"{column_letter(c)}{r}: {_raw(value)}")
            continue
        rows.setdefault(r, []).append((c, displayed(value, code), c in hidden_cols))
        if cell.comment is not None and cell.comment.text:
            out.add(cell.comment.text, f"sheet '{title}', comment on {column_letter(c)}{r}", "comment",
                    hidden=True, author=cell.comment.author or None)
    for r, cells in rows.items():
        out.row(title, state, r, cells, row_hidden=r in hidden_rows)
    if unseen_values:
        out.add("\n".join(unseen_values), f"sheet '{title}', cells whose format shows nothing", "hidden-text",
                hidden=True)
    for what, header_footer in (("header", ws.oddHeader), ("footer", ws.oddFooter), ("first-page header",
                                ws.firstHeader), ("first-page footer", ws.firstFooter),
                                ("even-page header", ws.evenHeader), ("even-page footer", ws.evenFooter)):
        parts = [p.text for p in (header_footer.left, header_footer.center, header_footer.right) if p.text]
        kind = "footer" if "footer" in what else "header"
        out.add("\n".join(parts), f"sheet '{title}', {what}", kind, hidden=bool(state))
    for name, defined in getattr(ws, "defined_names", {}).items():
        out.add(f"{name}: {defined.attr_text}", f"sheet '{title}', defined name", "metadata", hidden=True)


def _workbook_metadata(wb: Any, pkg: Package, out: SheetText) -> None:
    for name, defined in wb.defined_names.items():
        out.add(f"{name}: {defined.attr_text}", "defined name", "metadata", hidden=True)
    props = wb.properties
    for key in _PROPERTIES:
        value = getattr(props, key, None)
        if isinstance(value, str):
            out.add(value, f"document property: {key}", "metadata", hidden=True, field_name=key)
    custom = getattr(wb, "custom_doc_props", None)
    for prop in getattr(custom, "props", []) or []:
        out.add(f"{prop.name}: {prop.value}", f"custom property: {prop.name}", "metadata", hidden=True)
    app = pkg.parse("docProps/app.xml")
    if app is not None:
        for el in app:
            tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if tag in _APP_FIELDS and el.text:
                out.add(el.text, f"document property: {tag}", "metadata", hidden=True, field_name=tag)


def _drawings(pkg: Package, out: SheetText) -> None:
    """Text boxes and shapes drawn over the sheets, charts' titles and labels: on the sheet
    for anyone to see; alt text of pictures and shapes is hidden."""
    for part in sorted(pkg.blobs):
        folder, base = posixpath.split(part)
        if folder == "xl/drawings" and base.startswith("drawing") and base.endswith(".xml"):
            root = pkg.parse(part)
            if root is None:
                continue
            for number, body in enumerate((el for el in root.iter() if local_name(el) == "txBody"), 1):
                text = "\n".join(paragraph_text(p) for p in body.iter(f"{A}p"))
                out.add(text, f"drawing {base[7:-4]}, text box {number}", "textbox")
            for props in root.iter():
                if local_name(props) == "cNvPr":
                    for attr in ("descr", "title"):
                        out.add(props.get(attr, ""), f"drawing {base[7:-4]}, alt text", "alt-text", hidden=True)
        elif folder == "xl/charts" and base.startswith("chart") and base.endswith(".xml"):
            root = pkg.parse(part)
            if root is None:
                continue
            texts = [el.text.strip() for el in root.iter() if local_name(el) in ("t", "v") and el.text
                     and el.text.strip()]
            out.add("\n".join(texts), f"chart {base[5:-4]}", "body")


def extract_xlsx(data: bytes, name: str, ctx: ExtractContext) -> Document:
    if looks_like_ole2(data):  # an encrypted workbook is an OLE2 file
        from .ole2 import extract_ole2

        return extract_ole2(data, name, ctx)
    pkg = Package(data, name, ctx)
    import openpyxl  # late: a second of import time only for workbooks

    with warnings.catch_warnings():
        # openpyxl warns about extensions it drops; its messages can quote the file
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, rich_text=False)
        except Exception as e:  # malformed XML, a missing part, a bad value: openpyxl raises all sorts
            # only the type: openpyxl's messages can quote the file's content
            raise ExtractionError("corrupt", f"{name}: the workbook could not be read ({type(e).__name__})") from e
    out = SheetText(ctx)
    try:
        for number, ws in enumerate(wb.worksheets, 1):
            out.sheet_name(number, str(ws.title), _state(ws))
            _sheet(ws, out)
        for number, cs in enumerate(wb.chartsheets, 1):
            out.sheet_name(len(wb.worksheets) + number, str(cs.title), "chart")
        _workbook_metadata(wb, pkg, out)
        _drawings(pkg, out)
    except (ExtractionError, LimitExceeded):
        raise
    except Exception as e:  # a value openpyxl accepted but cannot give back; only the type is told
        raise ExtractionError("corrupt", f"{name}: a sheet could not be read ({type(e).__name__})") from e
    finally:
        wb.close()
    for part in pkg.blobs:
        if part.startswith(_READ_BY_OPENPYXL) or posixpath.basename(part) == ".rels" or part.endswith(".rels"):
            pkg.mark_read(part)
    segments, children, problems = pkg.remainder(no_text=_NO_TEXT, embedded=("xl/embeddings/",))
    children += media_pictures(pkg.blobs, "xl/media/", pkg.ctx)  # OCR of the pictures (extract/image.py)
    segments_all = out.segments + segments + pkg.external_links()
    return Document(name=name, media_type=MEDIA_TYPE, segments=tuple(segments_all), children=tuple(children),
                    problems=tuple(problems))


FORMAT = Format(
    name="xlsx",
    extensions=(".xlsx", ".xlsm", ".xltx", ".xltm"),
    media_types=(
        MEDIA_TYPE,
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    ),
    sniff=looks_like_xlsx,
    extract=extract_xlsx,
    compatible=("ole2",),
)

FORMATS: list[Format] = [FORMAT]
