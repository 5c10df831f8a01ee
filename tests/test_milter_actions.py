"""What the mail hook does with each verdict: replies, headers, holds, overrides, failures, settings."""

from __future__ import annotations

import re

import pytest

from disclosureguard.errors import ConfigError
from disclosureguard.judge import ScannerConfig
from disclosureguard.masking import WITHHELD_NAME
from disclosureguard.milter.actions import Message, failure_outcome, find_override, outcome
from disclosureguard.milter.config import MilterConfig, build, parse_listen, read_file
from disclosureguard.model import Action, Finding, Place, Problem, Reason, Recipient, RecipientVerdict, Verdict

MARK = "mjones@example.net"
COLLEAGUE = "colleague@gov.je"
ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"


def _verdict(decisions: dict[str, Action], reasons: list[Reason], findings: list[Finding] | None = None,
             errors: tuple[Problem, ...] = (), source: str = "message Q1") -> Verdict:
    recips = tuple(RecipientVerdict(Recipient(a, "unknown"), d) for a, d in decisions.items())
    return Verdict(source, max(decisions.values()), recips, tuple(findings or ()), tuple(reasons), errors)


FINDINGS = [
    Finding("ADDRESS", ADDRESS, 1.0, 1, 0, 45, Place("email body, paragraph 1"), case="C", person="sarah"),
    Finding("PERSON", "Sarah Smith", 0.85, 1, 50, 61, Place("email body, paragraph 2"), case="C", person="sarah"),
    Finding("EMAIL_ADDRESS", MARK, 1.0, 0, 0, 18, Place("email header To", field="to"), kind="email-header",
            case="C", person="mark"),
]
BLOCK_REASON = Reason("withheld-detail", Action.BLOCK, MARK, "Sarah Smith's address is withheld from Mark Jones",
                      (0,))


def _msg(recipients: tuple[str, ...] = (MARK,), override: str | None = None) -> Message:
    return Message(ref="Q1", sender="worker@gov.je", recipients=recipients, message_id="<m@x>", override=override)


def _reply(o) -> str:
    return "\n".join(o.lines)


def _leaks(text: str, findings: list[Finding], exempt: set[str]) -> list[str]:
    return [f.text for f in findings if f.text.lower() not in exempt
            and re.search(r"\b" + re.escape(f.text) + r"\b", text, re.I)]


def test_block_rejects_with_550_naming_rule_recipient_and_place_but_no_value() -> None:
    v = _verdict({MARK: Action.BLOCK}, [BLOCK_REASON], FINDINGS)
    o = outcome(v, _msg(), MilterConfig())
    assert o.kind == "reject" and o.code == 550
    text = _reply(o)
    assert all(line.startswith("5.7.1 ") for line in o.lines)
    assert "withheld-detail" in text and MARK in text and "email body, paragraph 1" in text
    assert _leaks(text, FINDINGS, {MARK, "worker@gov.je"}) == []
    assert "Sarah" not in text and "Mark Jones" not in text  # reason.message is never used
    assert o.audit["action"] == "reject-block" and o.audit["decision"] == "block"


def test_block_can_be_held_for_a_reviewer_instead() -> None:
    v = _verdict({MARK: Action.BLOCK}, [BLOCK_REASON], FINDINGS)
    o = outcome(v, _msg(), MilterConfig(on_block="hold"))
    assert o.kind == "hold" and "withheld-detail" in o.hold_reason and "Q1" in o.hold_reason
    assert _leaks(o.hold_reason, FINDINGS, set()) == []


def test_override_is_never_honoured_for_a_block_but_is_recorded() -> None:
    v = _verdict({MARK: Action.BLOCK}, [BLOCK_REASON], FINDINGS)
    o = outcome(v, _msg(override="father asked for it"), MilterConfig())
    assert o.kind == "reject"
    assert o.audit["override"] == {"justification": "father asked for it", "honoured": False}


