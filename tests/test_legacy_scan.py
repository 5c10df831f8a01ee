"""The Smith letter in RTF, .msg (body and attached .docx), winmail.dat, .doc and .ppt, through the Scanner.

To the father it holds the mother's withheld address: block for withheld-detail. The same
letter to the mother, and the clean letter written to her, are allowed. No markup is read
as a person's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from legacy_fixtures import FATHER, FILE_NAMES, FORMATS, MOTHER, legacy_letter


@pytest.fixture(scope="module")
def sample_scanner(samples: Path) -> Scanner:
    return Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None)


def rules(verdict) -> set[tuple[str, str]]:
    return {(r.rule, r.action.label) for r in verdict.reasons}


@pytest.mark.parametrize("fmt", [*FORMATS, "ppt"])
def test_withheld_address_blocks_the_letter_to_the_father(sample_scanner: Scanner, fmt: str):
    verdict = sample_scanner.scan(legacy_letter(fmt, "father"), [FATHER], name=FILE_NAMES[fmt])
    assert verdict.errors == ()
    assert verdict.decision.label == "block" and ("withheld-detail", "block") in rules(verdict)
    (reason,) = [r for r in verdict.reasons if r.rule == "withheld-detail"]
    assert reason.message.startswith("Sarah Smith's address is withheld from Mark Jones: ")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "rtf" and f != "doc"])
def test_recipients_come_from_the_outlook_file_itself(sample_scanner: Scanner, fmt: str):
    verdict = sample_scanner.scan(legacy_letter(fmt, "father"), name=FILE_NAMES[fmt])
    assert [rv.recipient.address for rv in verdict.recipients] == [FATHER]
    assert verdict.decision.label == "block" and ("withheld-detail", "block") in rules(verdict)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_letter_to_the_mother_breaks_no_content_rule_but_is_addressed_to_the_father(
        sample_scanner: Scanner, fmt: str):
    verdict = sample_scanner.scan(legacy_letter(fmt, "father"), [MOTHER], name=FILE_NAMES[fmt])
    # Her own address may go to her; the letter itself greets Mark Jones (addressee-mismatch, issue 21).
    assert (verdict.decision.label, rules(verdict), verdict.errors) == ("block", {("addressee-mismatch", "block")}, ())


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_letter_to_the_mother_is_allowed(sample_scanner: Scanner, fmt: str):
    verdict = sample_scanner.scan(legacy_letter(fmt, "mother"), name=FILE_NAMES[fmt])
    assert (verdict.decision.label, rules(verdict), verdict.errors) == ("allow", set(), ())


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_markup_is_read_as_a_person(scanner: Scanner, fmt: str):
    """With the language model: every PERSON found in the clean letter is a real name in it."""
    lines = (Path(__file__).resolve().parent.parent / "samples/letters/letter-to-mother.txt").read_text()
    verdict = scanner.scan(legacy_letter(fmt, "mother"), [MOTHER], name=FILE_NAMES[fmt])
    people = {f.text for f in verdict.findings if f.entity_type == "PERSON"}
    assert people, "the language model found no one: the test would prove nothing"
    markup = [p for p in people if p not in lines or any(c in p for c in "\\{}<>=")]
    assert markup == []
