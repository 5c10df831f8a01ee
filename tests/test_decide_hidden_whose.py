"""hidden-content means hidden AND not for this recipient; its reason says whose data it is, never the value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from disclosureguard.model import Action, Finding, Place, Recipient, RecipientClass
from disclosureguard.policy import decide, load_policy
from docfixtures import docx, p, r

POLICY = load_policy(Path(__file__).resolve().parent.parent / "samples" / "policy.yaml")
PUBLIC = Recipient("enquiries@public.example", RecipientClass.UNKNOWN)
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def email(text: str, *, hidden: bool, segment: int, location: str) -> Finding:
    kind = "annotation" if hidden else "body"
    return Finding("EMAIL_ADDRESS", text, 0.9, segment, 0, len(text), Place(location), hidden, kind, "test")


def hidden_reasons(findings: list[Finding], recipient: Recipient) -> list[str]:
    _, reasons = decide(findings, [recipient], [], POLICY, today=date(2026, 12, 1))
    return [x.message for x in reasons if x.rule == "hidden-content"]


def test_a_link_whose_target_is_its_visible_text_is_not_hidden() -> None:
    shown = email("jo.bloggs@example.org", hidden=False, segment=0, location="page 12")
    target = email("mailto:jo.bloggs@example.org", hidden=True, segment=1, location="page 12, link address")
    assert hidden_reasons([shown, target], PUBLIC) == []


def test_a_link_to_an_address_nobody_sees_is_still_hidden() -> None:
    shown = email("jo.bloggs@example.org", hidden=False, segment=0, location="page 12")
    target = email("mailto:sam.other@example.org", hidden=True, segment=1, location="page 12, link address")
    assert hidden_reasons([shown, target], PUBLIC) == [
        "someone's email address in page 12, link address: a reader would not see it, "
        "but it is still in the file enquiries@public.example receives"
    ]


def titled_letter(title: str) -> bytes:
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>'
    )
    body = p(r("Dear Sarah,")) + p(r("Thank you for coming to the meeting on Tuesday. We will write again soon."))
    return docx(body, parts={"docProps/core.xml": core}, package_rels=[("rP1", CORE_REL, "docProps/core.xml")])


def test_the_recipients_own_name_in_the_title_does_not_block(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(titled_letter("Letter to Sarah Smith"), ["sarah.smith@example.com"], name="letter.docx")
    assert not [x for x in verdict.reasons if x.rule == "hidden-content"]
    assert verdict.decision < Action.BLOCK


def test_someone_elses_name_in_the_title_blocks_and_says_whose(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(titled_letter("Letter about Mark Jones"), ["sarah.smith@example.com"], name="letter.docx")
    messages = [x.message for x in verdict.reasons if x.rule == "hidden-content"]
    assert verdict.decision == Action.BLOCK
    assert messages == [
        "Mark Jones's name in document property: title: a reader would not see it, "
        "but it is still in the file Sarah Smith receives"
    ]


def test_the_title_naming_the_recipient_mark_does_not_block(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(titled_letter("Letter to Mark Jones"), ["mjones@example.net"], name="letter.docx")
    assert not [x for x in verdict.reasons if x.rule == "hidden-content"]
