"""HTML to text with a standards-conformant HTML5 parser (lexbor, through selectolax).

The document is parsed as a browser parses it (optional end tags, character references,
broken markup), then every text node and every attribute that can carry text is read:

- text a reader sees, and attribute values that render (``value``, ``placeholder`` of a
  visible control; CSS ``content:`` of a ``::before``/``::after``/``::marker`` rule on an
  element that displays, read where the browser puts it) are *visible*;
- text inside hidden elements (``hidden``, ``display:none``, white, zero-size...), ``alt``,
  ``title`` and the other text-bearing attributes, ``<noscript>``, ``<title>``, scripts,
  comments and Outlook's conditional comments (``<!--[if mso]> … <![endif]-->``) are read
  and kept apart as *hidden*, each under the name of the place it came from; so is CSS
  ``content:`` that renders nowhere (a rule matching no element, or only hidden ones, a rule
  that hides itself, a ``content:`` on an element rather than a pseudo-element).

Nothing is dropped: only markup (tag names, layout attributes, CSS other than generated
content) is not text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..model import Document, Segment
from .context import ExtractContext
from .format import Format
from .text import decode_text, text_segments

_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "hr", "td", "th", "dd", "dt",
    "dl", "form", "fieldset", "legend", "option", "caption", "figcaption", "address", "main", "nav",
}
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|"
    r"(?<![-\w])color\s*:\s*(?:#fff(?:fff)?\b|white\b|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))|opacity\s*:\s*0(?![.\d]*[1-9])|"
    r"max-height\s*:\s*0(?![.\d]*[1-9])|mso-hide\s*:\s*all",
    re.I,
)
# Elements whose text a browser never shows, and the place their text is reported under.
_NOT_RENDERED = {
    "title": "document title",
    "script": "script",
    "noscript": "noscript",
    "template": "template",
    "noembed": "noembed",
    "noframes": "noframes",
    "textarea": None,  # rendered: a visible control shows its text
}
# Attributes whose value is rendered as part of the page in a visible element.
_RENDERED_ATTRIBUTES = {"value", "placeholder"}
# Attributes that are never text: layout, identifiers of the markup itself, URLs of images.
_MARKUP_ATTRIBUTES = {
    "style", "class", "id", "width", "height", "align", "valign", "border", "cellpadding",
    "cellspacing", "bgcolor", "color", "face", "size", "lang", "dir", "type", "target", "rel",
    "charset", "http-equiv", "colspan", "rowspan", "role", "tabindex", "hidden", "xmlns",
    "bordercolor", "background", "nowrap", "frame", "rules", "span", "scope", "headers",
    "shape", "coords", "usemap", "ismap", "start", "reversed", "checked", "selected",
    "disabled", "readonly", "multiple", "required", "autofocus", "method", "enctype",
    "novalidate", "maxlength", "minlength", "cols", "rows", "wrap", "frameborder",
    "marginwidth", "marginheight", "scrolling", "loading", "decoding", "crossorigin",
    "integrity", "referrerpolicy", "media", "sizes", "version", "clear", "hspace", "vspace",
    "leftmargin", "topmargin", "link", "vlink", "alink", "text", "valuetype", "accesskey",
    "draggable", "spellcheck", "translate", "contenteditable", "autocomplete", "inputmode",
}
# Text-bearing attributes a location may name; any other name is the sender's own text
# (data-943-476-5919) and is reported as "other attribute".
_NAMED_ATTRIBUTES = {
    "aria-label", "aria-description", "aria-placeholder", "aria-roledescription", "aria-valuetext", "label",
    "summary", "abbr", "content", "name", "download", "datetime", "for", "form", "list", "pattern", "srcdoc",
}
_URL_ATTRIBUTES = {"href", "src", "action", "cite", "longdesc", "poster", "data", "formaction", "background"}
# CSS generated content: ``content: "..."`` (and ``attr()`` or counters, which are not text)
_CSS_CONTENT = re.compile(r"content\s*:\s*((?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^;}\"'])*)", re.I)
_CSS_STRING = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# A selector's generated-content pseudo-element, which the browser renders in the element.
_PSEUDO = re.compile(r"::?(before|after|marker)\s*$", re.I)
_CSS_PLACE = "CSS generated content"
_MAX_RULE_MATCHES = 10_000  # elements one rule's text is placed at: once each is enough to read it
# Selectors matched against the document: each costs a pass over it. Past this, a rule's text is
# read as hidden (stricter than visible), so a sheet of a million rules stays linear.
_MAX_SELECTORS = 200
# Blink stops nesting at 512 elements (deeper ones become siblings). lexbor nests without
# a limit and its scope checks make each nested <div> cost the depth of the stack, so a
# page of 100,000 nested tags took a minute. Start tags past this depth are taken out
# before parsing: they hold no text, and the text between them is kept.
MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr", "param", "track"}
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
_CONDITIONAL = re.compile(r"^\s*\[if[^\]]*\]>(.*?)(?:<!\[endif\]\s*)?$", re.S | re.I)
_MAX_COMMENT_DEPTH = 3  # a comment's content is parsed as HTML; inside it, once more at most


@dataclass(frozen=True)
class HtmlText:
    """What one HTML document holds: visible text, and hidden text by the place it came from."""

    visible: str
    hidden: tuple[tuple[str, str], ...]  # (place, text), places in the order first met

    def hidden_text(self) -> str:
        return "\n".join(text for _, text in self.hidden)


class _Out:
    def __init__(self) -> None:
        self.visible: list[str] = []
        self.hidden: dict[str, list[str]] = {}

    def add(self, text: str, place: str | None) -> None:
        if place is None:
            self.visible.append(text)
        else:
            self.hidden.setdefault(place, []).append(text)


def _flatten_deep_nesting(html: str) -> str:
    """Take out start tags nested deeper than MAX_DEPTH (see there); linear in the length."""
    depth = 0
    deepest = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if m.group(1):
            depth = max(0, depth - 1)
        elif name not in _VOID and not m.group(0).endswith("/>"):
            depth += 1
            deepest = max(deepest, depth)
    if deepest <= MAX_DEPTH:
        return html
    out: list[str] = []
    last = 0
    depth = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if m.group(1):
            depth = max(0, depth - 1)
            continue
        if name in _VOID or m.group(0).endswith("/>"):
            continue
        depth += 1
        if depth > MAX_DEPTH and name not in _RAW_TEXT:
            out.append(html[last : m.start()])
            out.append(" ")
            last = m.end()
    out.append(html[last:])
    return "".join(out)


def _css_unescape(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            try:
                return chr(int(m.group(1), 16))
            except (ValueError, OverflowError):
                return "\ufffd"
        return "" if m.group(2) == "\n" else m.group(2)

    return _CSS_ESCAPE.sub(one, value)


def css_generated_text(css: str) -> list[str]:
    """The strings of every ``content:`` declaration in a style sheet or style attribute."""
    found = []
    for decl in _CSS_CONTENT.finditer(_CSS_COMMENT.sub(" ", css)):
        # group 1 is a double-quoted string, group 2 a single-quoted one
        strings = [_css_unescape(m.group(1) if m.group(1) is not None else m.group(2))
                   for m in _CSS_STRING.finditer(decl.group(1))]
        text = "".join(strings)
        if text.strip():
            found.append(text)
    return found


def _css_rules(css: str) -> Iterator[tuple[str, str]]:
    """(selector list, declarations) of every rule of a style sheet, inside @media and
    @supports blocks too; quoted strings may hold braces."""
    css = _CSS_COMMENT.sub(" ", css)
    stack: list[int] = []  # where each open block's prelude starts
    start = 0
    i = 0
    n = len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            end = i + 1
            while end < n and css[end] != c:
                end += 2 if css[end] == "\\" else 1
            i = end + 1
            continue
        if c == "{":
            stack.append(start)
            prelude_end = i
            start = i + 1
            # a block that holds blocks (an at-rule) is entered; a rule's block is read whole
            if not css[stack[-1]:prelude_end].lstrip().startswith("@"):
                close = _block_end(css, i + 1)
                yield css[stack.pop():prelude_end].strip(), css[i + 1 : close]
                i = close + 1
                start = i
                continue
        elif c == "}":
            if stack:
                stack.pop()
            start = i + 1
        elif c == ";" and not stack:
            start = i + 1  # @import, @charset
        i += 1


def _block_end(css: str, i: int) -> int:
    """The index of the brace that closes the block opened just before ``i`` (or the end)."""
    depth = 1
    n = len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            i += 1
            while i < n and css[i] != c:
                i += 2 if css[i] == "\\" else 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return n


@dataclass
class _Generated:
    """Generated text a style sheet places in elements, and the sheets' text that renders nowhere."""

    before: dict[int, list[tuple[int, str]]]  # element → (rule text number, text) shown before its content
    after: dict[int, list[tuple[int, str]]]
    unplaced: dict[int, list[str]]  # <style> element → texts of rules that render nowhere
    shown: set[tuple[int, bool]]  # (rule text number, hidden?) already read once


