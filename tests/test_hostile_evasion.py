"""Evasion by the sender: each trick on a real file, end to end through the Scanner.

The identifier is always Lily Smith's NHS number (943 476 5919). Every test scans a file as
it would arrive — an email, a Word document, a PDF, a zip — and checks that the number is
found where it stands, and that the verdict acts on it.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from reportlab.pdfgen.canvas import Canvas

from disclosureguard import Scanner
from disclosureguard.model import Action, Verdict
from docfixtures import docx, p, pdf, r, zip_of
from hostile_corpus import NHS

UNKNOWN = "someone@example.com"  # a child's identifier to an unknown recipient: block
FATHER = "mjones@example.net"  # Lily's father: her number, visible, is his own case's data


def _email(subject: str = "Contact arrangements", body: str = "Please see attached.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "sam.worker@gov.je"
    msg["To"] = UNKNOWN
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _nhs_findings(verdict: Verdict) -> list[tuple[str, str, bool]]:
    return [(f.text, f.location, f.hidden) for f in verdict.findings if f.entity_type == "UK_NHS"]


def _blocked_for_unknown(scanner: Scanner, data: bytes, name: str) -> Verdict:
    verdict = scanner.scan(data, [UNKNOWN], name=name)
    assert verdict.errors == ()
    assert verdict.decision == Action.BLOCK
    assert any(r.rule == "unknown-recipient" for r in verdict.reasons)
    return verdict


# -- where the value stands -------------------------------------------------------------


def test_number_only_in_the_email_subject_is_found_in_the_subject(patterns_scanner: Scanner):
    data = _email(subject=f"Lily - NHS {NHS}", body="Please call me about the meeting.").as_bytes()
    verdict = _blocked_for_unknown(patterns_scanner, data, "message.eml")
    assert _nhs_findings(verdict) == [(NHS, "email header Subject", False)]


def test_number_only_in_an_attachment_file_name_is_found_in_the_name(patterns_scanner: Scanner):
    msg = _email()
    msg.add_attachment(b"See you on Tuesday.", maintype="text", subtype="plain", filename=f"NHS {NHS}.txt")
    verdict = _blocked_for_unknown(patterns_scanner, msg.as_bytes(), "message.eml")
    assert _nhs_findings(verdict) == [(NHS, "attachment name 1", False)]


def test_number_only_in_a_zip_member_name_is_found_in_the_name(patterns_scanner: Scanner):
    data = zip_of({"readme.txt": b"nothing here", f"scans/NHS {NHS}.txt": b"See you on Tuesday."})
    verdict = _blocked_for_unknown(patterns_scanner, data, "bundle.zip")
    assert _nhs_findings(verdict) == [(NHS, "archive member name 2", False)]


# -- how the value is written ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "9\u200b4\u200b3\u200c4\u200d7\u20606\ufeff5\u00ad9\u200b1\u200b9",  # zero-width characters
        "943 476 59l9",  # a lower-case L for a one
        "\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19",  # full-width digits
        "\u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669",  # Arabic-Indic digits
        "9 4 3 4 7 6 5 9 1 9",  # spaced out
        "943 476\n5919",  # broken across lines
        "943\u2011476\u20115919",  # non-breaking hyphens
    ],
    ids=["zero-width", "homoglyph-l", "full-width", "arabic-indic", "spaced-out", "line-break", "nb-hyphen"],
)
def test_disguised_number_in_an_email_body_is_found_as_written(patterns_scanner: Scanner, written: str):
    data = _email(body=f"Lily's NHS number is {written}, please update your records.").as_bytes()
    verdict = _blocked_for_unknown(patterns_scanner, data, "message.eml")
    assert _nhs_findings(verdict) == [(written, "email body, paragraph 1", False)]


def test_number_split_across_word_runs_and_a_line_break_is_found(patterns_scanner: Scanner):
    body = p(r("NHS number 94"), r("3 47"), '<w:r><w:t>6</w:t><w:br/><w:t xml:space="preserve">5919</w:t></w:r>')
    verdict = _blocked_for_unknown(patterns_scanner, docx(body), "letter.docx")
    assert [(text.replace("\n", " "), hidden) for text, _, hidden in _nhs_findings(verdict)] == [(NHS, False)]


def _spaced_out_page(c: Canvas) -> None:
    c.drawString(72, 750, "NHS number " + " ".join(NHS.replace(" ", "")))


def test_spaced_out_number_on_a_pdf_page_is_found(patterns_scanner: Scanner):
    verdict = _blocked_for_unknown(patterns_scanner, pdf(_spaced_out_page), "report.pdf")
    assert [(loc, hidden) for _, loc, hidden in _nhs_findings(verdict)] == [("page 1", False)]


# -- text a reader cannot see -------------------------------------------------------------------


def test_white_text_in_a_word_document_is_found_hidden_and_blocks_even_the_father(patterns_scanner: Scanner):
    visible = docx(p(r("Dear Mr Jones,")) + p(r(f"NHS {NHS}")))
    white = docx(p(r("Dear Mr Jones,")) + p(r(f"NHS {NHS}", '<w:color w:val="FFFFFF"/>')))
    assert patterns_scanner.scan(visible, [FATHER], name="letter.docx").decision == Action.ALLOW
    verdict = patterns_scanner.scan(white, [FATHER], name="letter.docx")
    assert [(text, hidden) for text, _, hidden in _nhs_findings(verdict)] == [(NHS, True)]
    assert verdict.decision == Action.BLOCK
    assert [r.rule for r in verdict.reasons] == ["hidden-content"]


def _white_text_page(c: Canvas) -> None:
    c.drawString(72, 750, "Dear Mr Jones,")
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, 730, f"NHS {NHS}")


def test_white_text_on_a_pdf_page_is_found_hidden_and_blocks_even_the_father(patterns_scanner: Scanner):
    verdict = patterns_scanner.scan(pdf(_white_text_page), [FATHER], name="report.pdf")
    assert [(text, hidden) for text, _, hidden in _nhs_findings(verdict)] == [(NHS, True)]
    assert verdict.decision == Action.BLOCK
    assert [r.rule for r in verdict.reasons] == ["hidden-content"]


def test_white_text_in_an_html_email_is_found_hidden(patterns_scanner: Scanner):
    msg = _email()
    msg.add_alternative(f'<p>Dear Mr Jones,</p><p style="color:#ffffff">NHS {NHS}</p>', subtype="html")
    verdict = patterns_scanner.scan(msg.as_bytes(), [FATHER], name="message.eml")
    assert [(text, hidden) for text, _, hidden in _nhs_findings(verdict)] == [(NHS, True)]
    assert verdict.decision == Action.BLOCK
