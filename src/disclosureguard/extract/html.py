"""HTML to text for email bodies: scripts and styles dropped, hidden elements kept apart."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "hr", "td", "th",
}
_DROPPED = {"script", "style", "head", "title", "template", "noscript"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|"
    r"(?<![-\w])color\s*:\s*(?:#fff(?:fff)?\b|white\b|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))|opacity\s*:\s*0(?![.\d]*[1-9])",
    re.I,
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, dropped, hidden
        # Counts kept beside the stack so that each piece of text and each end tag costs
        # O(1): scanning the stack instead made a page of 100,000 nested or unmatched
        # tags (a few hundred KB) take minutes.
        self._dropped = 0
        self._hidden = 0
        self._open: dict[str, int] = {}

    def _state(self) -> tuple[bool, bool]:
        return (self._dropped > 0, self._hidden > 0)

    def _push(self, tag: str, dropped: bool, hidden: bool) -> None:
        self._stack.append((tag, dropped, hidden))
        self._dropped += dropped
        self._hidden += hidden
        self._open[tag] = self._open.get(tag, 0) + 1

    def _pop(self) -> None:
        tag, dropped, hidden = self._stack.pop()
        self._dropped -= dropped
        self._hidden -= hidden
        self._open[tag] -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        hidden = "hidden" in a or bool(_HIDDEN_STYLE.search(a.get("style", "")))
        if tag in _BLOCK:
            self._emit("\n")
        if tag == "img" and a.get("alt"):
            self._emit(f" {a['alt']} ")
        if tag not in _VOID:
            self._push(tag, tag in _DROPPED, hidden)

    def handle_endtag(self, tag: str) -> None:
        if self._open.get(tag, 0) > 0:  # an end tag with no open element is ignored
            while self._stack[-1][0] != tag:
                self._pop()
            self._pop()
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def _emit(self, text: str) -> None:
        dropped, hidden = self._state()
        if dropped:
            return
        (self.hidden if hidden else self.visible).append(text)


def _tidy(parts: list[str]) -> str:
    text = "".join(parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> tuple[str, str]:
    """Return (visible text, hidden text) of an HTML document."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return _tidy(collector.visible), _tidy(collector.hidden)
