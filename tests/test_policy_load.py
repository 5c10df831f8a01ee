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
    # Who the message goes to (issue 21, docs/rules.md).
    "addressee-mismatch": "block",
    "addressee-mismatch-outside": "warn",
    "lookalike-recipient": "warn",
    "exposed-recipients": "block",
    "old-address": "block",
    "new-recipient": "warn",
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


def test_an_added_rule_leaves_every_default_rule_in_force():
    policy = parse_policy(
        "organisation: {}\nrules:\n  - {id: strict, when: personal-data, action: block, recipients: [partner]}\n",
        "p.yaml",
    )
    assert [r.id for r in policy.rules] == [*SPEC_RULES, "strict"]
    assert {r.id: r.origin for r in policy.rules}["strict"] == "p.yaml"
    assert {r.origin for r in policy.rules if r.id != "strict"} == {"default"}
    assert policy.notes == () and policy.weakened_blocks == ()


def test_a_rule_with_a_default_id_changes_only_the_fields_it_gives():
    policy = parse_policy("organisation: {}\nrules:\n  - {id: partner-not-contact, action: block}\n", "p.yaml")
    rule = {r.id: r for r in policy.rules}["partner-not-contact"]
    default = {r.id: r for r in default_policy().rules}["partner-not-contact"]
    assert (rule.action, rule.when, rule.recipients, rule.origin) == (Action.BLOCK, default.when,
                                                                      default.recipients, "p.yaml")


@pytest.mark.parametrize(
    "text",
    ["organisation: {}\ndisable: [withheld-detail]\n",
     "organisation: {}\nrules:\n  - {id: withheld-detail, enabled: false}\n"],
)
def test_a_default_rule_is_switched_off_only_by_naming_it_and_every_verdict_says_so(text: str):
    policy = parse_policy(text, "p.yaml")
    assert "withheld-detail" not in {r.id for r in policy.rules}
    assert len(policy.rules) == len(SPEC_RULES) - 1
    assert policy.notes == ("rule withheld-detail is switched off by policy p.yaml",)
    assert policy.weakened_blocks == ("withheld-detail",)


def test_loading_a_policy_that_switches_off_a_block_rule_warns_once(tmp_path: Path, caplog):
    path = tmp_path / "p.yaml"
    path.write_text("organisation: {}\ndisable: [hidden-content]\nrules:\n  - {id: other-family, action: warn}\n")
    with caplog.at_level("WARNING"):
        load_policy(path)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "hidden-content" in lines[0] and "other-family" in lines[0] and str(path) in lines[0]


def test_a_policy_that_only_adds_or_tightens_rules_loads_without_a_warning(tmp_path: Path, caplog):
    path = tmp_path / "p.yaml"
    path.write_text("organisation: {}\nrules:\n  - {id: partner-not-contact, action: block}\n")
    with caplog.at_level("WARNING"):
        load_policy(path)
    assert caplog.records == []


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("organisation: {}\ndisable: [no-such-rule]\n", "disable[0]"),
        ("organisation: {}\nrules:\n  - {id: mine, when: unscannable, action: warn, enabled: false}\n",
         "rules[id=mine].enabled"),
        ("organisation: {}\nrules:\n  - {id: withheld-detail, enabled: 'no'}\n", "rules[0].enabled"),
        ("organisation: {}\nrules:\n  - {id: mine, action: warn}\n", "rules[0].when"),
    ],
)
def test_switching_off_or_adding_rules_wrongly_is_an_error_naming_the_field(text: str, field: str):
    with pytest.raises(PolicyError) as e:
        parse_policy(text, "p.yaml")
    assert e.value.field == field