def _generated(root: LexborNode) -> _Generated:
    found = _Generated({}, {}, {}, set())
    number = 0
    budget = _MAX_SELECTORS
    for sheet in root.css("style"):
        for selectors, declarations in _css_rules(sheet.text(deep=True) or ""):
            texts = css_generated_text(declarations)
            if not texts:
                continue
            placed = False
            if not _HIDDEN_STYLE.search(declarations):
                for selector in selectors.split(","):
                    pseudo = _PSEUDO.search(selector)
                    if pseudo is None:
                        continue  # content: on an element itself is not rendered
                    base = selector[: pseudo.start()].strip() or "*"
                    budget -= 1
                    if budget < 0:
                        break
                    try:
                        elements = root.css(base)[:_MAX_RULE_MATCHES]
                    except Exception:  # a selector lexbor cannot read (:hover...): not shown for sure
                        continue
                    side = found.after if pseudo.group(1).lower() == "after" else found.before
                    for element in elements:
                        for text in texts:
                            side.setdefault(element.mem_id, []).append((number, text))
                    placed = placed or bool(elements)
            if placed:
                number += 1
            else:
                found.unplaced.setdefault(sheet.mem_id, []).extend(texts)
    return found


def _add_generated(items: list[tuple[int, str]], place: str | None, gen: _Generated, out: _Out) -> None:
    for number, text in items:
        key = (number, place is not None)
        if key not in gen.shown:
            gen.shown.add(key)
            out.add(f" {text} ", place)


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.first_child
    while child is not None:
        yield child
        child = child.next


