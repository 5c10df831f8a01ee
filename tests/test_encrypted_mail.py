"""Encrypted mail is unscannable (issue 13): PGP armour inline, PGP/MIME and S/MIME are
each a problem of cause ``encrypted``, never an allow to anyone outside."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from construct_fixtures import ARMOUR, ENCRYPTED_MAIL, FATHER, UNKNOWN
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.model import Action

KINDS = sorted(ENCRYPTED_MAIL)
INTERNAL = "colleague@gov.je"


@pytest.mark.parametrize("kind", KINDS)
def test_encrypted_mail_is_a_problem_of_cause_encrypted(kind: str):
    doc = extract(ENCRYPTED_MAIL[kind](), "message.eml")
    assert [p.cause for p in doc.all_problems()] == ["encrypted"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("to", [UNKNOWN, FATHER])
def test_encrypted_mail_is_blocked_to_an_unknown_address_and_to_the_father(
    kind: str, to: str, patterns_scanner: Scanner
):
    verdict = patterns_scanner.scan(ENCRYPTED_MAIL[kind](to), [to], name="message.eml")
    assert [e.cause for e in verdict.errors] == ["encrypted"]
    assert verdict.decision == Action.BLOCK
    assert any(reason.rule == "unscannable" for reason in verdict.reasons)


@pytest.mark.parametrize("kind", KINDS)
def test_encrypted_mail_to_a_colleague_is_never_allowed(kind: str, patterns_scanner: Scanner):
    verdict = patterns_scanner.scan(ENCRYPTED_MAIL[kind](INTERNAL), [INTERNAL], name="message.eml")
    assert verdict.decision != Action.ALLOW


def test_pgp_mime_ciphertext_is_not_read_as_text():
    doc = extract(ENCRYPTED_MAIL["PGP/MIME"](), "message.eml")
    assert doc.children == ()
    assert not any("BEGIN PGP" in s.text for _, part in doc.walk() for s in part.segments)


def test_an_armoured_text_attachment_is_encrypted_too():
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sam.worker@gov.je", UNKNOWN, "Notes"
    msg.set_content("Please see the attachment.")
    msg.add_attachment(ARMOUR.encode(), maintype="text", subtype="plain", filename="notes.txt")
    doc = extract(msg.as_bytes(), "message.eml")
    assert [(p.part, p.cause) for p in doc.all_problems()] == [("notes.txt", "encrypted")]


def test_a_message_that_only_quotes_a_public_key_is_not_encrypted():
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sam.worker@gov.je", UNKNOWN, "My key"
    msg.set_content("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF...\n-----END PGP PUBLIC KEY BLOCK-----\n")
    assert extract(msg.as_bytes(), "message.eml").all_problems() == ()


def test_smime_opaque_signed_data_is_unsupported_not_encrypted():
    from email.mime.application import MIMEApplication

    part = MIMEApplication(b"\x30\x82\x01\x00" + bytes(256), "pkcs7-mime", smime_type="signed-data")
    part["From"], part["To"], part["Subject"] = "sam.worker@gov.je", UNKNOWN, "Signed"
    assert [p.cause for p in extract(part.as_bytes(), "message.eml").all_problems()] == ["unsupported"]
