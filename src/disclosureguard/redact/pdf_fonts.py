"""What the redactor needs from a PDF font: how a string splits into character codes, the
text of each code, and how far each code advances.

Simple fonts (Type1, TrueType, Type3) with a standard encoding, a /Differences array or a
/ToUnicode map, and Type0 fonts with Identity-H/V and a /ToUnicode map, are handled. A
font whose codes cannot be mapped to text is ``decodable = False``: the redactor then
removes every string shown in it on a page that holds a value, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.glyphlist import glyphname2unicode
from pdfminer.latin_enc import ENCODING

_BASE_TABLES: dict[str, dict[int, str]] = {"StandardEncoding": {}, "MacRomanEncoding": {}, "WinAnsiEncoding": {},
                                           "PDFDocEncoding": {}}
for _name, _std, _mac, _win, _pdf in ENCODING:
    for _table, _code in (("StandardEncoding", _std), ("MacRomanEncoding", _mac), ("WinAnsiEncoding", _win),
                          ("PDFDocEncoding", _pdf)):
        if _code is not None:
            _BASE_TABLES[_table][_code] = _name

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_RANGE_ITEM = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")
_DEFAULT_ASCENT = 0.8
_DEFAULT_DESCENT = -0.2


@dataclass
class FontInfo:
    code_len: int = 1
    decodable: bool = True
    to_text: dict[bytes, str] = field(default_factory=dict)
    widths: dict[bytes, float] = field(default_factory=dict)  # text-space advance per unit font size
    default_width: float = 0.5
    ascent: float = _DEFAULT_ASCENT
    descent: float = _DEFAULT_DESCENT

    def codes(self, raw: bytes) -> list[bytes]:
        n = self.code_len
        return [raw[i : i + n] for i in range(0, len(raw) - len(raw) % n, n)]

    def text(self, code: bytes) -> str | None:
        return self.to_text.get(code)

    def width(self, code: bytes) -> float:
        return self.widths.get(code, self.default_width)


def _glyph_text(name: str) -> str | None:
    if name in glyphname2unicode:
        return glyphname2unicode[name]
    base = name.split(".", 1)[0]
    if base in glyphname2unicode:
        return glyphname2unicode[base]
    m = re.fullmatch(r"uni([0-9A-Fa-f]{4,})", base) or re.fullmatch(r"u([0-9A-Fa-f]{4,6})", base)
    if m:
        try:
            return "".join(chr(int(m.group(1)[i : i + 4], 16)) for i in range(0, len(m.group(1)), 4))
        except ValueError:
            return None
    return None


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", hexdigits).decode())
    return raw.decode("utf-16-be", errors="replace")


def parse_to_unicode(data: bytes) -> tuple[dict[bytes, str], int]:
    """The code → text map of a /ToUnicode CMap, and its code length in bytes."""
    out: dict[bytes, str] = {}
    length = 0
    for block in _BFCHAR.findall(data):
        pairs = _HEX.findall(block)
        for src, dst in zip(pairs[0::2], pairs[1::2], strict=False):
            code = bytes.fromhex(src.decode())
            length = max(length, len(code))
            out[code] = _utf16(dst)
    for block in _BFRANGE.findall(data):
        for lo_hex, hi_hex, dst in _RANGE_ITEM.findall(block):
            lo, hi = int(lo_hex, 16), int(hi_hex, 16)
            n = len(lo_hex) // 2
            length = max(length, n)
            if hi - lo > 65535:
                continue
            if dst.startswith(b"["):
                for k, item in enumerate(_HEX.findall(dst)):
                    out[(lo + k).to_bytes(n, "big")] = _utf16(item)
            else:
                start = bytes.fromhex(re.sub(rb"\s", b"", dst[1:-1]).decode())
                for k in range(hi - lo + 1):
                    value = int.from_bytes(start, "big") + k
                    out[(lo + k).to_bytes(n, "big")] = value.to_bytes(len(start), "big").decode(
                        "utf-16-be", errors="replace"
                    )
    return out, length


def _num(obj: object, default: float = 0.0) -> float:
    try:
        return float(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _descriptor_metrics(info: FontInfo, font: pikepdf.Dictionary, scale: float) -> None:
    desc = font.get("/FontDescriptor")
    if isinstance(desc, pikepdf.Dictionary):
        ascent, descent = _num(desc.get("/Ascent")), _num(desc.get("/Descent"))
        if ascent > 0:
            info.ascent = ascent * scale
        if descent < 0:
            info.descent = descent * scale
        missing = _num(desc.get("/MissingWidth"), -1)
        if missing >= 0:
            info.default_width = missing * scale


def font_info(font: pikepdf.Object) -> FontInfo:
    if not isinstance(font, pikepdf.Dictionary):
        return FontInfo(decodable=False)
    subtype = str(font.get("/Subtype", ""))
    to_unicode: dict[bytes, str] = {}
    tu = font.get("/ToUnicode")
    if isinstance(tu, pikepdf.Stream):
        try:
            to_unicode, _ = parse_to_unicode(tu.read_bytes())
        except (pikepdf.PdfError, ValueError):
            to_unicode = {}
    if subtype == "/Type0":
        return _type0(font, to_unicode)
    return _simple(font, subtype, to_unicode)


def _type0(font: pikepdf.Dictionary, to_unicode: dict[bytes, str]) -> FontInfo:
    encoding = str(font.get("/Encoding", ""))
    if encoding not in ("/Identity-H", "/Identity-V") or not to_unicode:
        return FontInfo(code_len=2, decodable=False)
    info = FontInfo(code_len=2, to_text=to_unicode, default_width=1.0)
    descendants = font.get("/DescendantFonts")
    cid_font = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
    if isinstance(cid_font, pikepdf.Dictionary):
        info.default_width = _num(cid_font.get("/DW"), 1000) / 1000
        _descriptor_metrics(info, cid_font, 1 / 1000)
        w = cid_font.get("/W")
        if isinstance(w, pikepdf.Array):
            items = list(w)
            i = 0
            while i < len(items):
                first = int(_num(items[i]))
                nxt = items[i + 1] if i + 1 < len(items) else None
                if isinstance(nxt, pikepdf.Array):
                    for k, each in enumerate(nxt):
                        info.widths[(first + k).to_bytes(2, "big")] = _num(each) / 1000
                    i += 2
                elif i + 2 < len(items):
                    last, same = int(_num(nxt)), _num(items[i + 2]) / 1000
                    for cid in range(first, min(last, first + 65535) + 1):
                        info.widths[cid.to_bytes(2, "big")] = same
                    i += 3
                else:
                    break
    return info


def _simple(font: pikepdf.Dictionary, subtype: str, to_unicode: dict[bytes, str]) -> FontInfo:
    base_font = str(font.get("/BaseFont", "")).lstrip("/")
    base_font = base_font.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", base_font) else base_font
    encoding = font.get("/Encoding")
    table_name = "WinAnsiEncoding" if subtype == "/TrueType" else "StandardEncoding"
    differences: dict[int, str] = {}
    if isinstance(encoding, pikepdf.Name):
        table_name = str(encoding).lstrip("/")
    elif isinstance(encoding, pikepdf.Dictionary):
        if isinstance(encoding.get("/BaseEncoding"), pikepdf.Name):
            table_name = str(encoding.get("/BaseEncoding")).lstrip("/")
        diffs = encoding.get("/Differences")
        if isinstance(diffs, pikepdf.Array):
            code = 0
            for item in diffs:
                if isinstance(item, pikepdf.Name):
                    differences[code] = str(item).lstrip("/")
                    code += 1
                else:
                    code = int(_num(item))
    names = dict(_BASE_TABLES.get(table_name, _BASE_TABLES["StandardEncoding"]))
    if base_font in ("Symbol", "ZapfDingbats"):
        names = {}
    names.update(differences)
    info = FontInfo(code_len=1)
    for code in range(256):
        key = bytes([code])
        if key in to_unicode:
            info.to_text[key] = to_unicode[key]
        elif code in names:
            text = _glyph_text(names[code])
            if text is not None:
                info.to_text[key] = text
    scale = 1 / 1000
    if subtype == "/Type3":
        matrix = font.get("/FontMatrix")
        scale = _num(matrix[0], 0.001) if isinstance(matrix, pikepdf.Array) and len(matrix) else 0.001
    widths = font.get("/Widths")
    metrics = FONT_METRICS.get(base_font)
    if metrics is not None:
        info.ascent = _num(metrics[0].get("Ascent"), 718.0) / 1000
        info.descent = _num(metrics[0].get("Descent"), -207.0) / 1000
    _descriptor_metrics(info, font, scale)
    if isinstance(widths, pikepdf.Array):
        first = int(_num(font.get("/FirstChar"), 0))
        for k, given in enumerate(widths):
            if 0 <= first + k < 256:
                info.widths[bytes([first + k])] = _num(given) * scale
    elif metrics is not None:
        glyph_widths = metrics[1]  # keyed by the character (pdfminer's tables), or by glyph name
        for code, name in names.items():
            char = _glyph_text(name)
            known = glyph_widths.get(char) if char is not None else None
            known = glyph_widths.get(name) if known is None else known
            if known is not None:
                info.widths[bytes([code])] = _num(known) / 1000
    if not info.to_text:
        info.decodable = False
    return info
