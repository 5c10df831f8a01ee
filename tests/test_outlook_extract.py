"""Outlook .msg and winmail.dat: headers, bodies, recipients into the envelope, attachments, nesting."""

from __future__ import annotations

import pytest

from disclosureguard.extract import extract
from disclosureguard.extract.formats import sniff_format
from legacy_fixtures import (
    FATHER,
    MOTHER,
    WITHHELD_ADDRESS,
    docx_bytes,
    letter_lines,
    msg_bytes,
    rtf_letter,
    tnef_bytes,
)


def all_texts(doc) -> list[str]:
    return [s.text for s in doc.all_segments()]


def test_msg_is_sniffed_by_its_streams_whatever_its_name():
    data = msg_bytes([FATHER], "Hello")
    assert sniff_format(data, "saved.bin").name == "msg"
    assert sniff_format(data, "saved.doc").name == "msg"


def test_msg_body_headers_and_recipients_become_segments_and_envelope():
    data = msg_bytes([FATHER], f"Dear Mark,\n\nSarah has moved to {WITHHELD_ADDRESS}.", subject="Handover")
    doc = extract(data, "handover.msg")
    assert doc.problems == ()
    assert doc.envelope is not None and doc.envelope.to == (FATHER,) and doc.envelope.sender == "worker@gov.je"
    where = {s.text: (s.location, s.kind) for s in doc.segments}
    assert where["Handover"] == ("email header Subject", "email-header")
    assert where[f"Sarah has moved to {WITHHELD_ADDRESS}."] == ("email body, paragraph 2", "body")


def test_msg_cc_and_bcc_recipients_are_told_apart():
    from aspose.email_foss.msg import MapiMessage

    message = MapiMessage.create("S", "B")
    message.add_recipient(FATHER)
    message.add_recipient(MOTHER, recipient_type=2)
    message.add_recipient("gp@nhs.net", recipient_type=3)
    doc = extract(bytes(message.to_bytes()), "m.msg")
    assert doc.envelope is not None
    assert (doc.envelope.to, doc.envelope.cc, doc.envelope.bcc) == ((FATHER,), (MOTHER,), ("gp@nhs.net",))


def test_msg_attachment_is_a_nested_document():
    attached = docx_bytes(["Contact arrangements", f"Sarah's new address is {WITHHELD_ADDRESS}."])
    doc = extract(msg_bytes([FATHER], "Please see the plan.", attachments=[("plan.docx", attached)]), "m.msg")
    (child,) = doc.children
    assert child.name == "plan.docx"
    assert f"Sarah's new address is {WITHHELD_ADDRESS}." in [s.text for s in child.segments]
    assert ("attachment name 1", "plan.docx") in [(s.location, s.text) for s in doc.segments]


def test_msg_inside_msg_is_read_recursively():
    inner = msg_bytes([MOTHER], f"Sarah lives at {WITHHELD_ADDRESS}", subject="Original")
    outer = msg_bytes([FATHER], "Forwarding this.", embedded=[inner])
    doc = extract(outer, "fw.msg")
    (child,) = doc.children
    assert child.media_type == "application/vnd.ms-outlook"
    assert f"Sarah lives at {WITHHELD_ADDRESS}" in all_texts(child)
    located = [s.container for s in doc.all_segments() if WITHHELD_ADDRESS in s.text]
    assert located and located[0] == (child.name,)


def test_msg_compressed_rtf_body_is_decoded_and_read():
    lines = letter_lines()
    doc = extract(msg_bytes([FATHER], "", rtf=rtf_letter(lines)), "rtf.msg")
    rtf = [s for s in doc.segments if s.location.startswith("email body (RTF)")]
    assert any(WITHHELD_ADDRESS in s.text for s in rtf)
    assert not any("\\par" in s.text or "insrsid" in s.text for s in doc.segments)


def test_msg_damaged_compressed_rtf_is_a_problem():
    doc = extract(_with_bad_rtf(), "bad.msg")
    assert [p.cause for p in doc.problems] == ["corrupt"]


def _with_bad_rtf() -> bytes:
    from aspose.email_foss.msg import MapiMessage

    message = MapiMessage.create("S", "B")
    message.set_property(0x1009, 0x0102, b"\x10\x00\x00\x00\x20\x00\x00\x00LZFu\x00\x00\x00\x00garbage")
    return bytes(message.to_bytes())


