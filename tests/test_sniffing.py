"""A part is read by what its bytes are (issue 13): a PDF attached as notes.txt is read as
a PDF and reported as a type mismatch; text whose declared charset the bytes contradict is
decoded by the bytes, and the disagreement reported."""

from __future__ import annotations

import codecs
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from reportlab.pdfgen.canvas import Canvas

from construct_fixtures import ADDRESS, CHILD, CHILD_NHS, FATHER, UNKNOWN
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.extract.text import binary_kind, decode_declared, unicode_by_bytes
from disclosureguard.model import Action
from docfixtures import docx, p, pdf, r


def _pdf_of(text: str) -> bytes:
    def draw(c: Canvas) -> None:
        c.drawString(72, 720, text)

    return pdf(draw)


def _email_with(payload: bytes, filename: str, maintype: str, subtype: str, to: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sam.worker@gov.je", to, "Notes"
    msg.set_content("Please see the notes.")
    msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def test_pdf_attached_as_notes_txt_is_read_as_pdf_and_reported_as_a_type_mismatch():
    doc = extract(_email_with(_pdf_of(CHILD), "notes.txt", "text", "plain", UNKNOWN), "message.eml")
    (attachment,) = doc.children
    assert attachment.media_type == "application/pdf"
    assert [(pr.cause, pr.message) for pr in attachment.problems] == [
        ("type-mismatch", "named as text but the content is pdf")
    ]
    assert any(CHILD_NHS in s.text for s in attachment.segments)


@pytest.mark.parametrize(
    ("text", "to", "rule"), [(CHILD, UNKNOWN, "unknown-recipient"), (ADDRESS, FATHER, "withheld-detail")]
)
def test_pdf_named_as_text_blocks_what_it_holds(text: str, to: str, rule: str, patterns_scanner: Scanner):
    data = _email_with(_pdf_of(text), "notes.txt", "text", "plain", to)
    verdict = patterns_scanner.scan(data, [to], name="message.eml")
    assert verdict.decision == Action.BLOCK
    assert {reason.rule for reason in verdict.reasons} >= {rule, "unscannable"}
    assert [e.cause for e in verdict.errors] == ["type-mismatch"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n" + bytes(8), "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(8), "a JPEG image"),
        (b"GIF89a" + bytes(8), "a GIF image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "an OLE2 compound file (Office 97-2003 or encrypted Office)"),
        (b"PK\x03\x04" + bytes(8), "a zip package"),
        (b"Dear Mr Jones", None),
    ],
)
def test_binary_signatures_are_known_whatever_the_name(data: bytes, kind: str | None):
    assert binary_kind(data) == kind


def test_an_image_named_as_text_is_not_read_as_text():
    png = b"\x89PNG\r\n\x1a\n" + b"IHDR" + b"Lily Smith 943 476 5919" * 4
    doc = extract(png, "notes.txt", media_type="text/plain")
    assert doc.segments == ()
    assert [(pr.cause, pr.message) for pr in doc.problems] == [
        ("type-mismatch", "named as text but the content is image"),
        ("corrupt", "the picture could not be decoded (OSError)"),  # read as a picture: a broken one
    ]


def test_a_word_file_named_as_text_is_read_as_word():
    doc = extract(docx(p(r(CHILD))), "notes.txt", media_type="text/plain")
    assert [pr.cause for pr in doc.problems] == ["type-mismatch"]
    assert [s.text for s in doc.segments] == [CHILD]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_nul_pattern(encoding: str):
    data = CHILD.encode(encoding)
    assert unicode_by_bytes(data) == encoding
    doc = extract(data, "notes.txt")
    assert doc.problems == () and [s.text for s in doc.segments] == [CHILD]


def test_a_declared_charset_the_bytes_contradict_is_overruled_and_reported():
    body = codecs.BOM_UTF16_LE + CHILD.encode("utf-16-le")
    text, note = decode_declared(body, "us-ascii")
    assert text == "\ufeff" + CHILD or text == CHILD
    assert note == "the declared charset disagrees with the bytes, which are UTF-16: read as UTF-16"
    assert decode_declared(CHILD.encode("utf-16"), "utf-16") == (CHILD, None)
    assert decode_declared(CHILD.encode("utf-8"), "utf-8") == (CHILD, None)


def test_an_email_body_in_utf16_declared_as_ascii_is_read_and_reported(patterns_scanner: Scanner):
    msg = MIMEMultipart()
    msg["From"], msg["To"], msg["Subject"] = "sam.worker@gov.je", UNKNOWN, "Notes"
    part = MIMEText("", "plain", "us-ascii")
    part.set_payload(CHILD.encode("utf-16-le"))
    msg.attach(part)
    doc = extract(msg.as_bytes(), "message.eml")
    assert [(pr.cause, pr.message) for pr in doc.problems] == [
        (
            "charset-mismatch",
            "email body: the declared charset disagrees with the bytes, which are UTF-16-LE: read as UTF-16-LE",
        )
    ]
    assert any(s.text == CHILD for s in doc.segments)
    verdict = patterns_scanner.scan(msg.as_bytes(), [UNKNOWN], name="message.eml")
    assert verdict.decision == Action.BLOCK
    assert any(f.text == CHILD_NHS for f in verdict.findings)
