"""HTML bodies: lexbor (selectolax, what html.py uses) beside html5lib and the stdlib tokenizer.

    .venv/bin/python bench/bench_html.py [--rounds 3]
    uv run --with html5lib python bench/bench_html.py     # to include html5lib

Pages are built from a real Court of Appeal judgment (/work/shared/realdocs/judgments, or
tests' letter text when that folder is absent) marked up the way Outlook writes a body:
a table layout, a ``<p class=MsoNormal>`` a paragraph, ``<span>`` runs, a conditional comment.
Printed: milliseconds per page and MB/s for each parser at 10 KB, 100 KB and 1 MB, the best of
``--rounds``; then lexbor on 100,000 nested ``<div>`` (flattened past 512) and 100,000 unmatched
end tags. For lexbor the whole of ``read_html`` is timed (parse, walk, places); for the others
only the parse, so their figures are a lower bound.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import time
from html.parser import HTMLParser
from pathlib import Path

from disclosureguard.extract.html import read_html

JUDGMENTS = Path("/work/shared/realdocs/judgments")
FALLBACK = "Dear Mr Jones,\n\nContact will take place at the family centre on Saturdays.\n\nYours sincerely"


def _paragraphs() -> list[str]:
    files = sorted(JUDGMENTS.glob("*.txt")) if JUDGMENTS.is_dir() else []
    text = "\n\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files[:5]) or FALLBACK
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def outlook_page(size: int) -> str:
    head = (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta charset=utf-8>"
        "<style>p.MsoNormal{margin:0cm;font-size:11pt}</style><!--[if gte mso 9]><xml><o:shapedefaults/>"
        "</xml><![endif]--></head><body lang=EN-GB><div class=WordSection1><table><tr><td>"
    )
    parts = [head]
    total = len(head)
    paragraphs = _paragraphs()
    i = 0
    while total < size:
        words = html.escape(paragraphs[i % len(paragraphs)]).split(" ")
        runs = " ".join(f"<span style='color:#1F3864'>{w}</span>" if n % 7 == 0 else w for n, w in enumerate(words))
        piece = f"<p class=MsoNormal>{runs}<o:p></o:p></p>\n"
        parts.append(piece)
        total += len(piece)
        i += 1
    parts.append("</td></tr></table></div></body></html>")
    return "".join(parts)


class _Stdlib(HTMLParser):
    def handle_data(self, data: str) -> None:
        pass


def _stdlib(page: str) -> None:
    parser = _Stdlib(convert_charrefs=True)
    parser.feed(page)
    parser.close()


def _best(fn, page: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(page)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    parsers = {"lexbor read_html": read_html, "stdlib HTMLParser": _stdlib}
    if importlib.util.find_spec("html5lib"):
        import html5lib

        parsers["html5lib parse"] = lambda page: html5lib.parse(page)
    print(f"{'parser':<20} {'size':>8} {'ms':>10} {'MB/s':>8}")
    for size in (10_000, 100_000, 1_000_000):
        page = outlook_page(size)
        for name, fn in parsers.items():
            fn(page[:2000])  # warm
            seconds = _best(fn, page, args.rounds)
            print(f"{name:<20} {len(page):>8} {seconds * 1000:>10.1f} {len(page) / seconds / 1e6:>8.2f}")
    for label, page in (
        ("100,000 nested <div>", "<div>" * 100_000 + "Lily" + "</div>" * 100_000),
        ("100,000 unmatched end tags", "</span>" * 100_000 + "Lily"),
    ):
        seconds = _best(read_html, page, 1)
        print(f"lexbor read_html on {label}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