def test_msg_cut_short_is_corrupt_not_a_crash():
    data = msg_bytes([FATHER], "Hello " * 200)
    doc = extract(data[: len(data) // 2], "cut.msg")
    assert doc.problems and doc.problems[-1].cause == "corrupt"


def test_winmail_dat_rtf_body_recipients_and_attachment():
    lines = letter_lines()
    attached = docx_bytes([f"Sarah's new address is {WITHHELD_ADDRESS}."])
    data = tnef_bytes(rtf_letter(lines), [FATHER], attachments=[("plan.docx", attached)])
    assert sniff_format(data, "winmail.dat").name == "tnef"
    doc = extract(data, "winmail.dat")
    assert doc.problems == ()
    assert doc.envelope is not None and doc.envelope.to == (FATHER,)
    body = [s for s in doc.segments if s.location.startswith("email body (RTF), body")]
    assert [s.text for s in body] == [line for line in lines if line]
    (child,) = doc.children
    assert child.name == "plan.docx" and f"Sarah's new address is {WITHHELD_ADDRESS}." in all_texts(child)


def test_winmail_dat_in_an_eml_is_read_as_a_nested_document():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = FATHER
    msg["Subject"] = "Letter"
    msg.set_content("See attached.")
    msg.add_attachment(tnef_bytes(rtf_letter(letter_lines()), [FATHER]), maintype="application",
                       subtype="ms-tnef", filename="winmail.dat")
    doc = extract(msg.as_bytes(), "mail.eml")
    (child,) = doc.children
    assert child.media_type == "application/ms-tnef"
    assert any(WITHHELD_ADDRESS in s.text for s in child.segments)


def test_msg_attached_to_an_eml_is_read_as_a_nested_document():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = FATHER
    msg.set_content("Forwarded.")
    msg.add_attachment(msg_bytes([MOTHER], f"Sarah lives at {WITHHELD_ADDRESS}"), maintype="application",
                       subtype="vnd.ms-outlook", filename="original.msg")
    doc = extract(msg.as_bytes(), "mail.eml")
    (child,) = doc.children
    assert child.media_type == "application/vnd.ms-outlook"
    assert f"Sarah lives at {WITHHELD_ADDRESS}" in all_texts(child)


@pytest.mark.parametrize("cut", [7, 30, 60, 200])
def test_winmail_dat_cut_short_is_corrupt(cut: int):
    data = tnef_bytes(rtf_letter(["Hello"]), [FATHER])
    doc = extract(data[:cut], "winmail.dat")
    assert [p.cause for p in doc.problems] == ["corrupt"]


def test_msg_with_many_attachments_reads_each_and_the_parts_limit_holds():
    from disclosureguard.extract import ExtractContext
    from disclosureguard.limits import Limits

    data = msg_bytes([FATHER], "Files", attachments=[(f"note-{n}.txt", f"Note {n}".encode()) for n in range(60)])
    doc = extract(data, "many.msg")
    assert len(doc.children) == 60 and doc.problems == ()
    assert sorted(c.segments[0].text for c in doc.children) == sorted(f"Note {n}" for n in range(60))
    limited = extract(data, "many.msg", ExtractContext(limits=Limits(max_parts=20)))
    assert [p.cause for p in limited.problems] == ["limit"]


def test_winmail_dat_attached_message_is_read_recursively():
    inner = tnef_bytes(rtf_letter([f"Sarah lives at {WITHHELD_ADDRESS}"]), [MOTHER])
    for outer in (tnef_bytes(rtf_letter(["Forwarded"]), [FATHER], attachments=[("original.dat", inner)]),
                  tnef_bytes(rtf_letter(["Forwarded"]), [FATHER], embedded=[inner])):
        doc = extract(outer, "winmail.dat")
        assert doc.problems == ()
        (child,) = doc.children
        assert child.media_type == "application/ms-tnef"
        assert any(WITHHELD_ADDRESS in s.text for s in child.segments)


def test_a_dat_file_that_is_not_tnef_is_read_as_what_it_is():
    doc = extract(b"Lily Smith, 2 March 2014\n", "export.dat")
    assert doc.problems == () and doc.segments[0].text == "Lily Smith, 2 March 2014"


def test_a_mime_message_saved_as_msg_is_read_as_an_email_without_a_mismatch():
    raw = f"From: worker@gov.je\nTo: {FATHER}\nSubject: Visit\n\nSarah has moved to {WITHHELD_ADDRESS}.\n".encode()
    doc = extract(raw, "saved.msg")
    assert doc.problems == () and doc.media_type == "message/rfc822"
    assert doc.envelope is not None and doc.envelope.to == (FATHER,)


def test_compressed_rtf_body_past_the_decompression_budget_is_a_limit():
    from disclosureguard.extract import ExtractContext
    from disclosureguard.limits import Limits

    data = msg_bytes([FATHER], "", rtf=rtf_letter(letter_lines()))
    doc = extract(data, "big.msg", ExtractContext(limits=Limits(max_decompressed_bytes=10_000)))
    assert [(p.part, p.cause) for p in doc.all_problems()] == [("big.msg, RTF body", "limit")]
    assert doc.envelope is not None and doc.envelope.to == (FATHER,)  # the rest was still read


def test_malformed_internet_headers_in_a_msg_are_read_as_raw_text():
    """Found by fuzz_msg.py: the email package's header parser raised IndexError on 'To: a<@'."""
    from aspose.email_foss.msg import MapiMessage

    message = MapiMessage.create("S", "Body")
    message.add_recipient(FATHER)
    message.set_property(0x007D, 0x001F, f"From: worker@gov.je\r\nTo: a<@\r\nCc: {MOTHER}\r\n\r\n")
    doc = extract(bytes(message.to_bytes()), "odd.msg")
    assert doc.problems == ()
    headers = {(s.location, s.text) for s in doc.segments}
    assert ("email header To (internet headers)", "a<@") in headers
    assert ("email header Cc (internet headers)", MOTHER) in headers
