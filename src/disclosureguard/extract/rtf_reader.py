"""What an RTF file says, as parts of text with the byte spans that spell each piece.

The reader follows the group stack and the destinations of the RTF 1.9.1 specification:
body text, headers and footers, footnotes, annotations (comments) and their authors, field
codes (``\\fldinst``) beside field results, document information (``\\info``), user
properties, form fields, shape alt text and text boxes, list numbering, embedded objects
(``\\objdata``, handed back as bytes) and HTML encapsulated by Outlook (``\\fromhtml1``).
``\\v`` hidden text and ``\\deleted`` tracked deletions are flagged. A ``\\*`` destination
it does not know is read as hidden text rather than dropped: closed world.

Neither striprtf nor rtfparse was good enough here: striprtf (regex based) merges hidden text
into the body and silently drops annotations, field codes, ``\\info`` and objects; rtfparse
depends on extract-msg, which is GPL-3.0.
"""

from __future__ import annotations

import codecs
import html
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field

from ..errors import ExtractionError
from .rtf_tokens import BIN, CLOSE, HEX, OPEN, SYMBOL, TEXT, WORD, Token, tokens

MAX_GROUP_DEPTH = 1000
VISIBLE, HIDDEN_TEXT, DELETED = "", "hidden text", "tracked deletion"
WHITE_TEXT, TINY_TEXT = "white text", "tiny text"
TINY_HALF_POINTS = 3  # \\fs counts half-points: under 2 pt no reader sees it

# Destinations whose text no reader sees and which hold no personal data: tables of fonts,
# colours, styles, lists and revision ids, pictures and binary blobs (hex), XML namespaces.
_DISCARDED_NAMES = """stylesheet listtable listoverridetable rsidtbl generator pict themedata
    colorschememapping
    datastore latentstyles xmlnstbl mmathPr pgdsctbl filetbl bkmkstart bkmkend listpicture nonshppict
    blipuid fontemb fontfile panose falt passwordhash wgrffmtfilter atnref atndate atnparent atntime atnicn
    pntxta pntxtb objname objtime objalias objsect datafield mhtmltag fldtype shppict
    protusertbl wgrffmtfilter aftnsep aftnsepc aftncn ftnsep ftnsepc ftncn defchp defpap fchars lchars
    leveltext levelnumbers listname liststylename revtim creatim printim buptim background
    svb xmlattrname xmlattrvalue xmlclose xmlopen xmlname ebcstart ebcend factoidname oldcprops oldpprops
    oldtprops oldsprops rsidroot"""
_DISCARDED = frozenset(_DISCARDED_NAMES.split())
# Document information: each is a metadata field.
_INFO_FIELDS = {
    "title": "title", "subject": "subject", "author": "author", "manager": "manager", "company": "company",
    "operator": "last modified by", "category": "category", "keywords": "keywords", "comment": "comments",
    "doccomm": "comments", "hlinkbase": "hyperlink base", "docvar": "document variable",
    "propname": "custom property name", "staticval": "custom property", "template": "template",
}
_HEADERS = {
    "header": "header", "headerl": "header (left pages)", "headerr": "header (right pages)",
    "headerf": "header (first page)", "footer": "footer", "footerl": "footer (left pages)",
    "footerr": "footer (right pages)", "footerf": "footer (first page)",
}
_HIDDEN_FIELDS = {"fldinst": "field code", "xe": "index entry", "tc": "table of contents entry",
                  "txe": "index entry text", "rxe": "index entry range", "bkmkstart": "bookmark"}
_FORM_FIELDS = {"ffname": "form field name", "ffdeftext": "form field default", "ffstattext": "form field status",
                "ffhelptext": "form field help", "ffl": "form field list entry", "ffentrymcr": "form field macro",
                "ffexitmcr": "form field macro"}
_CONTAINERS = frozenset({"shp", "shpinst", "sp", "object", "field", "fldrslt", "result", "formfield", "userprops",
                         "info", "shpgrp", "shprslt", "shptxt", "mmath", "upr",
                         "dptxbxtext"})
