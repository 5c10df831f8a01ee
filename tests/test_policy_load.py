from pathlib import Path

import pytest

from disclosureguard.errors import PolicyError
from disclosureguard.model import Action
from disclosureguard.policy import default_policy, load_policy, parse_policy

SPEC_RULES = {
    "withheld-detail": "block",
    "other-family": "block",
    "hidden-content": "block",
    "unknown-recipient": "block",
    "unscannable": "block",
    "third-party-identifier": "redact",
    "unattributed-person": "warn",
    "partner-not-contact": "warn",
    "unknown-recipient-low": "warn",
    "unscannable-internal": "warn",
}


def test_default_policy_has_every_rule_of_the_spec_with_its_action():
    policy = default_policy()
    assert {r.id: r.action.label for r in policy.rules} == SPEC_RULES


def test_organisation_block_alone_is_a_complete_policy(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("organisation:\n  internal_domains: [example.gov.uk]\n")
    policy = load_policy(path)
    assert policy.organisation.internal_domains == ("example.gov.uk",)
    assert [r.id for r in policy.rules] == [r.id for r in default_policy().rules]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("organisation: [a]\n", "organisation"),
        ("rules: []\n", "organisation"),
        ("organisation: {internal_domains: [gov.je]}\nrules:\n  - {id: x, when: nonsense, action: block}\n",
         "rules[0].when"),
        ("organisation: {internal_domains: [gov.je]}\nrules:\n  - {id: x, when: unscannable, action: shout}\n",
         "rules[0].action"),
        ("organisation: {internal_domains: ['not a domain']}\n", "organisation.internal_domains[0]"),
        ("organisation: {internal_domain: [gov.je]}\n", "organisation.internal_domain"),
        ("organisation: {}\nmin_score: 7\n", "min_score"),
        ("organisation: {}\nrules:\n  - {id: a, when: unscannable, action: block, recipients: [aliens]}\n",
         "rules[0].recipients[0]"),
    ],
)
def test_malformed_policy_error_names_the_file_and_the_field(tmp_path: Path, text: str, field: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as e:
        load_policy(path)
    assert e.value.file == str(path)
    assert e.value.field == field
    assert str(path) in str(e.value) and field in str(e.value)


def test_policy_that_is_not_yaml_names_the_line():
    with pytest.raises(PolicyError) as e:
        parse_policy("organisation: [unclosed\n", "p.yaml")
    assert "line" in e.value.field


def test_missing_policy_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "nope.yaml")


def test_custom_rules_replace_the_defaults():
    policy = parse_policy(
        "organisation: {}\nrules:\n  - {id: strict, when: personal-data, action: block, recipients: [partner]}\n",
        "p.yaml",
    )
    assert [(r.id, r.action) for r in policy.rules] == [("strict", Action.BLOCK)]
