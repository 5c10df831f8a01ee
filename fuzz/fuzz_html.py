"""Fuzz target: any bytes as an HTML page (an email body, an altChunk, an .html attachment).

.venv/bin/python fuzz/fuzz_html.py fuzz/corpus/html fuzz/seeds/html -max_total_time=600

Input that does not start with markup gets ``<html>`` in front, so that mutations reach
the HTML5 parser and the walker rather than the plain-text fallback. The walker's own
result is checked too: the text of every place is a string, and nothing is both visible
and hidden.
"""

from __future__ import annotations

import harness

from disclosureguard.extract.html import read_html
from disclosureguard.extract.text import decode_text


def one_input(data: bytes) -> None:
    if data.lstrip()[:1] != b"<":
        data = b"<html>" + data
    harness.check(data, "page.html")
    found = read_html(decode_text(data))
    if not isinstance(found.visible, str) or not all(isinstance(t, str) and p for p, t in found.hidden):
        raise AssertionError("read_html returned something that is not text by place")


if __name__ == "__main__":
    harness.run(one_input)
