"""Extractor bugs that hostile input (and the fuzz targets) found, each with the input that showed it."""

from __future__ import annotations

import struct
import time
import zlib

import pytest

from disclosureguard.extract import extract
from disclosureguard.extract.html import html_to_text
from hostile_corpus import FONT, NHS, PAGE_TEXT, deflated, html_nesting_bomb, pdf_stream, raw_pdf, raw_zip


def _one_page_pdf(content: bytes, filter_name: bytes = b"/FlateDecode") -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(content, b"/Filter " + filter_name),
            FONT,
        ]
    )


def test_page_whose_content_stream_will_not_inflate_is_a_problem_not_an_empty_page():
    # Raw deflate without the zlib header: pypdf logs a warning and returns no text at all.
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    doc = extract(_one_page_pdf(raw.compress(PAGE_TEXT) + raw.flush()), "report.pdf")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("corrupt", "page 1: a content stream is damaged and could not be inflated")
    ]


def test_content_stream_with_a_few_stray_bytes_after_it_is_still_read_without_a_problem():
    doc = extract(_one_page_pdf(zlib.compress(PAGE_TEXT) + b"\r\n\r"), "report.pdf")
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
    # Timed against a quarter of the depth, so the ratio measures the code and not the
    # machine's load: linear is about 4, the old quadratic scan about 16.
    def read(depth: int) -> tuple[float, tuple[str, str]]:
        start = time.perf_counter()
        result = html_to_text("<div>" * depth + "</span>" * depth + f"NHS {NHS}")
        return time.perf_counter() - start, result

    quarter = min(read(25_000)[0] for _ in range(3))
    full, (visible, hidden) = min(read(100_000) for _ in range(2))
    assert visible == f"NHS {NHS}" and hidden == ""
    assert full / quarter < 8, f"four times the tags took {full / quarter:.1f} times as long"


def test_html_nesting_bomb_in_an_email_is_read_and_its_identifier_kept():
    doc = extract(html_nesting_bomb(), "message.eml")
    assert doc.all_problems() == ()
    assert any(NHS in s.text for s in doc.all_segments())


def test_hidden_and_dropped_state_still_ends_with_its_element():
    visible, hidden = html_to_text(
        '<p>a<span style="display:none">h<b>i</b>d</span> v</p><script>x()</script>'
        "<p>z</p></em></p><div hidden>gone<i>too</div>back"
    )
    assert visible == "a v\n\nz\n\nback"
    # hidden text by place: the hidden span and div first, then the script (never shown)
    assert hidden == "hid\ngonetoo\nx()"


# Found by fuzz/fuzz_email.py (through its FUZZ_UNEXPECTED_LOG): the email package's header
# parser raises on this To header, and the whole message used to be given up as corrupt.
_UNPARSEABLE_TO = 'mjones@exampleen,.t =?utfy:none">JE3+8Xnie?= <m@example.org>'


def test_header_the_email_package_cannot_parse_is_read_raw_and_reported_and_the_rest_is_read():
    data = f"From: a@gov.je\r\nTo: {_UNPARSEABLE_TO}\r\nSubject: NHS {NHS}\r\n\r\nLily Smith\r\n".encode()
    doc = extract(data, "message.eml")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("malformed", "the To header is malformed: read as raw text")
    ]
    assert [s.text for s in doc.segments] == ["a@gov.je", _UNPARSEABLE_TO, f"NHS {NHS}", "Lily Smith"]
    assert doc.envelope is not None and doc.envelope.sender == "a@gov.je"


def test_unparseable_header_with_an_encoded_word_in_a_bogus_charset_is_still_read_raw():
    # Found by the second fuzz_email.py run: the lenient decoder raised CharsetError.
    to = f"{_UNPARSEABLE_TO}, =?u\xe9?q?Lily?= <l@example.org>"
    data = f"From: a@gov.je\r\nTo: {to}\r\nSubject: NHS {NHS}\r\n\r\nbody\r\n".encode("latin-1")
    doc = extract(data, "message.eml")
    assert [p.cause for p in doc.problems] == ["malformed"]
    assert [s.text for s in doc.segments] == ["a@gov.je", to.replace("\xe9", "\ufffd"), f"NHS {NHS}", "body"]


@pytest.mark.parametrize("charset", ["idna", "utf-8\x00", "punycode"])
def test_body_in_a_charset_that_is_not_a_text_encoding_is_still_read(charset: str):
    data = (
        f'From: a@gov.je\r\nTo: b@example.com\r\nContent-Type: text/plain; charset="{charset}"\r\n\r\n'
        f"\xff NHS {NHS}\r\n"
    ).encode("latin-1")
    doc = extract(data, "message.eml")
    assert doc.problems == ()
    assert any(f"NHS {NHS}" in s.text for s in doc.segments)


# Found by fuzz/fuzz_zip.py and fuzz/fuzz_docx.py (FUZZ_UNEXPECTED_LOG): zipfile raises
# ValueError and IndexError on these, and the whole archive used to be given up as corrupt.


def test_zip_whose_members_start_before_the_file_is_a_problem_per_member_and_their_names_are_read():
    good = raw_zip([deflated("a.txt", f"NHS {NHS}".encode()), deflated("b.txt", b"hello")])
    (cd_offset,) = struct.unpack("<I", good[-6:-2])
    bad = good[:-6] + struct.pack("<I", cd_offset + 500) + good[-2:]  # every member offset now negative
    doc = extract(bad, "bundle.zip")
    assert [(p.part, p.cause) for p in doc.problems] == [
        ("bundle.zip: a.txt", "corrupt"),
        ("bundle.zip: b.txt", "corrupt"),
    ]
    assert [s.text for s in doc.segments] == ["a.txt", "b.txt"]


def test_zip_member_with_an_empty_name_is_read_like_any_other():
    doc = extract(raw_zip([deflated("", f"NHS {NHS}".encode()), deflated("b.txt", b"hello")]), "bundle.zip")
    assert doc.all_problems() == ()
    assert any(s.text == f"NHS {NHS}" for s in doc.all_segments())