_ALT_TEXT_PROPS = frozenset({"wzDescription", "wzTitle", "wzName", "gtextUNICODE"})
_SPECIAL_CHARS = {
    "line": "\n", "tab": "\t", "cell": "\t", "nestcell": "\t", "emdash": "\u2014", "endash": "\u2013",
    "emspace": " ", "enspace": " ", "qmspace": " ", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019",
    "ldblquote": "\u201c", "rdblquote": "\u201d", "zwj": "", "zwnj": "", "ltrmark": "", "rtlmark": "",
}
_SYMBOLS = {"\\": "\\", "{": "{", "}": "}", "~": "\u00a0", "_": "\u2011", "-": "", "|": "", ":": ""}
_PARAGRAPH_ENDS = frozenset({"par", "sect", "page", "row", "nestrow"})
# Font charsets (\fcharsetN) to the code page their \'hh bytes are in.
_CHARSETS = {0: 1252, 1: 1252, 2: 1252, 77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950,
             161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250}


@dataclass
class Piece:
    """Decoded text and the bytes of the source that spell it (``start``..``end``)."""

    text: str
    start: int
    end: int
    flag: str = VISIBLE


@dataclass
class Part:
    """One stream of text: the body, a header, one comment, a field code, a property."""

    where: str
    kind: str
    hidden: bool = False
    field: str | None = None
    per_paragraph: bool = False
    paragraphs: list[list[Piece]] = dataclass_field(default_factory=lambda: [[]])

    def add(self, piece: Piece) -> None:
        self.paragraphs[-1].append(piece)

    def end_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])


@dataclass
class EmbeddedObject:
    number: int
    class_name: str
    data: bytes


@dataclass
class RtfContent:
    parts: list[Part]
    objects: list[EmbeddedObject]
    html: str | None  # the encapsulated HTML, when Outlook wrote the RTF from HTML
    problems: list[str]


