"""Plain text and email extraction: every header, body and attachment, never a crash."""

from email.message import EmailMessage

import pytest

import mail_shapes
from disclosureguard.extract import extract
from disclosureguard.model import Document, Problem


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Priya Shah <priya.shah@gov.je>"
    msg["To"] = "Mark Jones <mjones@example.net>"
    msg["Cc"] = "sarah.smith@example.com"
    msg["Bcc"] = "audit@gov.je"
    msg["Subject"] = "Contact arrangements for Lily"
    msg.set_content("Dear Mark,\n\nContact is on Saturday.\n\nPriya")
    msg.add_alternative(
        "<html><head><style>p {color: red}</style><script>var nhs='9434765919'</script></head>"
        "<body><p>Dear Mark,</p><p>Contact is on <b>Saturday</b>.</p>"
        "<div style='display:none'>Sarah lives at 8 Seaview Terrace</div></body></html>",
        subtype="html",
    )
    return msg


def test_headers_bodies_and_envelope_are_extracted():
    doc = extract(_message().as_bytes(), "m.eml")
    segs = doc.all_segments()
    headers = {s.field: s.text for s in segs if s.kind == "email-header"}
    assert headers["subject"] == "Contact arrangements for Lily"
    assert "mjones@example.net" in headers["to"] and headers["bcc"] == "audit@gov.je"
    assert doc.envelope is not None
    assert doc.envelope.recipients == ("mjones@example.net", "sarah.smith@example.com", "audit@gov.je")
    assert any(s.text == "Contact is on Saturday." and s.location == "email body, paragraph 2" for s in segs)


def test_html_body_reads_scripts_as_hidden_drops_style_rules_and_keeps_hidden_text_apart():
    segs = extract(_message().as_bytes(), "m.eml").all_segments()
    html = [s for s in segs if "(HTML)" in s.location]
    assert all("color" not in s.text for s in html)
    hidden = [s for s in html if s.hidden]
    # a script is never shown, but its text travels with the message: read, marked hidden
    assert [(s.text, s.location) for s in hidden] == [
        ("var nhs='9434765919'", "email body part 2 (HTML), script, paragraph 1"),
        ("Sarah lives at 8 Seaview Terrace", "email body part 2 (HTML), hidden text, paragraph 1"),
    ]
    assert {s.kind for s in hidden} == {"hidden-text"}
    assert any(s.text == "Contact is on Saturday." and not s.hidden for s in html)


def test_nested_message_attachments_are_read_recursively():
    inner = _message()
    outer = EmailMessage()
    outer["From"] = "a@gov.je"
    outer["To"] = "b@gov.je"
    outer["Subject"] = "Fwd"
    outer.set_content("See below")
    outer.add_attachment(inner)
    outer.add_attachment(b"Lily Smith, NHS 943 476 5919", maintype="text", subtype="plain", filename="notes.txt")
    doc = extract(outer.as_bytes(), "outer.eml")
    assert [c.media_type for c in doc.children] == ["message/rfc822", "text/plain"]
    segs = doc.all_segments()
    assert any(s.container == ("notes.txt",) and s.location.startswith("body") and "943 476 5919" in s.text
               for s in segs)
    assert any(s.kind == "file-name" and s.text == "notes.txt" for s in segs)
    assert any("Contact is on Saturday." in s.text and s.container for s in segs)


def test_attachment_of_an_unreadable_format_is_an_error_never_skipped():
    msg = EmailMessage()
    msg["From"] = "a@gov.je"
    msg["To"] = "b@example.com"
    msg.set_content("report attached")
    msg.add_attachment(b"\x00\x01\x02binary\xff" * 50, maintype="application", subtype="octet-stream",
                       filename="report.bin")
    doc = extract(msg.as_bytes(), "m.eml")
    assert [(p.part, p.cause) for p in doc.all_problems()] == [("report.bin", "unsupported")]


def test_broken_mime_is_reported_not_passed():
    raw = (b"From: a@gov.je\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"
           b"Content-Type: multipart/mixed; boundary=\"XYZ\"\n\nno boundary ever starts here\n")
    doc = extract(raw, "broken.eml")
    assert doc.all_problems(), "a multipart message whose parts cannot be found must be a problem"
    assert all(p.cause == "malformed" for p in doc.all_problems())


def test_text_that_is_not_utf8_is_decoded_not_crashed():
    doc = extract("Café for Zoë Brûlé at Saint-Aubin".encode("cp1252"), "letter.txt")
    assert doc.segments[0].text == "Café for Zoë Brûlé at Saint-Aubin"


def test_utf16_with_bom_is_decoded():
    doc = extract("Dear Mr Jones".encode("utf-16"), "letter.txt")
    assert doc.segments[0].text == "Dear Mr Jones"


