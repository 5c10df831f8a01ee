"""The closed world of a Word package: text no handler read is still read, and counted.

The handlers of docx.py and docx_story.py read what they know the meaning of and mark
each element (and text-bearing attribute) they read. This pass then goes through every
XML part of the package, referenced or not, and collects every text node and every
text-bearing attribute nobody marked as "other text": marked hidden, with the part and the
element named, so it is scanned even though nothing knows what it means. Last, the
characters of text in the package are counted against the characters extracted: a gap is
a problem, never silence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from ..model import Problem
from .docx_story import LAYOUT_ELEMENTS, StoryWalker, is_statistic, local, symbol_char
from .part_memo import PartMemo
from .xmlsafe import check_well_formed

_LAYOUT_VALUE = re.compile(r"-?\d{1,9}|[A-Za-z]{1,20}")
# Binary payloads carried as base64 text (images in old VML, form field data): not words.
_BINARY_ELEMENTS = {"binData", "fldData", "gfxdata"}
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
# Attributes whose value is text a person wrote, by the local name of the element holding
# them (None: on any element).
_TEXT_ATTRIBUTES: dict[str | None, tuple[str, ...]] = {
    None: ("descr", "title", "alt"),
    "textpath": ("string",),
    "docPr": ("name",),
    "cNvPr": ("name",),
    "docVar": ("name", "val"),
    "default": ("val",),  # a form field's default text
    "listEntry": ("val",),  # a drop-down form field's choices
    "helpText": ("val",),
    "statusText": ("val",),
    "alias": ("val",),  # a content control's title
    "tag": ("val",),
    "hyperlink": ("tooltip",),
    "lvlText": ("val",),  # list numbering text: "%1." is markup, anything else is shown
    "sym": ("char",),
}
_NUMBERING_MARKUP = re.compile(r"%\d")
_SKIPPED_PARTS = ("[Content_Types].xml",)


@dataclass
class _Group:
    where: str
    texts: list[str]


def _attribute_text(el: etree._Element, key: str, value: str) -> str:
    name = local(el.tag)
    if name == "sym":
        return symbol_char(value)
    if name == "lvlText":
        text = _NUMBERING_MARKUP.sub("", value)
        return text.strip() if any(c.isalnum() for c in text) else ""  # a bullet or "%1." is markup
    if name == "default" and local(el.getparent().tag if el.getparent() is not None else "") != "textInput":
        return ""
    return value.strip()


_ANY_ELEMENT = frozenset(_TEXT_ATTRIBUTES[None])
_WANTED = {name: _ANY_ELEMENT | set(keys) for name, keys in _TEXT_ATTRIBUTES.items() if name is not None}


class _AttributeFilter:
    """Whether an element may carry a text-bearing attribute, learnt per tag and per key as met.

    A package's styles and settings are thousands of elements (python-docx's own template
    about 18,000) whose attributes are all markup: set look-ups pass them by, instead of
    splitting every key in Python (which cost more than the rest of the extraction). Kept
    for one package only, so it cannot grow across scans.
    """

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.special_tags: set[str] = set()  # elements with text attributes of their own
        self.keys: set[str] = set()
        self.any_element_keys: set[str] = set()  # descr, title, alt in whatever namespace

    def may_hold_text(self, tag: str, keys: list[str]) -> bool:
        if tag not in self.tags:
            self.tags.add(tag)
            if local(tag) in _WANTED:
                self.special_tags.add(tag)
        if tag in self.special_tags:
            return True
        if not self.keys.issuperset(keys):
            for key in keys:
                self.keys.add(key)
                if local(key) in _ANY_ELEMENT:
                    self.any_element_keys.add(key)
        return not self.any_element_keys.isdisjoint(keys)


def _text_attributes(el: etree._Element) -> list[tuple[str, str]]:
    wanted = _WANTED.get(local(el.tag), _ANY_ELEMENT)
    out = []
    for key, value in el.attrib.items():
        if local(key) in wanted and value.strip():
            text = _attribute_text(el, key, value)
            if text:
                out.append((key, text))
    return out


def _is_markup(el: etree._Element, text: str) -> bool:
    name = local(el.tag)
    if is_statistic(el):
        return True
    if name in LAYOUT_ELEMENTS:
        return _LAYOUT_VALUE.fullmatch(text.strip()) is not None
    if name in _BINARY_ELEMENTS:
        return _BASE64.fullmatch(text) is not None
    return False


_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z.]{0,39}")


def _qualified(el: etree._Element) -> str:
    # Element names are the sender's to choose: one with digits or odd characters in it
    # could carry a value into the location, so only plain names are repeated.
    name, prefix = local(el.tag), el.prefix or ""
    if not _PLAIN_NAME.fullmatch(name) or (prefix and not _PLAIN_NAME.fullmatch(prefix)):
        return "an element with an unusual name"
    return f"{prefix}:{name}" if prefix else name


def collect_other_text(
    parts: dict[str, etree._Element], walker: StoryWalker, sources: Mapping[str, bytes] | None = None
) -> int:
    """Emit what no handler read, part by part; return the package's count of text characters.

    ``sources``, the parts' bytes as parsed, let a part with nothing to read be passed by
    without visiting its elements (``nothing_to_read``); without them every part is walked.
    """
    package_chars = 0
    attributes = _AttributeFilter()
    for part, root in parts.items():
        source = sources.get(part) if sources is not None else None
        if source is not None and quiet_part(source, part, parsed=True):
            continue
        groups: dict[tuple[str, str], _Group] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue  # comments and processing instructions: not part of any document
            text, tail = el.text, el.tail
            if text and text.strip() and not _is_markup(el, text):
                package_chars += _squeezed_len(text)
                if id(el) not in walker.consumed:
                    _add(groups, part, el, text)
            if tail and tail.strip():
                parent = el.getparent()
                if parent is not None:
                    package_chars += _squeezed_len(tail)
                    if id(parent) not in walker.consumed:
                        _add(groups, part, parent, tail)
            keys = el.keys()
            if not keys or not attributes.may_hold_text(el.tag, keys):
                continue
            for key, text in _text_attributes(el):
                package_chars += _squeezed_len(text)
                if (id(el), key) not in walker.consumed_attributes:
                    _add(groups, part, el, text, attribute=local(key))
        for group in groups.values():
            walker.emit("\n".join(group.texts), group.where, "other-text", hidden=True)
    return package_chars


# Character data (or a reference) after the end of a tag: a non-blank text node, or a
# superset of one (a '>' in a value or a comment); XML's whitespace is these four characters.
_CDATA = b"<![CDATA["
# Names of a text-bearing attribute (on any element) and of an element with text-bearing
# attributes of its own, as they appear in a part's bytes; and of the stories a part that
# nothing refers to may be (read by _unreferenced_stories, which needs its tree).
_ATTRIBUTE_NAMES = tuple(k.encode() for k in sorted(_ANY_ELEMENT))
_ELEMENT_NAMES = tuple(t.encode() for t in sorted({*_WANTED, "hdr", "ftr"}))
_XML_SPACE = b" \t\r\n"
_SPACES = re.compile(rb"[ \t\r\n]*")
# Encodings in which those ASCII names and characters are the same bytes as in ASCII.
_ASCII_COMPATIBLE = {"utf-8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252"}
_DECLARED_ENCODING = re.compile(rb"encoding[ \t\r\n]*=[ \t\r\n]*[\"']([A-Za-z0-9._-]+)[\"']")


# Parts found quiet (nothing to read, well-formed), by their bytes (part_memo.py).
QUIET_PARTS_KEPT = 512
QUIET_PARTS: PartMemo[bool] = PartMemo(QUIET_PARTS_KEPT)


def quiet_part(source: bytes, part: str, *, parsed: bool = False) -> bool:
    """True when ``source`` has nothing to read (``nothing_to_read``) and is well-formed XML;
    damage raises as ``check_well_formed`` does, every time (only a quiet part is remembered).
    ``parsed``: the part was parsed already, so it is well-formed."""

    def quiet() -> bool | None:
        if not nothing_to_read(source):
            return None
        if not parsed:
            check_well_formed(source, part)
        return True

    return QUIET_PARTS.made(source, quiet) is not None


def nothing_to_read(source: bytes) -> bool:
    """True when, from its bytes, a part holds no text node with more than whitespace and no
    element or attribute that may bear text: the walk of it would count and emit nothing.
    A package's styles are thousands of elements with neither (python-docx's own template
    about 18,000): building and visiting their trees cost more than the rest of the extraction.
    Only for bytes whose encoding writes ASCII as ASCII; anything else is walked."""
    return (_ascii_compatible(source) and not _text_after_a_tag(source) and _CDATA not in source
            and not _may_hold_text_attribute(source))


def _text_after_a_tag(source: bytes) -> bool:
    """Whether some ``>`` is followed, after any XML whitespace, by a character other than ``<``
    (what ``>[ \\t\\r\\n]*[^< \\t\\r\\n]`` finds). With the whitespace deleted that is a ``>``
    not followed by ``<`` and not last: counted in C, 1.7x faster than the regex on the
    styles parts (issue 19)."""
    squeezed = source.translate(None, _XML_SPACE)
    return squeezed.count(b">") - squeezed.count(b"><") - squeezed.endswith(b">") > 0


def _ascii_compatible(source: bytes) -> bool:
    head = source[:512].removeprefix(b"\xef\xbb\xbf")
    if not head or head[:1] not in b"< \t\r\n" or b"\x00" in head:
        return False  # UTF-16 or UTF-32 (with or without a mark), EBCDIC: not read as bytes here
    if not head.startswith(b"<?xml"):
        return True  # no declaration: UTF-8
    end = head.find(b"?>")
    if end < 0:
        return False  # a declaration too long to be one a writer makes
    declared = _DECLARED_ENCODING.search(head, 0, end)
    return declared is None or declared.group(1).decode("ascii").lower() in _ASCII_COMPATIBLE


def _may_hold_text_attribute(source: bytes) -> bool:
    """Whether the bytes may hold an attribute named like one of _ANY_ELEMENT or an element
    named like one of _WANTED, in any namespace. A superset (a name in a comment or a value
    walks the part); a name cannot be written with character references, so none escapes.
    bytes.find per name: one regex with the names as alternatives was ten times slower."""
    for name in _ATTRIBUTE_NAMES:  # (whitespace or a prefix's colon) name S? =
        for at in _occurrences(source, name, _XML_SPACE + b":"):
            end = _SPACES.match(source, at + len(name)).end()  # type: ignore[union-attr]  # * matches empty
            if source[end:end + 1] == b"=":
                return True
    for name in _ELEMENT_NAMES:  # (< or a prefix's colon) name (S or / or >)
        for at in _occurrences(source, name, b"<:"):
            if source[at + len(name):at + len(name) + 1] in _NAME_ENDS:
                return True
    return False


_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b"/", b">")


def _occurrences(source: bytes, name: bytes, preceded_by: bytes) -> Iterator[int]:
    at = source.find(name)
    while at >= 0:
        if at > 0 and source[at - 1] in preceded_by:
            yield at
        at = source.find(name, at + 1)


def _add(
    groups: dict[tuple[str, str], _Group], part: str, el: etree._Element, text: str, *, attribute: str = ""
) -> None:
    # Text under one paragraph (or one element outside paragraphs) stays together, so a
    # number split across runs of an unknown element is still one number.
    block = el
    while block is not None and local(block.tag) != "p":
        block = block.getparent()
    anchor = block if block is not None else el
    what = _qualified(el) + (f" {attribute} attribute" if attribute else "")
    # by path, not id(): the proxy of an element nobody holds may be a new object next time
    key = (what, anchor.getroottree().getpath(anchor))
    if key not in groups:
        groups[key] = _Group(where=f"other text in part {part} ({what})", texts=[])
    if block is not None and not attribute and groups[key].texts:
        groups[key].texts[-1] += text
    else:
        groups[key].texts.append(text)


def _squeezed_len(text: str) -> int:
    return len("".join(text.split()))  # str.split() cuts at exactly the characters str.isspace() names


def count_check(name: str, package_chars: int, walker: StoryWalker) -> list[Problem]:
    """A problem when fewer characters were extracted than the package holds."""
    extracted = sum(_squeezed_len(s.text) for s in walker.segments if s.kind not in _NOT_FROM_TEXT)
    extracted += walker.duplicate_chars
    if extracted >= package_chars:
        return []
    gap = package_chars - extracted
    return [
        Problem(
            name,
            "incomplete",
            f"{gap} of {package_chars} characters of text in the package were not extracted",
        )
    ]


# Segments that do not come from text nodes or text attributes (relationship targets).
_NOT_FROM_TEXT = ("link",)
