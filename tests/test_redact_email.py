"""Redaction of email: bodies and attachments redacted (each by its own format's redactor,
nested messages too), addressing headers intact, every part checked independently."""

from __future__ import annotations

import email
import io
import re
import zipfile
from email import policy
from email.message import EmailMessage

import docx
import pytest
from pypdf import PdfReader

from disclosureguard.redact import redact_values
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, WITHHELD, letter_email, letter_text

VALUES = (ADDRESS, POSTCODE, PHONE, EMAIL)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.fixture(scope="module")
def redacted() -> EmailMessage:
    return _parse(redact_values(letter_email(), "message.eml", WITHHELD).data)


def test_headers_stay_as_they_were(redacted):
    original = _parse(letter_email())
    for header in ("From", "To", "Subject", "Message-ID"):
        assert redacted[header] == original[header]


def test_plain_and_html_bodies_hold_no_value(redacted):
    plain = redacted.get_body(("plain",)).get_content()
    html = redacted.get_body(("html",)).get_content()
    assert "moved to [REDACTED: ADDRESS], so the\nhandover" in plain
    assert "[REDACTED: EMAIL_ADDRESS]" in html and "mailto:[REDACTED: EMAIL_ADDRESS]" in html
    for value in VALUES:
        assert _squash(value) not in _squash(plain)
        assert _squash(value) not in _squash(re.sub(r"<[^>]+>|&nbsp;", " ", html))


def test_attachments_are_kept_by_name_and_redacted_in_their_own_format(redacted):
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in redacted.iter_attachments()}
    assert set(attachments) == {"letter.docx", "letter.pdf"}
    word = attachments["letter.docx"]
    with zipfile.ZipFile(io.BytesIO(word)) as zf:
        assert "word/comments.xml" not in zf.namelist()
        xml = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
    texts = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert "[REDACTED: ADDRESS]" in texts
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attachments["letter.pdf"])).pages)
    assert "Re: Lily Smith" in pdf_text
    for value in VALUES:
        assert _squash(value) not in _squash(re.sub(r"<[^>]+>", "", xml))
        assert _squash(value) not in _squash(pdf_text)


def test_a_forwarded_message_is_redacted_too_and_its_subject_with_it():
    inner = EmailMessage()
    inner["From"] = "sarah.smith@example.com"
    inner["To"] = "priya.shah@gov.je"
    inner["Subject"] = f"My new address: {ADDRESS}"
    inner.set_content(f"Please write to me at {ADDRESS} or call {PHONE}.")
    outer = EmailMessage()
    outer["From"] = "priya.shah@gov.je"
    outer["To"] = "mjones@example.net"
    outer["Subject"] = "Fwd: contact"
    outer.set_content("See below.")
    outer.add_attachment(inner)
    result = redact_values(outer.as_bytes(), "fwd.eml", WITHHELD)
    forwarded = next(_parse(result.data).iter_attachments()).get_payload()[0]
    assert forwarded["Subject"] == "My new address: [REDACTED: ADDRESS]"
    assert forwarded["From"] == "sarah.smith@example.com"  # addressing headers are kept as they are
    assert forwarded.get_content().strip() == (
        "Please write to me at [REDACTED: ADDRESS] or call [REDACTED: PHONE_NUMBER]."
    )


def test_an_attachment_that_cannot_be_redacted_is_replaced_by_a_note():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("letter.txt", letter_text())
    msg = EmailMessage()
    msg["From"] = "priya.shah@gov.je"
    msg["To"] = "mjones@example.net"
    msg["Subject"] = "Letters"
    msg.set_content("Attached.")
    msg.add_attachment(buf.getvalue(), maintype="application", subtype="zip", filename="letters.zip")
    result = redact_values(msg.as_bytes(), "letters.eml", WITHHELD)
    part = next(_parse(result.data).iter_attachments())
    assert part.get_content_type() == "text/plain"
    assert part.get_filename() == "letters.zip.removed.txt"
    assert "was removed" in part.get_content()
    assert any("could not be redacted" in note for note in result.notes)
