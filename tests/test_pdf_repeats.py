"""Page headers and footers repeated on every page are read once and reported once."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from disclosureguard.extract import extract
from disclosureguard.extract.pdf_repeats import drop_repeats, repeated_lines
from docfixtures import pdf

HEADER = "Children's Services - Smith family - NHS 943 476 5919"


def _report_page(c: Canvas) -> None:
    n = c.getPageNumber()
    c.setFont("Helvetica", 10)
    c.drawString(72, 800, HEADER)
    c.drawString(72, 700, f"Paragraph of page {n}: the visit went well.")
    c.drawString(72, 40, f"Page {n} of 5")


def test_a_header_on_every_page_is_kept_on_the_first_page_only():
    doc = extract(pdf(_report_page, pages=5), "report.pdf")
    pages = [s for s in doc.segments if s.kind == "body"]
    assert [s.location for s in pages] == [f"page {n}" for n in range(1, 6)]
    assert [HEADER in s.text for s in pages] == [True, False, False, False, False]
    assert all(f"Paragraph of page {n}" in s.text and f"Page {n} of 5" in s.text for n, s in enumerate(pages, 1))


def test_a_header_found_once_is_one_finding(patterns_scanner):
    verdict = patterns_scanner.scan(pdf(_report_page, pages=5), ["someone@example.com"], name="report.pdf")
    assert [(f.text, f.location) for f in verdict.findings if f.entity_type == "UK_NHS"] == [
        ("943 476 5919", "page 1")
    ]


def test_lines_that_differ_from_page_to_page_are_never_dropped():
    pages = [f"Header\nNHS {n}43 476 5919\nbody {n}" for n in range(6)]
    assert repeated_lines(pages) == frozenset({"Header"})
    assert all(f"NHS {n}43 476 5919" in t for n, t in enumerate(drop_repeats(pages)))


def test_two_pages_are_too_few_to_call_a_line_a_header():
    assert repeated_lines(["Header\nbody", "Header\nmore"]) == frozenset()


def test_a_line_in_the_middle_of_pages_is_not_a_header():
    pages = ["a\nb\nc\nSame line\nd\ne\nf"] * 4
    assert "Same line" not in repeated_lines(pages)
