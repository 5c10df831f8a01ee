"""How much a page asks the content interpreter to do, measured before it is asked.

PDFium interprets a page in C++ and cannot be stopped half way: a page of 200,000 text
operators costs it half a minute and over a gigabyte. So each page's content streams (and
the form XObjects it draws) are inflated with pypdf first — which also says when a stream
is damaged, something PDFium passes over in silence — and a page past these bounds is a
``limit`` problem, never read in part and never allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .pdf_warnings import inflate_failures

MAX_CONTENT_BYTES = 3_000_000  # inflated content of one page and its forms (~3 s of PDFium at worst)
MAX_TEXT_SHOWS = 30_000  # text-showing operators (Tj, TJ, ', ") on one page; a dense real page has a few thousand
# The quote operators follow their string operand: ``(text) '`` or ``<hex>"``.
_QUOTE_SHOWS = re.compile(rb"[)>]\s*['\"]")


def text_shows(content: bytes) -> int:
    """How many text-showing operators a content stream holds (a close estimate, never less)."""
    return content.count(b"Tj") + content.count(b"TJ") + len(_QUOTE_SHOWS.findall(content))
_MAX_DEPTH = 8


@dataclass(frozen=True)
class PageLoad:
    damaged: bool  # a stream would not inflate: the page's text may be missing
    content_bytes: int
    text_shows: int

    def over(self) -> str | None:
        """Why the page is too much to interpret, or None."""
        if self.text_shows > MAX_TEXT_SHOWS:
            return f"it draws more than {MAX_TEXT_SHOWS:,} pieces of text"
        if self.content_bytes > MAX_CONTENT_BYTES:
            return f"its content is more than {MAX_CONTENT_BYTES:,} bytes once inflated"
        return None


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


class Budget:
    """Measures pages of one document; a form XObject shared by many pages is inflated once."""

    def __init__(self) -> None:
        self._forms: dict[int, tuple[int, int]] = {}

    def page(self, page: Any) -> PageLoad:
        contents = _resolve(page.get("/Contents"))
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        size = shows = 0
        with inflate_failures() as failed:
            for ref in streams:
                stream = _resolve(ref)
                if hasattr(stream, "get_data"):
                    data = stream.get_data()
                    size += len(data)
                    shows += text_shows(data)
                if size > MAX_CONTENT_BYTES:
                    break
            form_size, form_shows = self._forms_of(page.get("/Resources"), 0, set())
        return PageLoad(bool(failed), size + form_size, shows + form_shows)

    def _forms_of(self, resources: Any, depth: int, seen: set[int]) -> tuple[int, int]:
        resources = _resolve(resources)
        if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
            return 0, 0
        xobjects = _resolve(resources.get("/XObject"))
        if not isinstance(xobjects, DictionaryObject):
            return 0, 0
        size = shows = 0
        for ref in xobjects.values():
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            if key in seen:
                continue
            seen.add(key)
            form = _resolve(ref)
            is_form = isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form"
            if not (is_form and hasattr(form, "get_data")):
                continue
            if key not in self._forms:
                data = form.get_data()
                inner = self._forms_of(form.get("/Resources"), depth + 1, seen)
                self._forms[key] = (len(data) + inner[0], text_shows(data) + inner[1])
            size += self._forms[key][0]
            shows += self._forms[key][1]
        return size, shows