@dataclass(frozen=True)
class _State:
    part: Part | None
    dest: str = ""
    uc: int = 1
    hidden: bool = False
    deleted: bool = False
    htmlrtf: bool = False
    font: int | None = None
    ud_part: Part | None = None  # inside \upr: where the Unicode twin (\ud) of the text goes
    color: int = 0  # \cfN: an index into the colour table
    size: int = 24  # \fsN in half-points
    shaded: bool = False  # a highlight or character shading behind the text


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.body = Part("body", "body", per_paragraph=True)
        self.parts: list[Part] = [self.body]
        self.objects: list[EmbeddedObject] = []
        self.problems: list[str] = []
        self.codepage = 1252
        self.fonts: dict[int, int] = {}
        self.colors: list[tuple[int, int, int]] = []  # the colour table; entry 0 is "auto"
        self.color_parts = [0, 0, 0]
        self.from_html = False
        self.html: list[str] = []
        self.counts: dict[str, int] = {}
        self.capture: list[str] = []  # text of the \sn, \objclass or \objdata group being read
        self.shape_property = ""
        self.object_class = ""
        self.object_bytes: list[bytes] = []  # \bin runs inside \objdata
        self.pending: list[Token] = []  # consecutive \'hh bytes: one multi-byte character may span several
        self.skip = 0
        self.last: Piece | None = None  # the \uN piece whose fallback characters are being skipped

    # -- output -------------------------------------------------------------------------

    def _decode(self, raw: bytes, font: int | None) -> str:
        page = self.fonts.get(font, self.codepage) if font is not None else self.codepage
        try:
            return codecs.decode(raw, f"cp{page}", errors="replace")
        except LookupError:
            return raw.decode("cp1252", errors="replace")

    def _emit(self, state: _State, text: str, start: int, end: int) -> None:
        if state.dest.startswith("capture:") or state.dest == "objdata":
            self.capture.append(text)
            return
        if state.dest == "htmltag":
            self.html.append(text)
            return
        if self.from_html and not state.htmlrtf and state.part is self.body:
            self.html.append(html.escape(text, quote=False))
        if state.part is None or not text:
            return
        flag = DELETED if state.deleted else HIDDEN_TEXT if state.hidden else self._unseen(state)
        piece = Piece(text, start, end, flag)
        state.part.add(piece)
        self.last = piece

    def _unseen(self, state: _State) -> str:
        """Why formatting makes this text unseen (white on the white page, too small), or VISIBLE."""
        if state.size <= TINY_HALF_POINTS:
            return TINY_TEXT
        if not state.shaded and 0 < state.color < len(self.colors) and self.colors[state.color] == (255, 255, 255):
            return WHITE_TEXT
        return VISIBLE

    def _flush(self, state: _State) -> None:
        if not self.pending:
            return
        raw = b"".join(t.data for t in self.pending)
        start, end = self.pending[0].start, self.pending[-1].end
        self.pending = []
        self._emit(state, self._decode(raw, state.font), start, end)

    def _skip_fallback(self, token: Token) -> int:
        """Swallow the characters after a \\uN that stand in for it; return how many bytes of a text token."""
        if self.last is not None:
            self.last.end = token.end if token.kind != TEXT else token.start + min(self.skip, len(token.data))
        if token.kind == TEXT:
            used = min(self.skip, len(token.data))
            self.skip -= used
            return used
        self.skip -= 1
        return 0

    def _new_part(self, where: str, kind: str, *, hidden: bool, field_name: str | None = None,
                  per_paragraph: bool = False) -> Part:
        part = Part(where, kind, hidden=hidden, field=field_name, per_paragraph=per_paragraph)
        self.parts.append(part)
        return part

    def _number(self, what: str) -> int:
        self.counts[what] = self.counts.get(what, 0) + 1
        return self.counts[what]

    def _body_paragraph(self) -> int:
        return sum(1 for p in self.body.paragraphs if any(x.text.strip() for x in p)) + (
            0 if any(x.text.strip() for x in self.body.paragraphs[-1]) else 1
        )

    # -- destinations -------------------------------------------------------------------

    def _destination(self, name: str, param: int | None, state: _State, starred: bool) -> _State | None:
        """The state for a group that starts with destination ``name``, or None if it is not one."""
        if name == "fonttbl":
            return replace(state, part=None, dest="fonttbl")
        if name == "colortbl":
            return replace(state, part=None, dest="colortbl")
        if name in _DISCARDED:
            return replace(state, part=None, dest="discard")
        if name in _INFO_FIELDS:
            label = _INFO_FIELDS[name]
            part = self._new_part(f"document property: {label}", "metadata", hidden=True, field_name=label)
            return replace(state, part=part, dest=name, hidden=False, deleted=False)
        if name in _HEADERS:
            part = self._new_part(_HEADERS[name], "footer" if name.startswith("footer") else "header",
                                  hidden=False, per_paragraph=True)
            return replace(state, part=part, dest=name)
        if name == "footnote":
            what = "footnote"
            part = self._new_part(f"{what} {self._number(what)}", what, hidden=False)
            return replace(state, part=part, dest=name)
        if name == "annotation":
            part = self._new_part(f"comment {self._number('comment')}", "comment", hidden=True)
            return replace(state, part=part, dest=name)
        if name in ("atnauthor", "atnid"):
            label = "comment author" if name == "atnauthor" else "comment author's initials"
            part = self._new_part(label, "metadata", hidden=True, field_name=label)
            return replace(state, part=part, dest=name)
        if name in _HIDDEN_FIELDS:
            label = _HIDDEN_FIELDS[name]
            part = self._new_part(f"body, paragraph {self._body_paragraph()}, {label}", "field", hidden=True)
            return replace(state, part=part, dest=name)
        if name in _FORM_FIELDS:
            label = _FORM_FIELDS[name]
            part = self._new_part(f"body, paragraph {self._body_paragraph()}, {label}", "form-field", hidden=True)
            return replace(state, part=part, dest=name)
        if name in ("sn", "objclass"):
            self.capture = []
            return replace(state, part=None, dest=f"capture:{name}")
        if name == "sv":
            if self.shape_property in _ALT_TEXT_PROPS:
                part = self._new_part(f"shape {self.counts.get('shape', 0)}, alt text", "alt-text", hidden=True)
                return replace(state, part=part, dest=name)
            return replace(state, part=None, dest="discard")
        if name == "shp":
            self._number("shape")
        if name == "objdata":
            self.capture = []
            self.object_bytes = []
            return replace(state, part=None, dest="objdata")
        if name == "object":
            self._number("object")
            self.object_class = ""
        if name == "htmltag":
            return replace(state, dest="htmltag")
        if name == "upr":  # an ANSI copy of the text and its Unicode twin: read the twin only
            return replace(state, part=None, dest="upr", ud_part=state.part)
        if name == "ud":
            return replace(state, part=state.ud_part, dest="ud")
        if name in ("pntext", "listtext", "shptxt", "fldrslt", "result", "shprslt"):
            return replace(state, dest=name)
        if name in _CONTAINERS:
            return replace(state, dest=name)
        if starred:
            part = self._new_part(f"unrecognised RTF destination \\{name}", "hidden-text", hidden=True)
            return replace(state, part=part, dest=name)
        return None

    def _closed(self, state: _State) -> None:
        """A group ended: finish what its destination collected."""
        if state.dest.startswith("capture:"):
            text = "".join(self.capture).strip().rstrip(";")
            if state.dest == "capture:objclass":
                self.object_class = text
            else:
                self.shape_property = text
        elif state.dest == "objdata":
            hexdigits = "".join(ch for ch in "".join(self.capture) if ch in "0123456789abcdefABCDEF")
            try:
                data = bytes.fromhex(hexdigits[: len(hexdigits) // 2 * 2])
            except ValueError:
                data = b""
            data += b"".join(self.object_bytes)
            self.objects.append(EmbeddedObject(self.counts.get("object", 0), self.object_class, data))

    # -- control words ------------------------------------------------------------------

    def _word(self, token: Token, state: _State) -> _State:
        name, param = token.name, token.param
        if name == "u" and param is not None:
            # a signed 16-bit number by the spec; anything outside that is no character
            code = param + 65536 if -32768 <= param < 0 else param if 0 <= param <= 0xFFFF else 0xFFFD
            self._emit(state, _code_point(code), token.start, token.end)
            self.skip = state.uc
            return state
        if name == "uc":
            return replace(state, uc=max(0, min(param or 0, 16)))
        if name in _PARAGRAPH_ENDS:
            if state.part is not None:
                state.part.end_paragraph()
            if self.from_html and not state.htmlrtf and state.part is self.body and name == "par":
                self.html.append("\n")
            return state
        if name in _SPECIAL_CHARS:
            self._emit(state, _SPECIAL_CHARS[name], token.start, token.end)
            return state
        if name == "v":
            return replace(state, hidden=param != 0)
        if name == "deleted":
            return replace(state, deleted=param != 0)
        if name == "plain":
            return replace(state, hidden=False, deleted=False, color=0, size=24, shaded=False)
        if name == "cf":
            return replace(state, color=param or 0)
        if name == "fs":
            return replace(state, size=24 if param is None else param)
        if name in ("highlight", "chcbpat", "cb"):
            return replace(state, shaded=bool(param))
        if state.dest == "colortbl" and name in ("red", "green", "blue"):
            self.color_parts[("red", "green", "blue").index(name)] = max(0, min(param or 0, 255))
            return state
        if name == "htmlrtf":
            return replace(state, htmlrtf=param != 0)
        if name == "f" and param is not None:
            return replace(state, font=param)
        if name == "fcharset" and state.dest == "fonttbl" and state.font is not None and param is not None:
            self.fonts[state.font] = _CHARSETS.get(param, self.codepage)
            return state
        if name == "ansicpg" and param:
            self.codepage = param
        elif name == "mac":
            self.codepage = 10000
        elif name == "pc":
            self.codepage = 437
        elif name == "pca":
            self.codepage = 850
        elif name == "fromhtml" and param != 0:
            self.from_html = True
        elif name == "bin" and state.part is not None and state.dest != "objdata":
            self.problems.append("binary data (\\bin) inside the text was not read")
        return state

    # -- the walk -----------------------------------------------------------------------

    def read(self) -> RtfContent:
        stack: list[_State] = []
        state = _State(part=self.body)
        at_group_start = False
        starred = False
        for token in tokens(self.data):
            if token.kind != HEX:
                self._flush(state)
            if self.skip and token.kind in (TEXT, HEX, WORD, SYMBOL, BIN):
                used = self._skip_fallback(token)
                if token.kind != TEXT or used == len(token.data):
                    continue
                token = Token(TEXT, token.start + used, token.end, data=token.data[used:])
            kind = token.kind
            if kind == OPEN:
                if len(stack) >= MAX_GROUP_DEPTH:
                    raise ExtractionError("corrupt", f"RTF groups nested more than {MAX_GROUP_DEPTH} deep")
                stack.append(state)
                state = replace(state, dest="" if state.dest not in ("fonttbl", "colortbl", "upr", "discard")
                                else state.dest)
                at_group_start, starred = True, False
                self.skip = 0
                continue
            if kind == CLOSE:
                self._closed(state)
                self.skip = 0
                if stack:
                    state = stack.pop()
                at_group_start = starred = False
                continue
            if kind == SYMBOL and token.name == "*" and at_group_start:
                starred = True
                continue
            if kind == WORD and at_group_start:
                entered = self._destination(token.name, token.param, state, starred)
                at_group_start = starred = False
                if entered is not None:
                    state = entered
                    continue
            elif kind != WORD:
                if starred and at_group_start:  # \* with no destination word: nothing to read
                    state = replace(state, part=None, dest="discard")
                at_group_start = starred = False
            if kind == WORD:
                state = self._word(token, state)
            elif kind == HEX:
                self.pending.append(token)
            elif kind == TEXT:
                if state.dest == "fonttbl":
                    continue
                if state.dest == "colortbl":
                    for _ in range(token.data.count(b";")):  # each ; ends one colour
                        self.colors.append((self.color_parts[0], self.color_parts[1], self.color_parts[2]))
                        self.color_parts = [0, 0, 0]
                    continue
                self._emit(state, self._decode(token.data, state.font), token.start, token.end)
            elif kind == SYMBOL:
                if token.name in _SYMBOLS:
                    self._emit(state, _SYMBOLS[token.name], token.start, token.end)
            elif kind == BIN and state.dest == "objdata":
                self.object_bytes.append(token.data)
        self._flush(state)
        if stack:
            self.problems.append(f"{len(stack)} RTF group(s) were not closed: the file may be cut short")
        html_text = "".join(self.html) if self.from_html else None
        return RtfContent(self.parts, self.objects, html_text, self.problems)


def _code_point(code: int) -> str:
    # half of a surrogate pair stays as it is: join_surrogates joins it with its other half
    return chr(code)


def join_surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs written as two \\uN words; lone halves become U+FFFD."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


# Destinations _destination handles by name beyond the tables above.
_HANDLED = frozenset({"fonttbl", "colortbl", "footnote", "annotation", "atnauthor", "atnid", "sn", "objclass",
                      "sv", "shp", "objdata", "object", "htmltag", "upr", "ud", "pntext", "listtext", "shptxt",
                      "fldrslt", "result", "shprslt"})


def known_destination(name: str) -> bool:
    """Whether the reader knows destination ``name`` (an unknown ``\\*`` one is read as hidden text)."""
    return any(name in table for table in (_DISCARDED, _INFO_FIELDS, _HEADERS, _HIDDEN_FIELDS, _FORM_FIELDS,
                                            _CONTAINERS, _HANDLED))


def read_rtf(data: bytes) -> RtfContent:
    return _Reader(data).read()


def looks_like_rtf(data: bytes) -> bool:
    return data.lstrip(b"\r\n\t \xef\xbb\xbf")[:5] == b"{\\rtf"