def _attribute_text(node: LexborNode, tag: str, hidden_place: str | None, out: _Out) -> None:
    attrs = node.attributes
    input_type = (attrs.get("type") or "").lower()
    for key, value in attrs.items():
        if not value or not value.strip():
            continue
        key = key.lower()
        if key == "style":
            for text in css_generated_text(value):
                out.add(f" {text} ", hidden_place or "CSS generated content")
            continue
        if key in _MARKUP_ATTRIBUTES or (tag == "meta" and key in ("name", "property", "itemprop")):
            continue
        if key in _RENDERED_ATTRIBUTES and tag in ("input", "button", "option", "textarea", "select"):
            shown = hidden_place is None and input_type != "hidden"
            place = None if shown else (hidden_place or "hidden form value")
            out.add(f" {value} ", place)
        elif key in _URL_ATTRIBUTES:
            if not value.lower().startswith(("cid:", "data:")):
                out.add(f"{value}\n", "link address")
        elif key == "alt":
            out.add(f"{value}\n", hidden_place or "image alt text")
        elif key == "title":
            out.add(f"{value}\n", hidden_place or "title attribute (shown on hover)")
        else:
            label = f"{key} attribute" if key in _NAMED_ATTRIBUTES else "other attribute"
            out.add(f"{value}\n", hidden_place or label)


