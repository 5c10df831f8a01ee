"""Redaction in transit: the redacted copy as milter edits, the packets that carry it, the
decision around it, and the scanning worker that makes it. test_milter_postfix.py sends a
redacted message through a real Postfix."""

from __future__ import annotations

import asyncio
import email
import struct
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from disclosureguard.milter import protocol as p
from disclosureguard.milter.actions import Message, outcome
from disclosureguard.milter.config import Listen, MilterConfig
from disclosureguard.milter.rewrite import HeaderEdit, Rewrite, RewriteError, plan_rewrite, split_message
from disclosureguard.milter.server import MilterServer
from disclosureguard.model import Action, Finding, Place, Problem, Reason, Recipient, RecipientVerdict, Verdict
from disclosureguard.pool_redaction import Redaction, redact_copy
from disclosureguard.pool_worker import Scanned, Task, run_task
from disclosureguard.redact import Target, redact_values
from disclosureguard.scanner import Scanner
from test_milter_protocol import POSTFIX_ACTIONS, MtaClient

NINO = "JY 12 34 56 A"
SARAH = "sarah.smith@example.com"
COLLEAGUE = "colleague@gov.je"
REMOVED = (("UK_NINO", "email header Subject", "third-party-identifier"),
           ("UK_NINO", "email body, paragraph 2", "third-party-identifier"))