def test_mixed_recipients_reject_the_whole_message_naming_only_the_blocked_one() -> None:
    v = _verdict({COLLEAGUE: Action.ALLOW, MARK: Action.BLOCK}, [BLOCK_REASON], FINDINGS)
    o = outcome(v, _msg((COLLEAGUE, MARK)), MilterConfig())
    assert o.kind == "reject"
    text = _reply(o)
    assert MARK in text and COLLEAGUE not in text


def test_a_location_holding_a_matched_value_is_described_without_it() -> None:
    f = Finding("PERSON", "Lily Smith", 0.9, 3, 0, 10, Place("file name", container=("Lily Smith plan.docx",)),
                case="C")
    odd = Finding("PERSON", "Brimblecombe", 0.9, 4, 0, 12, Place("body", container=("Brimblecombe plan.docx",)))
    r = Reason("other-family", Action.BLOCK, MARK, "...", (0, 1))
    o = outcome(_verdict({MARK: Action.BLOCK}, [r], [f, odd]), _msg(), MilterConfig())
    text = _reply(o)
    # Each name is masked by its place in the path: scrubbed, and withheld whole when a value
    # the recognisers do not know (a surname off the lists) would still be in it.
    assert "Lily" not in text and "Brimblecombe" not in text and "attachment '[person] plan.docx', file name" in text
    assert f"attachment {WITHHELD_NAME}, body" in text


def test_warn_is_accepted_with_headers_naming_rules_not_values() -> None:
    r = Reason("partner-not-contact", Action.WARN, "gp@nhs.net", "Lily Smith's data to a partner", (1,))
    v = _verdict({"gp@nhs.net": Action.WARN}, [r], FINDINGS)
    o = outcome(v, _msg(("gp@nhs.net",)), MilterConfig())
    assert o.kind == "accept"
    headers = dict(o.headers)
    assert headers["X-DisclosureGuard-Decision"] == "warn"
    assert headers["X-DisclosureGuard-Rules"] == "partner-not-contact"
    assert headers["X-DisclosureGuard-Warned"] == "1 of 1 recipient(s)"
    assert _leaks(str(o.headers), FINDINGS, {"gp@nhs.net"}) == []
    assert o.audit["action"] == "accept-warn"


def test_warn_can_be_rejected_with_how_to_override() -> None:
    r = Reason("partner-not-contact", Action.WARN, "gp@nhs.net", "x", (1,))
    v = _verdict({"gp@nhs.net": Action.WARN}, [r], FINDINGS)
    o = outcome(v, _msg(("gp@nhs.net",)), MilterConfig(on_warn="reject"))
    assert o.kind == "reject" and o.code == 550
    assert "X-DisclosureGuard-Override" in _reply(o) and "[override:" in _reply(o)


def test_an_override_with_a_justification_lets_a_warning_through_and_is_audited() -> None:
    r = Reason("partner-not-contact", Action.WARN, "gp@nhs.net", "x", (1,))
    v = _verdict({"gp@nhs.net": Action.WARN}, [r], FINDINGS)
    o = outcome(v, _msg(("gp@nhs.net",), override="GP requested the plan"), MilterConfig(on_warn="reject"))
    assert o.kind == "accept"
    assert dict(o.headers)["X-DisclosureGuard-Override-Recorded"] == "yes"
    assert o.audit["override"] == {"justification": "GP requested the plan", "honoured": True}


def test_redact_is_refused_when_the_gateway_is_set_not_to_redact_mail() -> None:
    r = Reason("third-party-identifier", Action.REDACT, MARK, "x", (0,))
    o = outcome(_verdict({MARK: Action.REDACT}, [r], FINDINGS), _msg(), MilterConfig(on_redact="reject"))
    assert o.kind == "reject" and "not to redact" in _reply(o) and "third-party-identifier" in _reply(o)
    assert outcome(_verdict({MARK: Action.REDACT}, [r], FINDINGS), _msg(),
                   MilterConfig(on_redact="hold")).kind == "hold"


