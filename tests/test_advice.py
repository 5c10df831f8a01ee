"""Every reason in the text output ends with what the sender can do about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.model import Action, Finding, Place, Reason
from disclosureguard.policy.advice import advice
from disclosureguard.render import render_text


def _finding(location: str, kind: str, hidden: bool = True) -> Finding:
    return Finding("PERSON", "x", 0.9, 0, 0, 1, Place(location), hidden=hidden, kind=kind)


@pytest.mark.parametrize(
    ("finding", "hint"),
    [
        (_finding("body, paragraph 11, tracked deletion", "tracked-deletion"),
         "accept or reject tracked changes (Review → Accept All) and remove the deleted text"),
        (_finding("document property: title", "metadata"), "clear the document title (File → Info → Properties)"),
        (_finding("page 1, under a black box at (90, 502)", "under-box"),
         "the black box on page 1 does not remove the text under it: run `disclosureguard redact`"),
    ],
)
def test_a_hidden_place_gets_the_hint_that_removes_it(finding: Finding, hint: str):
    reason = Reason("hidden-content", Action.BLOCK, "mjones@example.net", "...", (0,))
    assert advice(reason, [finding]) == hint


def test_a_withheld_detail_says_remove_the_recipient_or_the_details():
    reason = Reason("withheld-detail", Action.BLOCK, "mjones@example.net", "...", (0,))
    assert advice(reason, [_finding("body, paragraph 2", "body", hidden=False)]) == (
        "remove this recipient or the marked details")


def test_a_rule_of_the_organisations_own_gets_the_hint_of_its_action():
    reason = Reason("our-own-rule", Action.WARN, "a@example.com", "...", ())
    assert advice(reason, []) == "check the marked details before sending"


@pytest.mark.parametrize("sample", ["documents/letter-tracked-changes.docx", "letters/letter-to-father.txt",
                                    "rules/fathers-nino-to-mother.txt", "rules/unknown-person-to-mother.txt",
                                    "emails/nhs-number-to-unknown.eml"])
def test_every_reason_line_of_the_text_output_ends_with_a_fix(samples: Path, sample: str):
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None)
    text = render_text(scanner.scan(samples / sample))
    reasons = [line for line in text.splitlines() if line.startswith("    - [")]
    assert reasons
    assert all(". To fix: " in line for line in reasons), text