def _message(subject: str = f"Mark's NI number {NINO}", attachment: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = SARAH
    msg["Subject"] = subject
    msg.set_content(f"Dear Sarah,\n\nMark's National Insurance number is {NINO}.\n\nThe review is on Tuesday.\n")
    if attachment:
        msg.add_attachment(f"Mark: {NINO}\n".encode(), maintype="text", subtype="plain", filename="note.txt")
    return msg.as_bytes(policy=policy.SMTP)  # CRLF, as the MTA hands it over


def _redacted(data: bytes) -> bytes:
    return redact_values(data, "message.eml", [Target(NINO, "UK_NINO")]).data


# --- the protocol packets -------------------------------------------------------------------


def test_replbody_splits_a_body_into_chunks_of_at_most_65535_bytes_that_join_to_it() -> None:
    body = bytes(range(256)) * 600  # 153,600 bytes
    packets = p.replace_body(body)
    assert len(packets) == 3
    joined = b""
    for packet in packets:
        (length,) = struct.unpack("!I", packet[:4])
        assert packet[4:5] == p.REPLBODY and length == len(packet) - 4 and length - 1 <= p.MAX_BODY_CHUNK
        joined += packet[5:]
    assert joined == body
    assert [len(x) - 5 for x in p.replace_body(b"x" * 65535)] == [65535]
    assert p.replace_body(b"") == [p.encode(p.REPLBODY)]


def test_chgheader_carries_index_name_and_value_and_an_empty_value_deletes() -> None:
    packet = p.change_header(b"Subject", 2, b" new")
    assert packet == struct.pack("!I", 1 + 4 + 8 + 5) + b"m" + struct.pack("!I", 2) + b"Subject\0 new\0"
    assert p.change_header(b"Comments", 1, b"").endswith(b"Comments\0\0")
    with pytest.raises(ValueError):
        p.change_header(b"Subject", 0, b"x")
    with pytest.raises(ValueError):
        p.add_raw_header(b"Subject", b"a\0b")


# --- the plan: from the redacted copy to edits --------------------------------------------


def test_the_plan_changes_the_subject_and_replaces_the_body_keeping_the_other_headers() -> None:
    original = _message()
    copy = _redacted(original)
    rewrite = plan_rewrite(original, copy, REMOVED)
    assert [(e.name, e.index) for e in rewrite.headers] == [(b"Subject", 1)]
    assert NINO.encode() not in rewrite.headers[0].value and b"Mark's NI number" in rewrite.headers[0].value
    assert b"\n" not in rewrite.body.replace(b"\r\n", b"")  # CRLF only
    # The original's headers with the edits, and the new body, make a valid message without the value.
    headers, _ = split_message(original)
    rebuilt = b"".join(n + b": " + (rewrite.headers[0].value if n == b"Subject" else v) + b"\r\n"
                       for n, v in headers) + b"\r\n" + rewrite.body
    msg = email.message_from_bytes(rebuilt, policy=policy.default)
    parts = list(msg.walk())
    assert [x.get_content_type() for x in parts] == ["multipart/mixed", "text/plain", "text/plain"]
    assert "The review is on Tuesday." in parts[1].get_content() and NINO not in parts[1].get_content()
    assert NINO not in parts[2].get_content() and parts[2].get_filename() == "note.txt"
    assert rewrite.summary() == "2 value(s) removed: UK_NINO"


def test_a_changed_boundary_is_carried_by_a_changed_content_type() -> None:
    original = (b"From: a@gov.je\r\nContent-Type: multipart/mixed; boundary=\"one\"\r\nMIME-Version: 1.0\r\n\r\n"
                b"--one\r\nContent-Type: text/plain\r\n\r\nx\r\n--one--\r\n")
    copy = original.replace(b"one", b"two").replace(b"\r\n", b"\n")
    rewrite = plan_rewrite(original, copy)
    assert rewrite.headers == (HeaderEdit(b"Content-Type", 1, b'multipart/mixed; boundary="two"'),)
    assert rewrite.body == b"--two\r\nContent-Type: text/plain\r\n\r\nx\r\n--two--\r\n"


def test_headers_the_copy_adds_are_added_and_those_it_drops_deleted_highest_first() -> None:
    original = b"From: a@gov.je\r\nComments: one\r\nComments: two\r\nComments: three\r\n\r\nbody\r\n"
    copy = b"From: a@gov.je\nComments: one\nMIME-Version: 1.0\n\nbody\n"
    assert plan_rewrite(original, copy).headers == (
        HeaderEdit(b"MIME-Version", 0, b"1.0"),
        HeaderEdit(b"Comments", 3, b""),
        HeaderEdit(b"Comments", 2, b""),
    )


def test_refolded_or_reencoded_headers_that_read_the_same_are_left_alone() -> None:
    original = (b"To: \"Smith, Sarah\" <sarah.smith@example.com>, Anne <dsl@stmarys.sch.je>, colleague@gov.je\r\n"
                b"Subject: =?utf-8?b?SMOpbGxv?= there\r\n\r\nbody\r\n")
    copy = (b"To: \"Smith, Sarah\" <sarah.smith@example.com>,\n Anne <dsl@stmarys.sch.je>, colleague@gov.je\n"
            b"Subject: =?utf-8?q?H=C3=A9llo?= there\n\nbody\n")
    assert plan_rewrite(original, copy).headers == ()


def test_a_copy_that_changes_an_addressing_header_cannot_be_applied() -> None:
    original = b"To: sarah.smith@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    with pytest.raises(RewriteError, match="to header"):
        plan_rewrite(original, b"To: someone@example.org\nSubject: x\n\nbody\n")


# --- the decision ---------------------------------------------------------------------------


def _plan() -> Rewrite:
    original = _message()
    return plan_rewrite(original, _redacted(original), REMOVED)


def _verdict(decisions: dict[str, Action]) -> Verdict:
    findings = (Finding("UK_NINO", NINO, 1.0, 2, 0, 13, Place("email body, paragraph 2"), case="C", person="mark"),)
    reasons = tuple(Reason("third-party-identifier" if d == Action.REDACT else "withheld-detail", d, a, "x", (0,))
                    for a, d in decisions.items() if d > Action.WARN)
    recips = tuple(RecipientVerdict(Recipient(a, "case-person"), d) for a, d in decisions.items())
    return Verdict("message Q1", max(decisions.values()), recips, findings, reasons, ())


def _msg(*to: str) -> Message:
    return Message(ref="Q1", sender="worker@gov.je", recipients=to, message_id="<m@x>")


def test_a_redact_decision_with_a_copy_is_accepted_with_the_copy_a_header_and_an_audit_record() -> None:
    rewrite = _plan()
    o = outcome(_verdict({SARAH: Action.REDACT, COLLEAGUE: Action.ALLOW}), _msg(SARAH, COLLEAGUE), MilterConfig(),
                rewrite)
    assert o.kind == "accept" and o.rewrite is rewrite
    assert dict(o.headers)["X-DisclosureGuard-Redacted"] == "2 value(s) removed: UK_NINO"
    assert dict(o.headers)["X-DisclosureGuard-Decision"] == "redact"
    assert o.audit["action"] == "accept-redact"
    assert o.audit["redaction"]["types"] == ["UK_NINO"] and o.audit["redaction"]["count"] == 2
    assert {"type": "UK_NINO", "location": "email header Subject", "rule": "third-party-identifier"} in \
        o.audit["redaction"]["removed"]
    assert o.audit["redaction"]["headers_changed"] == ["Subject"]
    assert "JY" not in str([o.headers, {k: v for k, v in o.audit.items() if k != "findings"}])


def test_a_redact_decision_without_a_copy_is_rejected_never_passed_on() -> None:
    o = outcome(_verdict({SARAH: Action.REDACT}), _msg(SARAH), MilterConfig(), None,
                "could not redact (VerificationFailed)")
    assert o.kind == "reject" and o.code == 550 and o.rewrite is None
    assert "could not make a safe redacted copy" in "\n".join(o.lines)
    assert o.audit["action"] == "reject-redact"
    assert o.audit["redaction"] == {"error": "could not redact (VerificationFailed)"}
    assert outcome(_verdict({SARAH: Action.REDACT}), _msg(SARAH), MilterConfig()).kind == "reject"


def test_a_copy_that_left_a_flagged_value_in_place_is_rejected() -> None:
    """The redactor keeps addressing headers: a value flagged there would still go."""
    v = _verdict({SARAH: Action.REDACT})
    to = Place("email header To", field="to")
    in_to = replace(v, findings=(replace(v.findings[0], place=to, kind="email-header"),))
    o = outcome(in_to, _msg(SARAH), MilterConfig(), _plan())
    assert o.kind == "reject" and o.rewrite is None and "could not make a safe redacted copy" in "\n".join(o.lines)
    assert o.audit["redaction"] == {"error": "could not redact (a value stands where it is not removed)"}


def test_a_block_for_anyone_wins_over_a_redacted_copy() -> None:
    rewrite = _plan()
    o = outcome(_verdict({SARAH: Action.REDACT, "mjones@example.net": Action.BLOCK}),
                _msg(SARAH, "mjones@example.net"), MilterConfig(), rewrite)
    assert o.kind == "reject" and o.rewrite is None and "withheld-detail" in "\n".join(o.lines)


def test_a_warning_set_to_reject_still_rejects_a_redacted_message_unless_overridden() -> None:
    rewrite = _plan()
    v = _verdict({SARAH: Action.REDACT, "gp@nhs.net": Action.WARN})
    config = MilterConfig(on_warn="reject")
    assert outcome(v, _msg(SARAH, "gp@nhs.net"), config, rewrite).kind == "reject"
    overridden = replace(_msg(SARAH, "gp@nhs.net"), override="GP is the named health lead")
    o = outcome(v, overridden, config, rewrite)
    assert o.kind == "accept" and o.rewrite is rewrite and o.audit["action"] == "accept-redact-override"
    assert o.audit["override"]["honoured"] is True


# --- the server sends the edits -------------------------------------------------------------


def _serve(scan_result: Scanned, config: MilterConfig, client_body, switch_to: MilterConfig | None = None) -> None:
    async def scan(data: bytes, name: str, to: tuple[str, ...]) -> Scanned:
        return scan_result

    async def main() -> None:
        server = MilterServer(replace(config, listen=Listen("inet", "127.0.0.1", 0)), scan)
        await server.start()
        try:
            c = await MtaClient.connect(server.port)
            await c.negotiate(POSTFIX_ACTIONS)
            if switch_to is not None:  # a reload after this connection agreed its actions
                server.config = replace(switch_to, listen=server.config.listen)
            await client_body(c)
            await c.close()
        finally:
            await server.stop(grace=1)

    asyncio.run(asyncio.wait_for(main(), 30))


def test_the_server_sends_header_changes_the_new_body_and_the_headers_before_accepting() -> None:
    original = _message()
    copy = _redacted(original)
    verdict = _verdict({SARAH: Action.REDACT})
    headers, body = split_message(original)
    answers: list[p.Packet] = []

    async def client(c: MtaClient) -> None:
        answers.extend(await c.message("worker@gov.je", [SARAH],
                                       [(n.decode(), v.decode()) for n, v in headers], body))

    _serve(Scanned(verdict, Redaction(copy, REMOVED, "email")), MilterConfig(), client)
    commands = [a.command for a in answers]
    assert commands[0] == p.CHGHEADER and commands[-1] == p.ACCEPT
    assert answers[0].data[4:].startswith(b"Subject\0 Mark's NI number ")
    new_body = b"".join(a.data for a in answers if a.command == p.REPLBODY)
    assert new_body == split_message(copy)[1].replace(b"\n", b"\r\n")
    added = [a.data for a in answers if a.command == p.ADDHEADER]
    assert b"X-DisclosureGuard-Redacted\0 2 value(s) removed: UK_NINO\0" in added
    assert NINO.encode() not in b"".join(a.data for a in answers)


def test_a_copy_for_a_connection_that_may_not_change_the_body_is_tempfailed() -> None:
    original = _message(attachment=False)
    headers, body = split_message(original)
    answers: list[p.Packet] = []

    async def client(c: MtaClient) -> None:
        answers.extend(await c.message("worker@gov.je", [SARAH],
                                       [(n.decode(), v.decode()) for n, v in headers], body))

    _serve(Scanned(_verdict({SARAH: Action.REDACT}), Redaction(_redacted(original), REMOVED, "email")),
           MilterConfig(on_redact="reject"), client, switch_to=MilterConfig())
    assert [a.command for a in answers] == [p.REPLYCODE]
    assert answers[0].data.startswith(b"451 4.7.0") and b"redacted copy" in answers[0].data


# --- the scanning worker makes the copy -----------------------------------------------------


@pytest.fixture(scope="module")
def scanner(tmp_path_factory: pytest.TempPathFactory) -> Scanner:
    folder = tmp_path_factory.mktemp("redact-cases")
    (folder / "smith.yaml").write_text(
        "case: CSC-2021-004512\npeople:\n"
        "  - id: sarah\n    role: parent\n    names: [Sarah Smith]\n    emails: [sarah.smith@example.com]\n"
        f"  - id: mark\n    role: parent\n    names: [Mark Jones]\n    identifiers:\n      UK_NINO: {NINO}\n")
    return Scanner(cases=str(folder), model=None)


def test_a_task_asking_for_redaction_gets_the_verified_copy_with_a_redact_verdict(scanner: Scanner) -> None:
    task = Task(_message(), "message Q1", (SARAH,), "message/rfc822", redact=True)
    result = run_task(scanner, task)
    assert isinstance(result, Scanned) and result.verdict.decision == Action.REDACT
    assert result.redaction is not None and result.redaction.data is not None and result.redaction.error is None
    assert NINO.encode() not in result.redaction.data and b"The review is on Tuesday." in result.redaction.data
    assert {t for t, _, _ in result.redaction.removed} == {"UK_NINO"}
    assert all(rule == "third-party-identifier" for _, _, rule in result.redaction.removed)
    plain = run_task(scanner, replace(task, redact=False))
    assert plain.verdict.decision == Action.REDACT and plain.redaction is None  # not asked for: no copy


def test_no_copy_is_made_unless_the_verdict_is_redact(scanner: Scanner) -> None:
    task = Task(_message(), "message Q1", (COLLEAGUE,), "message/rfc822", redact=True)
    result = run_task(scanner, task)
    assert isinstance(result, Scanned) and result.verdict.decision == Action.ALLOW and result.redaction is None


def test_a_copy_that_cannot_be_made_comes_back_as_an_error_not_the_original(scanner: Scanner, tmp_path: Path) -> None:
    analysis = scanner.analyse(_message(), [SARAH], name="message Q1", media_type="message/rfc822")
    unreadable = replace(analysis.document, problems=(Problem("attachment 'x.pdf'", "encrypted", "encrypted"),))
    redaction = redact_copy(replace(analysis, document=unreadable))
    assert redaction.data is None and redaction.error == "could not redact (RedactionError)"
