"""A policy's rules extend the defaults on the samples: one added rule weakens nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.model import Action

ONE_PARTNER_RULE = """\
organisation:
  internal_domains: [gov.je]
  partner_domains: [nhs.net, health.gov.je, police.je, "*.sch.je"]
rules:
  - {id: partner-warn, when: personal-data, action: warn, recipients: [partner]}
"""


def _scanner(tmp_path: Path, samples: Path, text: str) -> Scanner:
    policy = tmp_path / "policy.yaml"
    policy.write_text(text)
    return Scanner(cases=str(samples / "cases"), policy=str(policy), model=None)


@pytest.mark.parametrize(
    ("sample", "rule"),
    [("letters/letter-to-father.txt", "withheld-detail"), ("emails/nhs-number-to-unknown.eml", "unknown-recipient")],
)
def test_one_added_rule_leaves_the_default_rules_blocking_the_samples(tmp_path: Path, samples: Path, sample: str,
                                                                      rule: str):
    verdict = _scanner(tmp_path, samples, ONE_PARTNER_RULE).scan(samples / sample)
    assert verdict.decision == Action.BLOCK
    assert rule in {r.rule for r in verdict.reasons}
    assert verdict.notes == ("no language model configured: names are found only from the case index (degraded)",)


def test_switching_off_withheld_detail_is_said_in_the_verdict(tmp_path: Path, samples: Path):
    text = ONE_PARTNER_RULE + "disable: [withheld-detail]\n"
    verdict = _scanner(tmp_path, samples, text).scan(samples / "letters/letter-to-father.txt")
    assert "withheld-detail" not in {r.rule for r in verdict.reasons}
    policy_file = tmp_path / "policy.yaml"
    assert f"rule withheld-detail is switched off by policy {policy_file}" in verdict.notes
    assert f"rule withheld-detail is switched off by policy {policy_file}" in verdict.to_dict(values=False)["notes"]


def test_unreadable_content_never_allows_even_with_both_unscannable_rules_off(tmp_path: Path, samples: Path):
    text = "organisation: {internal_domains: [gov.je]}\ndisable: [unscannable, unscannable-internal]\n"
    scanner = _scanner(tmp_path, samples, text)
    broken_pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer garbage"
    for to in (["colleague@gov.je"], ["someone@example.com"]):
        verdict = scanner.scan(broken_pdf, to, name="report.pdf")
        assert verdict.errors, "the broken PDF must be reported as unreadable"
        assert verdict.decision >= Action.WARN
