"""Extractor bugs that hostile input (and the fuzz targets) found, each with the input that showed it."""

from __future__ import annotations

import time
import zlib

from disclosureguard.extract import extract
from disclosureguard.extract.html import html_to_text
from hostile_corpus import _FONT, _TEXT, NHS, html_nesting_bomb, raw_pdf
from hostile_corpus import _stream as pdf_stream


def _one_page_pdf(content: bytes, filter_name: bytes = b"/FlateDecode") -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(content, b"/Filter " + filter_name),
            _FONT,
        ]
    )


def test_page_whose_content_stream_will_not_inflate_is_a_problem_not_an_empty_page():
    # Raw deflate without the zlib header: pypdf logs a warning and returns no text at all.
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    doc = extract(_one_page_pdf(raw.compress(_TEXT) + raw.flush()), "report.pdf")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("corrupt", "page 1: a content stream is damaged and could not be inflated")
    ]


def test_content_stream_with_a_few_stray_bytes_after_it_is_still_read_without_a_problem():
    doc = extract(_one_page_pdf(zlib.compress(_TEXT) + b"\r\n\r"), "report.pdf")
    assert doc.problems == ()
    assert [s.text for s in doc.segments] == [f"Lily Smith, NHS number {NHS}"]


def test_embedded_file_whose_name_is_undecodable_bytes_is_read_with_a_text_name():
    # Found by fuzz/fuzz_pdf.py: the name tree key came back as bytes and a bytes
    # segment made detection fail for the whole document.
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Names [<6e6f74657300fe> 5 0 R] >>",
            b"<< /Type /Filespec /F <6e6f74657300fe> /UF <6e6f74657300fe> /EF << /F 6 0 R >> >>",
            pdf_stream(f"NHS number {NHS}".encode(), b"/Type /EmbeddedFile"),
        ]
    )
    doc = extract(data, "report.pdf")
    assert doc.all_problems() == ()
    assert all(isinstance(s.text, str) for s in doc.all_segments())
    assert [s.text for s in doc.all_segments()] == ["notes\x00\ufffd", f"NHS number {NHS}"]


def test_html_with_a_hundred_thousand_nested_and_unmatched_tags_is_read_in_linear_time():
    # Scanning the open-tag stack for every piece of text made this take minutes.
    depth = 100_000
    start = time.perf_counter()
    visible, hidden = html_to_text("<div>" * depth + "</span>" * depth + f"NHS {NHS}")
    assert time.perf_counter() - start < 5
    assert visible == f"NHS {NHS}" and hidden == ""


def test_html_nesting_bomb_in_an_email_is_read_and_its_identifier_kept():
    start = time.perf_counter()
    doc = extract(html_nesting_bomb(), "message.eml")
    assert time.perf_counter() - start < 10
    assert doc.all_problems() == ()
    assert any(NHS in s.text for s in doc.all_segments())


def test_hidden_and_dropped_state_still_ends_with_its_element():
    visible, hidden = html_to_text(
        '<p>a<span style="display:none">h<b>i</b>d</span> v</p><script>x()</script>'
        "<p>z</p></em></p><div hidden>gone<i>too</div>back"
    )
    assert visible == "a v\n\nz\n\nback"
    assert hidden == "hidgonetoo"