def _walk(root: LexborNode, out: _Out, base_place: str | None, comment_depth: int,
          gen: _Generated | None = None) -> None:
    gen = gen if gen is not None else _generated(root)
    # Iterative: a real message may nest hundreds of elements and recursion would not do.
    # Each stack entry is (node, place of the hidden text it is in, or None; the element it
    # closes, if a closing entry).
    stack: list[tuple[LexborNode | None, str | None, str, int]] = [(root, base_place, "", 0)]
    while stack:
        node, place, closing, closing_id = stack.pop()
        if node is None:
            if closing_id in gen.after:
                _add_generated(gen.after[closing_id], place, gen, out)
            if closing in _BLOCK:
                out.add("\n", place)
            continue
        tag = node.tag or ""
        if tag == "-text":
            out.add(node.text_content or "", place)
            continue
        if tag == "-comment":
            _comment(node.comment_content or "", out, comment_depth)
            continue
        if tag.startswith("-") and tag != "-document":
            continue
        if tag == "style":
            for text in gen.unplaced.get(node.mem_id, ()):
                out.add(f"\n{text}\n", place or _CSS_PLACE)
            continue
        inner = place
        if tag in _NOT_RENDERED and _NOT_RENDERED[tag] is not None:
            inner = place or _NOT_RENDERED[tag]
        elif tag and not tag.startswith("-"):
            attrs = node.attributes
            if "hidden" in attrs or _HIDDEN_STYLE.search(attrs.get("style") or ""):
                inner = place or "hidden text"
        if tag and not tag.startswith("-"):
            _attribute_text(node, tag, inner, out)
        if tag in _BLOCK:
            out.add("\n", inner)
        if tag == "template":
            for fragment in node.template_fragments():
                _walk(fragment, out, inner, comment_depth, gen)
        node_id = node.mem_id
        if node_id in gen.before:
            _add_generated(gen.before[node_id], inner, gen, out)
        stack.append((None, inner, tag, node_id))
        stack.extend((child, inner, "", 0) for child in reversed(list(_children(node))))


def _comment(content: str, out: _Out, depth: int) -> None:
    if not content.strip():
        return
    conditional = _CONDITIONAL.match(content)
    place = "conditional comment (shown by Outlook)" if conditional else "comment"
    body = conditional.group(1) if conditional else content
    if depth >= _MAX_COMMENT_DEPTH or "<" not in body:
        out.add(f"\n{body}\n", place)
        return
    inner = _Out()
    _walk(_document(body), inner, None, depth + 1)
    out.add("\n" + "".join(inner.visible) + "\n", place)
    for sub_place, texts in inner.hidden.items():
        out.add("\n" + "".join(texts) + "\n", place if sub_place == "comment" else f"{place}, {sub_place}")


def _document(html: str) -> LexborNode:
    root = LexborHTMLParser(_flatten_deep_nesting(html)).root
    if root is None:
        raise ValueError("lexbor returned no document")
    # the document node, so that comments before <html> and after </html> are read too
    return root.parent or root


def _tidy(parts: list[str]) -> str:
    text = "".join(parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def read_html(html: str) -> HtmlText:
    """Every piece of text in an HTML document, visible and hidden."""
    out = _Out()
    html = html.replace("\x00", "\ufffd")  # lexbor stops at a NUL; a browser shows U+FFFD
    _walk(_document(html), out, None, 0)
    hidden = tuple((place, t) for place, texts in out.hidden.items() if (t := _tidy(texts)))
    return HtmlText(visible=_tidy(out.visible), hidden=hidden)


def html_to_text(html: str) -> tuple[str, str]:
    """Return (visible text, all hidden text) of an HTML document."""
    found = read_html(html)
    return found.visible, found.hidden_text()


def html_segments(html: str, where: str, ctx: ExtractContext) -> list[Segment]:
    """Segments of an HTML document: the visible text by paragraph, hidden text by place."""
    found = read_html(html)
    segments = text_segments(found.visible, where, ctx)
    for place, text in found.hidden:
        for seg in text_segments(text, f"{where}, {place}", ctx, kind="hidden-text"):
            segments.append(Segment(text=seg.text, location=seg.location, kind="hidden-text", hidden=True))
    return segments


_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta\s|title>|div|table|p>|span|style)",
    re.I | re.S,
)


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:4096]))


def extract_html(data: bytes, name: str, ctx: ExtractContext) -> Document:
    return Document(name=name, media_type="text/html", segments=tuple(html_segments(decode_text(data), "HTML", ctx)))


FORMAT = Format(
    name="html",
    extensions=(".html", ".htm", ".xhtml"),
    media_types=("text/html", "application/xhtml+xml"),
    sniff=looks_like_html,
    extract=extract_html,
    # an HTML fragment with no recognisable start is still text, and text is read as it is
    compatible=("text",),
)