def test_allow_is_accepted_with_a_decision_header() -> None:
    o = outcome(_verdict({COLLEAGUE: Action.ALLOW}, []), _msg((COLLEAGUE,)), MilterConfig())
    assert o.kind == "accept" and dict(o.headers)["X-DisclosureGuard-Decision"] == "allow"


@pytest.mark.parametrize("cause", ["timeout", "crashed", "scanner-error", "unavailable"])
def test_a_message_the_pool_could_not_scan_is_tempfailed_never_accepted(cause: str) -> None:
    problem = Problem("message Q1", cause, "...")
    # The failure verdict the pool builds may say block or warn; either way it is a scan failure.
    v = _verdict({COLLEAGUE: Action.WARN}, [], errors=(problem,))
    o = outcome(v, _msg((COLLEAGUE,)), MilterConfig())
    assert o.kind == "tempfail" and o.code == 451 and o.lines[0].startswith("4.7.0 ")
    assert o.audit["error"] == cause
    assert outcome(v, _msg((COLLEAGUE,)), MilterConfig(on_failure="hold")).kind == "hold"


def test_an_unreadable_part_is_policy_not_a_scan_failure() -> None:
    problem = Problem("attachment 'x.pdf'", "encrypted", "encrypted")
    r = Reason("unscannable", Action.BLOCK, MARK, "x", ())
    o = outcome(_verdict({MARK: Action.BLOCK}, [r], errors=(problem,)), _msg(), MilterConfig())
    assert o.kind == "reject" and "could not be read: encrypted" in _reply(o)


def test_a_verdict_missing_an_envelope_recipient_fails_closed() -> None:
    v = _verdict({COLLEAGUE: Action.ALLOW}, [])
    o = outcome(v, _msg((COLLEAGUE, MARK)), MilterConfig())
    assert o.kind == "tempfail" and o.audit["error"] == "recipient-missing"


def test_oversize_fails_closed() -> None:
    o = failure_outcome(_msg(), "oversize", MilterConfig())
    assert o.kind == "tempfail" and "larger than" in _reply(o)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("X-DisclosureGuard-Override", " GP asked for the plan ")], "GP asked for the plan"),
        ([("Subject", "Plan [override: agreed at conference] for review")], "agreed at conference"),
        ([("Subject", "Plan [OVERRIDE:   consent given  ]")], "consent given"),
        ([("X-DisclosureGuard-Override", "ok")], None),  # too short to be a justification
        ([("Subject", "Plan [override:]")], None),
        ([("Subject", "Plan")], None),
    ],
)
def test_override_is_read_from_a_header_or_a_subject_tag(headers, expected) -> None:
    assert find_override(headers) == expected


def test_listen_addresses_in_postfix_and_sendmail_forms() -> None:
    assert parse_listen("inet:127.0.0.1:8894").port == 8894
    assert parse_listen("inet:8894@localhost").host == "localhost"
    assert parse_listen("unix:/run/dg.sock").path == "/run/dg.sock"
    with pytest.raises(ConfigError):
        parse_listen("tcp:1")


def test_settings_file_is_checked_and_flags_win(tmp_path) -> None:
    f = tmp_path / "milter.yaml"
    f.write_text("on_block: hold\non_warn: reject\ntime_limit: 5\n")
    cfg = build({**read_file(f), "time_limit": 7}, ScannerConfig())
    assert (cfg.on_block, cfg.on_warn, cfg.time_limit) == ("hold", "reject", 7.0)
    f.write_text("on_blok: hold\n")
    with pytest.raises(ConfigError, match="on_blok"):
        read_file(f)
    with pytest.raises(ConfigError, match="on_block"):
        build({"on_block": "accept"}, ScannerConfig())
    assert build({"memory_limit": 0}, ScannerConfig()).memory_limit is None
