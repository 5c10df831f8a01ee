"""Every rule of the default policy, on real sample files, through the whole Scanner."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner


@pytest.fixture(scope="module")
def sample_scanner(samples: Path) -> Scanner:
    return Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"))


def scan(scanner: Scanner, path: Path, to: list[str] | None = None):
    verdict = scanner.scan(path, to)
    return verdict, {(r.rule, r.action.label) for r in verdict.reasons}


def test_withheld_address_blocks_letter_to_father(sample_scanner: Scanner, samples: Path):
    verdict, rules = scan(sample_scanner, samples / "letters/letter-to-father.txt", ["mjones@example.net"])
    assert verdict.decision.label == "block" and ("withheld-detail", "block") in rules
    (reason,) = [r for r in verdict.reasons if r.rule == "withheld-detail"]
    assert reason.message == "Sarah Smith's address is withheld from Mark Jones: body, paragraph 8"


def test_same_letter_to_the_mother_breaks_no_content_rule_but_is_addressed_to_the_father(
        sample_scanner: Scanner, samples: Path):
    verdict, rules = scan(sample_scanner, samples / "letters/letter-to-father.txt", ["sarah.smith@example.com"])
    # Her own address may go to her; the letter itself is Mark Jones's (issue 21).
    assert (verdict.decision.label, rules) == ("block", {("addressee-mismatch", "block")})
    assert verdict.reasons[0].message == (
        "the address block addresses Mark Jones, but it goes to Sarah Smith, another person of the same case: "
        "check the recipient")


def test_letter_without_recipient_is_read_as_addressed_to_the_father_and_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/withheld-phone-no-recipient.txt")
    (rv,) = verdict.recipients
    assert (rv.recipient.person, rv.recipient.found_by) == ("mark", "letter address block")
    assert verdict.decision.label == "block" and rules == {("withheld-detail", "block")}
    assert "phone number is withheld from Mark Jones" in verdict.reasons[0].message


def test_email_to_a_parent_with_another_familys_report_attached_is_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/other-family-report-to-mother.eml")
    assert verdict.decision.label == "block" and ("other-family", "block") in rules
    other = [verdict.findings[i] for r in verdict.reasons if r.rule == "other-family" for i in r.findings]
    assert {f.case for f in other} == {"CSC-2022-000731"}
    assert all(f.location.startswith("attachment 'review-report.txt'") for f in other)


def test_letter_naming_the_confidential_referrer_is_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/referrer-named-to-mother.txt")
    assert verdict.recipients[0].recipient.person == "sarah"
    assert verdict.decision.label == "block"
    assert rules == {("withheld-detail", "block")}
    assert "Janet Cooper's name is withheld from Sarah Smith" in verdict.reasons[0].message


def test_fathers_ni_number_in_a_letter_to_the_mother_is_redacted(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/fathers-nino-to-mother.txt")
    assert verdict.decision.label == "redact" and rules == {("third-party-identifier", "redact")}
    (nino,) = [f for f in verdict.findings if f.entity_type == "UK_NINO"]
    assert (nino.person, nino.text) == ("mark", "JY 12 34 56 A")


def test_listed_school_contact_receiving_the_childs_upn_is_allowed(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/upn-to-school.eml")
    assert verdict.recipients[0].recipient.cls == "case-contact"
    assert any(f.entity_type == "UK_UPN" and f.person == "lily" for f in verdict.findings)
    assert (verdict.decision.label, rules) == ("allow", set())


def test_unknown_third_party_in_a_letter_to_the_mother_warns(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/unknown-person-to-mother.txt")
    assert (verdict.decision.label, rules) == ("warn", {("unattributed-person", "warn")})


def test_partner_that_is_not_a_case_contact_warns(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/child-details-to-gp.eml")
    assert (verdict.decision.label, rules) == ("warn", {("partner-not-contact", "warn")})


def test_tracked_deletion_and_black_box_block_as_hidden_content(sample_scanner, samples):
    for name in ("documents/letter-tracked-changes.docx", "documents/report-with-black-box.pdf"):
        verdict, rules = scan(sample_scanner, samples / name, ["someone@nhs.net"])
        assert verdict.decision.label == "block" and ("hidden-content", "block") in rules, name


def test_sensitive_values_never_appear_in_reason_messages(sample_scanner, samples):
    for path in sorted((samples / "rules").glob("*.*")) + sorted((samples / "letters").glob("*.txt")):
        verdict = sample_scanner.scan(path, ["mjones@example.net"])
        # Names and case references are how a message tells the sender whose data it is.
        shown = ("PERSON", "SPECIAL_CATEGORY", "CASE_REFERENCE")
        values = {f.text for f in verdict.findings if f.entity_type not in shown}
        for reason in verdict.reasons:
            assert not any(v in reason.message for v in values), (path, reason.message)
