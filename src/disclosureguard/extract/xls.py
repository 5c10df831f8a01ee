"""Excel 97-2003 workbooks (.xls, BIFF8 in an OLE2 compound file), read with xlrd.

xlrd gives cells with their formats, notes, hidden sheets, rows and columns, and defined
names. It does not read page headers and footers, so those BIFF records (HEADER 0x14,
FOOTER 0x15) are read from the workbook stream here; olefile gives the summary
properties (author, last saved by). Encrypted workbooks are a problem, never empty.
"""

from __future__ import annotations

import contextlib
import io
import struct
from typing import Any

from ..errors import ExtractionError
from ..model import Document, Problem
from .context import ExtractContext
from .format import Format
from .numfmt import format_number, general, hides_value, serial_to_datetime
from .ole2 import looks_like_ole2
from .sheets import SheetText

MEDIA_TYPE = "application/vnd.ms-excel"
_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le") + b"\x00\x00")
_HEADER, _FOOTER, _BOF, _EOF, _BOUNDSHEET = 0x14, 0x15, 0x809, 0x0A, 0x85
_VISIBILITY = {0: None, 1: "hidden", 2: "very hidden"}
_SUMMARY_FIELDS = ("author", "last_saved_by", "title", "subject", "keywords", "comments", "company", "manager")


def looks_like_xls(data: bytes) -> bool:
    if not looks_like_ole2(data):
        return False
    return any(stream in data for stream in _WORKBOOK_STREAMS) and b"E\x00n\x00c\x00r\x00y\x00p" not in data[:65536]


def _cell_text(book: Any, sheet: Any, r: int, c: int) -> tuple[str, bool]:
    """(text as shown, the format hides it) for one cell."""
    import xlrd

    ctype = sheet.cell_type(r, c)
    value = sheet.cell_value(r, c)
    code = None
    xf_index = sheet.cell_xf_index(r, c)
    if 0 <= xf_index < len(book.xf_list):
        fmt = book.format_map.get(book.xf_list[xf_index].format_key)
        code = fmt.format_str if fmt is not None else None
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return "", False
    if ctype == xlrd.XL_CELL_TEXT:
        return str(value), False
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return general(bool(value)), False
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR"), False
    if hides_value(code):
        return general(value), True
    if ctype == xlrd.XL_CELL_DATE and book.datemode == 1:
        moment = serial_to_datetime(float(value) + 1462)  # the 1904 date system
        value = float(value) + 1462 if moment is not None else value
    if ctype == xlrd.XL_CELL_DATE and (not code or code.lower() == "general"):
        code = "dd/mm/yyyy"
    return format_number(value, code), False


def _sheet(book: Any, sheet: Any, out: SheetText) -> None:
    state = _VISIBILITY.get(sheet.visibility, "hidden")
    hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
    hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
    unseen: list[str] = []
    for r in range(sheet.nrows):
        cells: list[tuple[int, str, bool]] = []
        for c in range(sheet.row_len(r)):
            text, format_hides = _cell_text(book, sheet, r, c)
            if format_hides:
                unseen.append(text)
            elif text:
                cells.append((c + 1, text, c in hidden_cols))
        if cells:
            out.row(sheet.name, state, r + 1, cells, row_hidden=r in hidden_rows)
    if unseen:
        out.add("\n".join(unseen), f"sheet '{sheet.name}', cells whose format shows nothing", "hidden-text",
                hidden=True)
    for (r, c), note in sorted(sheet.cell_note_map.items()):
        from .sheets import column_letter

        out.add(note.text or "", f"sheet '{sheet.name}', comment on {column_letter(c + 1)}{r + 1}", "comment",
                hidden=True, author=note.author or None)


def _biff_records(stream: bytes) -> list[tuple[int, bytes]]:
    records = []
    pos = 0
    while pos + 4 <= len(stream):
        rid, size = struct.unpack_from("<HH", stream, pos)
        records.append((rid, stream[pos + 4 : pos + 4 + size]))
        pos += 4 + size
    return records


