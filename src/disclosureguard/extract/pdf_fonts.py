"""Fonts whose glyphs cannot be turned back into characters.

A font with no ``/ToUnicode`` map says what a glyph is only through its encoding: a glyph
name from the Adobe Glyph List (``/seven``, ``/uni0037``) or a predefined CID collection.
A Type3 or simple font whose ``/Differences`` use private names (``/g7``), or a CID font
with Identity encoding, draws text that no extractor can read: the characters PDFium
reports for it are the raw codes. Such a page needs OCR. This is decided from the font
dictionaries (cheap, cached per font), so PDFium is asked glyph by glyph only on the
pages that use such a font.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf._codecs import adobe_glyphs
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

_UNI_NAME = re.compile(r"^/(uni[0-9A-Fa-f]{4,}|u[0-9A-Fa-f]{4,6})(\..*)?$")
_MAX_DEPTH = 8


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _known_name(name: str) -> bool:
    base = name.split(".", 1)[0] if "." in name[1:] else name
    return base in adobe_glyphs or bool(_UNI_NAME.match(name))


def _private_differences(encoding: Any) -> bool:
    encoding = _resolve(encoding)
    if not isinstance(encoding, DictionaryObject):
        return False
    differences = _resolve(encoding.get("/Differences"))
    if not isinstance(differences, ArrayObject):
        return False
    return any(isinstance(item, NameObject) and not _known_name(str(item)) for item in differences)


def font_unmappable(font: Any) -> bool:
    """True when the font's glyphs cannot be mapped to characters."""
    font = _resolve(font)
    if not isinstance(font, DictionaryObject) or "/ToUnicode" in font:
        return False
    subtype = font.get("/Subtype")
    encoding = font.get("/Encoding")
    if subtype == "/Type0":
        name = _resolve(encoding)
        if not isinstance(name, NameObject) or not str(name).startswith("/Identity"):
            return False
        descendants = _resolve(font.get("/DescendantFonts"))
        first = _resolve(descendants[0]) if isinstance(descendants, ArrayObject) and descendants else None
        info = _resolve(first.get("/CIDSystemInfo")) if isinstance(first, DictionaryObject) else None
        ordering = str(_resolve(info.get("/Ordering"))) if isinstance(info, DictionaryObject) else "Identity"
        # Adobe's Japan1/GB1/CNS1/Korea1 collections map to Unicode; "Identity" maps nothing
        return ordering not in ("Japan1", "GB1", "CNS1", "Korea1")
    if subtype == "/Type3" and _resolve(encoding) is None:
        return True
    return _private_differences(encoding)


class FontCheck:
    """Per document: does a page (or a form it draws) use an unmappable font?"""

    def __init__(self) -> None:
        self._fonts: dict[int, bool] = {}

    def page_unmappable(self, page: Any) -> bool:
        return self._resources(page.get("/Resources"), 0, set())

    def _resources(self, resources: Any, depth: int, seen: set[int]) -> bool:
        resources = _resolve(resources)
        if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH or id(resources) in seen:
            return False
        seen.add(id(resources))
        fonts = _resolve(resources.get("/Font"))
        if isinstance(fonts, DictionaryObject):
            for ref in fonts.values():
                key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
                if key not in self._fonts:
                    self._fonts[key] = font_unmappable(ref)
                    font = _resolve(ref)
                    if not self._fonts[key] and isinstance(font, DictionaryObject) and font.get("/Subtype") == "/Type3":
                        self._fonts[key] = self._resources(font.get("/Resources"), depth + 1, seen)
                if self._fonts[key]:
                    return True
        xobjects = _resolve(resources.get("/XObject"))
        if isinstance(xobjects, DictionaryObject):
            for ref in xobjects.values():
                xobject = _resolve(ref)
                form = isinstance(xobject, DictionaryObject) and xobject.get("/Subtype") == "/Form"
                if form and self._resources(xobject.get("/Resources"), depth + 1, seen):
                    return True
        return False
