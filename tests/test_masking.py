"""Values never reach operators through a place's name (an attachment named after the child)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from disclosureguard.audit import AuditLog, findings_summary
from disclosureguard.masking import WITHHELD_NAME, WITHHELD_PART, folded_values, mask

NHS = "943 476 5919"


def _message_with_named_attachment() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "worker@gov.je", "someone@example.com", "notes"
    msg.set_content("See the attached notes.")
    msg.add_attachment(f"Lily was seen today. NHS number {NHS}.".encode(), maintype="text", subtype="plain",
                       filename=f"Lily Smith {NHS}.txt")
    msg.add_attachment(b"\x00\x01binary" * 30, maintype="application", subtype="octet-stream",
                       filename=f"scan {NHS}.bin")
    return msg.as_bytes()


def test_mask_replaces_a_quoted_name_holding_a_value_and_keeps_the_place():
    values = folded_values([NHS])
    assert mask(f"attachment 'Lily Smith {NHS}.txt', body, paragraph 1", values) == (
        f"attachment {WITHHELD_NAME}, body, paragraph 1"
    )
    assert mask(f"scan {NHS}.bin", values) == WITHHELD_PART
    assert mask("body, paragraph 3", values) == "body, paragraph 3"
    message = f"holds a child's details: attachment 'Lily {NHS}.txt', body"
    assert mask(message, values, whole=False) == f"holds a child's details: attachment {WITHHELD_NAME}, body"


def test_verdict_without_values_holds_no_value_anywhere(patterns_scanner):
    verdict = patterns_scanner.scan(_message_with_named_attachment(), name="m.eml")
    assert any(f.text == NHS for f in verdict.findings)
    assert any(NHS in f.location for f in verdict.findings)  # the full verdict says where, as it is
    dumped = json.dumps(verdict.to_dict(values=False))
    assert NHS not in dumped and "9434765919" not in dumped.replace(" ", "")
    assert "[person] [uk_nhs].txt" in dumped  # the name is scrubbed, the place kept


def test_audit_record_of_findings_holds_no_value(patterns_scanner, tmp_path: Path):
    verdict = patterns_scanner.scan(_message_with_named_attachment(), name="m.eml")
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"event": "scan", "findings": findings_summary(verdict.findings)})
    text = (tmp_path / "audit.jsonl").read_text()
    assert NHS not in text and "Lily Smith" not in text


def test_scrub_masks_names_from_the_input_that_were_never_findings():
    from disclosureguard.masking import scrub

    assert scrub("word/Lily Smith 943 476 5919.xml declares a DTD") == "word/[person] [uk_nhs].xml declares a DTD"
    assert scrub("Grace Nwosu 20190312/notes.docx") == "[person] [digits]/notes.docx"
    assert "sarah" not in scrub("attachment 'sarah.smith@example.com.pdf'")
    assert scrub("Lily_Smith_notes.txt") == "[person]_notes.txt"
    for ordinary in ("attachment 'report.docx' > word/document.xml", "page 3", "sheet 'Budget 2024'",
                     "headers > Subject", "body (text/html)"):
        assert scrub(ordinary) == ordinary
    assert scrub("to mjones@example.net: 'Lily Smith.pdf'", keep=["mjones@example.net"]) == (
        "to mjones@example.net: '[person].pdf'"
    )