def test_paragraphs_are_numbered_as_a_reader_counts_them():
    doc = extract(b"Dear Mr Jones,\n\nFirst.\n\n\n\nSecond line one\nline two\n", "l.txt")
    assert [(s.location, s.text) for s in doc.segments] == [
        ("body, paragraph 1", "Dear Mr Jones,"),
        ("body, paragraph 2", "First."),
        ("body, paragraph 3", "Second line one\nline two"),
    ]


def test_binary_named_as_text_is_not_read_as_text():
    doc = extract(b"\x00\x01\x02\x03" * 100, "letter.txt")
    assert doc.problems and doc.problems[0].cause in ("type-mismatch", "unsupported")


def test_over_the_size_limit_is_an_error_naming_the_limit():
    from disclosureguard.extract.context import ExtractContext
    from disclosureguard.limits import Limits

    doc = extract(b"x" * 2000, "big.txt", ExtractContext(limits=Limits(max_bytes=1000)))
    assert doc.problems[0].cause == "limit" and "max_bytes" in doc.problems[0].message


def _with_text_attachment(data: bytes, charset: str | None, subtype: str = "plain") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "priya.shah@gov.je", "someone@example.org", "Notes"
    msg.set_content("Notes attached.")
    msg.add_attachment(data, maintype="text", subtype=subtype, filename="notes.txt")
    attachment = next(iter(msg.iter_attachments()))
    if charset is None:
        attachment.del_param("charset")
    else:
        attachment.set_param("charset", charset)
    return msg.as_bytes()


NOTES = "Lily Smith, NHS 943 476 5919, born 2 March 2014"


def test_an_attachment_whose_declared_charset_its_bytes_contradict_is_read_and_reported():
    doc = extract(_with_text_attachment(NOTES.encode("utf-16-le"), "us-ascii"), "m.eml")
    assert [(p.part, p.cause, p.message) for p in doc.problems] == [
        ("notes.txt", "charset-mismatch",
         "attachment 1: the declared charset disagrees with the bytes, which are UTF-16-LE: read as UTF-16-LE")]
    assert any(s.text == NOTES for s in doc.all_segments())  # read by its bytes all the same


def test_attachments_whose_declared_charset_agrees_are_not_reported():
    for data, charset in [
        (NOTES.encode("utf-16"), "utf-16"),  # with a BOM
        (NOTES.encode("utf-16-le"), "utf-16le"),
        (NOTES.encode("utf-16"), "unicode"),  # Windows' name for UTF-16 (code page 1200)
        (NOTES.encode("utf-8"), "utf-8"),
        (NOTES.encode("cp1252"), "windows-1252"),
        (NOTES.encode("utf-8"), "us-ascii"),  # plain ASCII bytes: nothing to disagree about
        (NOTES.encode("utf-16"), None),  # nothing declared
    ]:
        doc = extract(_with_text_attachment(data, charset), "m.eml")
        assert doc.problems == (), (charset, doc.problems)
        assert any(s.text == NOTES for s in doc.all_segments()), charset


def test_a_csv_attachment_declared_ascii_but_utf16_is_reported():
    doc = extract(_with_text_attachment(("name,nhs\n" + NOTES).encode("utf-16-le"), "us-ascii", "csv"), "m.eml")
    assert [p.cause for p in doc.problems] == ["charset-mismatch"]


# -- ordinary mail from the common clients raises no closed-world problem (issue 13) ------------


@pytest.mark.parametrize("client", sorted(mail_shapes.SHAPES))
def test_mail_as_each_client_writes_it_has_no_problem_and_every_part_read(client: str):
    doc = extract(mail_shapes.SHAPES[client](), f"{client}.eml")

    def problems(d: Document) -> list[Problem]:
        return [*d.problems, *(p for c in d.children for p in problems(c))]

    assert problems(doc) == []
    text = "\n".join(s.text for s in doc.all_segments())
    assert "All well." in text  # the Notepad "Unicode" file, whatever its label said
    if client in ("outlook", "thunderbird"):
        assert "Actions: none." in text  # the Word attachment


@pytest.mark.parametrize("client", sorted(mail_shapes.SHAPES))
def test_mail_as_each_client_writes_it_is_not_unscannable_to_an_outside_address(
        client: str, patterns_scanner):
    verdict = patterns_scanner.scan(mail_shapes.SHAPES[client](), ["someone@outside.example"], name="m.eml")
    assert verdict.errors == ()
    assert not {"unscannable", "unscannable-internal"} & {r.rule for r in verdict.reasons}


def test_a_unicode_file_a_client_labels_with_an_8_bit_charset_is_still_reported():
    doc = extract(mail_shapes.gmail('"US-ASCII"'), "gmail.eml")
    assert [p.cause for p in doc.problems] == ["charset-mismatch"]