def _unicode_string(data: bytes) -> str:
    """A BIFF8 XLUnicodeString: 2-byte length, a flags byte, then 8- or 16-bit characters."""
    if len(data) < 3:
        return ""
    count, flags = struct.unpack_from("<HB", data, 0)
    if flags & 0x01:
        return data[3 : 3 + 2 * count].decode("utf-16-le", errors="replace")
    return data[3 : 3 + count].decode("latin-1", errors="replace")


def _headers_and_footers(stream: bytes, sheet_names: list[str], out: SheetText) -> None:
    sheet = -1  # the workbook globals come first; each sheet substream starts with BOF
    for rid, body in _biff_records(stream):
        if rid == _BOF:
            sheet += 1
        elif rid in (_HEADER, _FOOTER) and body and 0 < sheet <= len(sheet_names):
            text = _unicode_string(body)
            # &L &C &R and the other codes say where the text stands and add page numbers
            for code in ("&L", "&C", "&R", "&P", "&N", "&D", "&T", "&F", "&A", "&B", "&I", "&U"):
                text = text.replace(code, " ")
            what = "header" if rid == _HEADER else "footer"
            out.add(text, f"sheet '{sheet_names[sheet - 1]}', {what}", what)


def _summary(data: bytes, out: SheetText) -> tuple[bytes | None, list[Problem]]:
    import olefile

    problems: list[Problem] = []
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except OSError as e:
        raise ExtractionError("corrupt", f"not a readable compound file ({type(e).__name__})") from e
    with contextlib.closing(ole):
        stream_name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        stream = ole.openstream(stream_name).read() if stream_name else None
        try:
            meta = ole.get_metadata()
        except Exception:  # a damaged property stream: the cells may still be fine
            problems.append(Problem("summary properties", "corrupt", "document properties could not be read"))
            meta = None
        if meta is not None:
            for field in _SUMMARY_FIELDS:
                value = getattr(meta, field, None)
                if isinstance(value, bytes):
                    value = value.decode("cp1252", errors="replace")
                if isinstance(value, str):
                    out.add(value, f"document property: {field.replace('_', ' ')}", "metadata", hidden=True,
                            field_name=field)
        for entry in ole.listdir():
            if entry and entry[0] in ("MBD", "_VBA_PROJECT_CUR", "ObjectPool"):
                problems.append(Problem(f"stream {entry[0]}", "unsupported",
                                        "embedded object or macro project in a legacy workbook: not scanned"))
                break
    return stream, problems


def extract_xls(data: bytes, name: str, ctx: ExtractContext) -> Document:
    import xlrd

    out = SheetText(ctx)
    stream, problems = _summary(data, out)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False,
                                  logfile=io.StringIO(), ragged_rows=True)
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise ExtractionError("encrypted", f"{name}: the workbook is password-protected: not scanned") from e
        raise ExtractionError("corrupt", f"{name}: the workbook could not be read (xlrd)") from e
    except Exception as e:  # xlrd on a damaged stream raises whatever its parser meets; only the type is told
        raise ExtractionError("corrupt", f"{name}: the workbook could not be read ({type(e).__name__})") from e
    try:
        names = book.sheet_names()
        for number, sheet in enumerate(book.sheets(), 1):
            out.sheet_name(number, sheet.name, _VISIBILITY.get(sheet.visibility, "hidden"))
            _sheet(book, sheet, out)
        for defined in book.name_obj_list:
            formula = getattr(defined, "formula_text", "") or ""
            out.add(f"{defined.name}: {formula}", "defined name", "metadata", hidden=True)
        if book.user_name:
            out.add(book.user_name, "document property: last saved by (write access)", "metadata", hidden=True)
    finally:
        book.release_resources()
    if stream is not None:
        _headers_and_footers(stream, names, out)
    return Document(name=name, media_type=MEDIA_TYPE, segments=tuple(out.segments), problems=tuple(problems))


FORMAT = Format(
    name="xls",
    extensions=(".xls", ".xlt"),
    media_types=(MEDIA_TYPE,),
    sniff=looks_like_xls,
    extract=extract_xls,
    compatible=("ole2",),
)

FORMATS: list[Format] = [FORMAT]
