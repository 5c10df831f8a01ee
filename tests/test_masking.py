"""Values never reach operators through a place's name (an attachment named after the child)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from disclosureguard.audit import AuditLog, findings_summary
from disclosureguard.masking import WITHHELD_NAME, WITHHELD_PART, folded_values, mask, message_words, place_words
from disclosureguard.model import Place

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


def test_a_place_masks_each_name_by_its_position_and_keeps_the_rest():
    values = folded_values([NHS, "Brimblecombe"])
    nested = Place("body, paragraph 1", container=("bundle.zip", "Brimblecombe notes.txt", f"Lily Smith {NHS}.txt"))
    assert place_words(nested) == (
        f"attachment 'bundle.zip', attachment 'Brimblecombe notes.txt', attachment 'Lily Smith {NHS}.txt', "
        "body, paragraph 1"
    )
    # Off the name lists, the value is withheld by position; on them, the name is scrubbed.
    assert place_words(nested, values) == (
        f"attachment 'bundle.zip', attachment {WITHHELD_NAME}, attachment '[person] [uk_nhs].txt', body, paragraph 1"
    )
    # The extractor's own words carry an input name too (a sheet's name): withheld whole.
    assert place_words(Place("sheet 'Brimblecombe', row 2"), values) == WITHHELD_PART
    # A name that reads like the wording around it is still only a name.
    assert place_words(Place("body", container=("attachment 'x', part 'y'",)), frozenset()) == (
        "attachment \"attachment 'x', part 'y'\", body"
    )
    assert mask(f"scan {NHS}.bin", folded_values([NHS])) == WITHHELD_PART
    assert mask("body, paragraph 3", values) == "body, paragraph 3"


def test_a_reason_message_has_its_places_and_parts_masked_whatever_its_wording():
    values = folded_values(["Brimblecombe"])
    place = Place("body", container=("Brimblecombe.txt",))
    said = f"holds a child's details: {place_words(place)}; and Brimblecombe notes.pdf could not be checked"
    shown = message_words(said, [place], ["Brimblecombe notes.pdf"], values)
    assert "Brimblecombe" not in shown
    assert shown == (
        f"holds a child's details: attachment {WITHHELD_NAME}, body; and {WITHHELD_NAME} could not be checked"
    )


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


def test_desk_notices_name_the_places_of_a_stored_verdict_masked():
    from disclosureguard.desk.notices import places
    from disclosureguard.model import Action, Finding, Problem, Reason, Recipient, RecipientVerdict, Verdict

    to = "someone@example.com"
    finding = Finding("PERSON", "Brimblecombe", 0.9, 0, 0, 12, Place("body, paragraph 2", ("Brimblecombe notes.txt",)))
    verdict = Verdict("m.eml", Action.BLOCK, (RecipientVerdict(Recipient(to, "unknown"), Action.BLOCK),), (finding,),
                      (Reason("unknown-recipient", Action.BLOCK, to, "...", (0,)),),
                      (Problem(f"Lily Smith {NHS}.pdf", "corrupt", "truncated"),))
    stored = json.loads(json.dumps(verdict.to_dict(values=True)))  # as the desk keeps it
    assert places(stored, [to]) == [f"attachment {WITHHELD_NAME}, body, paragraph 2",
                                    "[person] [uk_nhs].pdf (could not be read: corrupt)"]
    # A verdict stored before places were structured has only the words: withheld whole.
    del stored["findings"][0]["place"]
    assert places(stored, [to])[0] == WITHHELD_PART
