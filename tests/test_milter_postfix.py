"""The mail hook end to end: a private Postfix on loopback, the `disclosureguard milter` command, smtplib.

One Postfix instance has four SMTP listeners: ``guard`` (block → 550, warn → headers, redact →
a redacted copy goes on), ``strict`` (block → hold queue, warn → 550 unless overridden,
redact → 550), ``failing`` (a scan time limit no scan can meet) and ``plain`` (no milter).
Messages use the Smith family of shared/spec/case-file.md (the father given a Jersey NI number).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import smtplib
import socket
import stat
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from disclosureguard.audit import verify
from disclosureguard.cli.main import main
from docfixtures import docx, zip_of
from postfix_harness import PrivatePostfix, free_port, postfix_available
from smith_case import SMITH_CASE

pytestmark = [pytest.mark.postfix, pytest.mark.xdist_group("postfix")]

ROOT = Path(__file__).resolve().parent.parent
POLICY = """\
organisation:
  internal_domains: [gov.je]
  partner_domains: [nhs.net, health.gov.je, police.je, "*.sch.je"]
"""
SENDER = "worker@gov.je"
MARK = "mjones@example.net"
COLLEAGUE = "colleague@gov.je"
GP = "gp@nhs.net"
SARAH = "sarah.smith@example.com"
SARAH_ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
MARK_NINO = "JY 12 34 56 A"
# Every value of the case that could be a finding: none may reach a reply, header or audit line.
SECRETS = ["Sarah", "Smith", "Seaview", "JE3 8XY", "St Brelade", "07700 900456", "943 476 5919", "Lily",
           "sarah.smith@example.com", "Rue de Haut", "JE2 4AB", MARK_NINO, "JY123456A"]


@dataclass
class MailSystem:
    postfix: PrivatePostfix
    cases: Path
    audit: Path
    strict_audit: Path
    milters: dict[str, subprocess.Popen[bytes]]
    logs: dict[str, Path]


def _start_milter(name: str, tmp: Path, cases: Path, policy: Path, port: int, *extra: str) -> tuple[
        subprocess.Popen[bytes], Path]:
    log = tmp / f"milter-{name}.log"
    cmd = [sys.executable, "-m", "disclosureguard.cli.main", "milter", "--listen", f"inet:127.0.0.1:{port}",
           "--cases", str(cases), "--policy", str(policy), "--no-model", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=tmp)
    return proc, log


def _wait_listening(name: str, proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"milter {name} exited with {proc.returncode}:\n{log.read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"milter {name} did not listen on {port}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def mail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSystem]:
    if not postfix_available():
        message = "Postfix is not installed or not runnable as root here (scripts/system-deps installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("milter")
    cases = tmp / "cases"
    cases.mkdir()
    (cases / "smith.yaml").write_text(SMITH_CASE)
    # A second family, for a message whose To: line shows two families to each other (issue 21).
    (cases / "lebrocq.yaml").write_text((ROOT / "samples/cases/lebrocq-CSC-2022-000731.yaml").read_text())
    policy = tmp / "policy.yaml"
    policy.write_text(POLICY)
    audit, strict_audit = tmp / "audit.jsonl", tmp / "audit-strict.jsonl"
    ports = {name: free_port() for name in ("guard", "strict", "failing")}
    specs = {
        "guard": ("--workers", "1", "--audit-log", str(audit), "--max-message-bytes", "2000000"),
        "strict": ("--workers", "1", "--on-block", "hold", "--on-warn", "reject", "--on-redact", "reject",
                   "--audit-log", str(strict_audit)),
        "failing": ("--workers", "1", "--time-limit", "0.001"),
    }
    milters: dict[str, subprocess.Popen[bytes]] = {}
    logs: dict[str, Path] = {}
    postfix = PrivatePostfix({**{n: f"inet:127.0.0.1:{p}" for n, p in ports.items()}, "plain": None})
    try:
        for name, extra in specs.items():
            milters[name], logs[name] = _start_milter(name, tmp, cases, policy, ports[name], *extra)
        postfix.start()
        for name in specs:
            _wait_listening(name, milters[name], ports[name], logs[name])
        yield MailSystem(postfix, cases, audit, strict_audit, milters, logs)
    finally:
        postfix.remove()
        for proc in milters.values():
            proc.send_signal(signal.SIGTERM)
        for proc in milters.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def send(mail: MailSystem, listener: str, recipients: list[str], message: EmailMessage | bytes,
         sender: str = SENDER) -> tuple[int, str]:
    """Send one message; the reply to the end of DATA (code, text)."""
    raw = message if isinstance(message, bytes) else message.as_bytes()
    with smtplib.SMTP("127.0.0.1", mail.postfix.ports[listener], timeout=120) as smtp:
        smtp.ehlo("client.gov.je")
        code, _ = smtp.mail(sender)
        assert code == 250
        for r in recipients:
            code, _ = smtp.rcpt(r)
            assert code == 250
        code, text = smtp.data(raw)
        return code, text.decode()


def letter(recipients: list[str], body: str, subject: str = "Visit", **headers: str) -> tuple[EmailMessage, str]:
    marker = f"m-{uuid.uuid4().hex[:12]}"
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["X-Test-Marker"] = marker
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg, marker


def queue_id(reply: str) -> str:
    m = re.search(r"queued as (\w+)", reply)
    assert m, reply
    return m.group(1)


def assert_no_secret(text: str) -> None:
    leaked = [s for s in SECRETS if re.search(re.escape(s), text, re.I)]
    assert leaked == [], f"the reply names {leaked}: {text}"


def not_delivered(mail: MailSystem, marker: str, wait: float = 0.5) -> bool:
    time.sleep(wait)
    return not any(marker in p.read_text(errors="replace") for p in mail.postfix.delivered())


BLOCK_BODY = f"Dear Mark,\n\nSarah has moved to {SARAH_ADDRESS}.\n\nRegards"


def test_blocked_message_gets_550_naming_rule_recipient_and_place_and_is_not_delivered(mail: MailSystem) -> None:
    msg, marker = letter([MARK], BLOCK_BODY)
    code, text = send(mail, "guard", [MARK], msg)
    assert code == 550
    assert "5.7.1" in text and "withheld-detail" in text and MARK in text and "email body" in text
    assert_no_secret(text)
    assert not_delivered(mail, marker)
    assert "milter-reject" in mail.postfix.log()


def test_blocked_docx_attachment_is_refused_naming_the_attachment(mail: MailSystem) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Contact arrangements")
    document.add_paragraph(f"Sarah's new address is {SARAH_ADDRESS}.")
    buf = io.BytesIO()
    document.save(buf)
    msg, marker = letter([MARK], "Please find the plan attached.")
    msg.add_attachment(buf.getvalue(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="plan.docx")
    code, text = send(mail, "guard", [MARK], msg)
    assert code == 550 and "plan.docx" in text and "withheld-detail" in text
    assert_no_secret(text)
    assert not_delivered(mail, marker)


def test_allowed_message_is_delivered_with_a_decision_header(mail: MailSystem) -> None:
    msg, marker = letter([COLLEAGUE], "Lily Smith's review is on Tuesday. NHS number 943 476 5919.")
    code, text = send(mail, "guard", [COLLEAGUE], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(COLLEAGUE, marker)
    assert delivered is not None
    content = delivered.read_text()
    assert "X-DisclosureGuard-Decision: allow" in content
    assert f"X-DisclosureGuard-Ref: {queue_id(text)}" in content


def test_warning_is_delivered_with_headers_naming_the_rule(mail: MailSystem) -> None:
    msg, marker = letter([GP], "Lily Smith attended the review on Tuesday.")
    code, text = send(mail, "guard", [GP], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(GP, marker)
    assert delivered is not None
    headers = delivered.read_text().split("\n\n", 1)[0]
    assert "X-DisclosureGuard-Decision: warn" in headers
    assert "X-DisclosureGuard-Rules: partner-not-contact" in headers
    assert "X-DisclosureGuard-Warned: 1 of 1 recipient(s)" in headers
    assert_no_secret(headers.split("X-DisclosureGuard-Decision", 1)[1])


def test_mixed_recipients_refuse_the_whole_message_naming_only_the_blocked_one(mail: MailSystem) -> None:
    msg, marker = letter([COLLEAGUE, MARK], BLOCK_BODY)
    code, text = send(mail, "guard", [COLLEAGUE, MARK], msg)
    assert code == 550 and MARK in text and COLLEAGUE not in text
    assert not_delivered(mail, marker)  # not to the colleague either: the sender resends without Mark


def test_an_override_header_cannot_release_a_block(mail: MailSystem) -> None:
    msg, marker = letter([MARK], BLOCK_BODY, X_DisclosureGuard_Override="the court ordered disclosure")
    code, text = send(mail, "guard", [MARK], msg)
    assert code == 550 and "cannot be overridden" in text
    assert not_delivered(mail, marker)


def test_oversize_message_is_tempfailed(mail: MailSystem) -> None:
    msg, marker = letter([COLLEAGUE], "A big one.\n" + "x" * 76 * 40_000)
    code, text = send(mail, "guard", [COLLEAGUE], msg)
    assert code == 451 and "4.7.0" in text and "larger than" in text
    assert not_delivered(mail, marker, wait=0.2)


def test_a_malformed_message_is_refused_as_unscannable_and_the_service_goes_on(mail: MailSystem) -> None:
    outsider = "someone@example.org"
    raw = (f"From: {SENDER}\r\nTo: {outsider}\r\nSubject: plan\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/mixed; boundary="zzz"\r\n\r\n--zzz\r\n'
           "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n"
           "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=plan.docx\r\n\r\n"
           "UEsDBBQ!!!not-base64@@\r\n").encode()
    code, text = send(mail, "guard", [outsider], raw)
    assert code == 550 and "unscannable" in text and "could not be read" in text
    msg, marker = letter([COLLEAGUE], "Lily Smith's review is on Tuesday.")
    code, text = send(mail, "guard", [COLLEAGUE], msg)
    assert code == 250, text
    assert mail.postfix.wait_delivered(COLLEAGUE, marker) is not None


def test_block_can_be_held_in_the_hold_queue_for_a_reviewer(mail: MailSystem) -> None:
    msg, marker = letter([MARK], BLOCK_BODY)
    code, text = send(mail, "strict", [MARK], msg)
    assert code == 250, text
    held = mail.postfix.wait_held(queue_id(text))
    assert held is not None, mail.postfix.queue_entries()
    assert [r["address"] for r in held["recipients"]] == [MARK]  # type: ignore[index]
    assert not_delivered(mail, marker)
    assert "milter triggers HOLD action" in mail.postfix.log()


def test_warning_is_refused_until_overridden_and_the_override_is_audited(mail: MailSystem) -> None:
    msg, marker = letter([GP], "Lily Smith attended the review on Tuesday.")
    code, text = send(mail, "strict", [GP], msg)
    assert code == 550 and "X-DisclosureGuard-Override" in text and "partner-not-contact" in text
    assert not_delivered(mail, marker, wait=0.2)
    msg, marker = letter([GP], "Lily Smith attended the review on Tuesday.",
                         subject="Review [override: GP is the named health lead for the plan]")
    code, text = send(mail, "strict", [GP], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(GP, marker)
    assert delivered is not None and "X-DisclosureGuard-Override-Recorded: yes" in delivered.read_text()
    records = [json.loads(line) for line in mail.strict_audit.read_text().splitlines()]
    mine = [r for r in records if r["ref"] == queue_id(text)]
    assert mine and mine[0]["override"] == {"justification": "GP is the named health lead for the plan",
                                            "honoured": True}
    assert mine[0]["action"] == "accept-override"


def test_a_scan_past_its_time_limit_is_tempfailed_and_nothing_is_queued(mail: MailSystem) -> None:
    msg, marker = letter([COLLEAGUE], "Lily Smith's review is on Tuesday.")
    code, text = send(mail, "failing", [COLLEAGUE], msg)
    assert code == 451 and "4.7.0" in text and "time limit" in text
    assert not_delivered(mail, marker)
    assert all(marker not in json.dumps(e) for e in mail.postfix.queue_entries())


def test_a_concurrent_mix_loses_nothing(mail: MailSystem) -> None:
    """Every message is refused to the sender's face or delivered to each of its recipients."""
    jobs = []
    for i in range(12):
        if i % 3 == 0:
            jobs.append(([MARK], *letter([MARK], BLOCK_BODY)))
        else:
            to = [COLLEAGUE, "dsl@stmarys.sch.je"] if i % 3 == 1 else [COLLEAGUE]
            jobs.append((to, *letter(to, f"Lily Smith's plan, version {i}.")))
    results: dict[int, tuple[int, str]] = {}

    def worker(index: int) -> None:
        to, msg, _marker = jobs[index]
        results[index] = send(mail, "guard", to, msg)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == len(jobs)
    for i, (to, _msg, marker) in enumerate(jobs):
        code, text = results[i]
        if MARK in to:
            assert code == 550, text
        else:
            assert code == 250, text
            for r in to:
                assert mail.postfix.wait_delivered(r, marker) is not None, (r, marker)


def test_audit_log_is_private_chained_and_holds_no_values(mail: MailSystem) -> None:
    msg, _marker = letter([MARK], BLOCK_BODY)
    code, text = send(mail, "guard", [MARK], msg)
    assert code == 550
    assert stat.S_IMODE(mail.audit.stat().st_mode) == 0o600
    result = verify(mail.audit)
    assert result.ok and result.records >= 1, result
    content = mail.audit.read_text()
    assert_no_secret(content)
    ref = re.search(r"Reference (\w+)", text)
    assert ref is not None
    record = next(json.loads(line) for line in content.splitlines() if json.loads(line)["ref"] == ref.group(1))
    assert record["decision"] == "block" and record["rules"] == ["withheld-detail"]
    assert record["sender"] == SENDER and record["recipients"] == [MARK]
    assert {"type": "UK_POSTCODE", "location": "email body, paragraph 2", "hidden": False,
            "case": "CSC-2021-004512", "detail": "address"} in record["findings"]
    assert main(["audit", "verify", str(mail.audit)]) == 0


def test_sighup_reloads_the_case_index_without_dropping_an_open_connection(mail: MailSystem) -> None:
    newcomer = "foster.carer@example.org"
    msg, marker = letter([newcomer], "Lily Smith's review is on Tuesday.")
    code, text = send(mail, "guard", [newcomer], msg)
    assert code == 550 and "unknown-recipient" in text  # not (yet) a contact of the case
    log = mail.logs["guard"]
    reloads_before = log.read_text().count("reloaded the case index")
    with smtplib.SMTP("127.0.0.1", mail.postfix.ports["guard"], timeout=120) as smtp:
        smtp.ehlo("client.gov.je")
        assert smtp.mail(SENDER)[0] == 250
        assert smtp.rcpt(newcomer)[0] == 250
        (mail.cases / "smith.yaml").write_text(
            SMITH_CASE + f"  - email: {newcomer}\n    name: A Carer\n    role: carer\n")
        mail.milters["guard"].send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while log.read_text().count("reloaded the case index") == reloads_before:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        msg, marker = letter([newcomer], "Lily Smith's review is on Tuesday.")
        code, text = smtp.data(msg.as_bytes())
        assert code == 250, text
    assert mail.postfix.wait_delivered(newcomer, marker) is not None
    assert mail.milters["guard"].poll() is None


def _nino_letter() -> tuple[EmailMessage, str]:
    """To the mother: her own case, with the father's NI number in the subject, body and a DOCX."""
    import docx

    document = docx.Document()
    document.add_paragraph("Benefits claim: household details")
    document.add_paragraph(f"Mark Jones, National Insurance number {MARK_NINO}.")
    buf = io.BytesIO()
    document.save(buf)
    msg, marker = letter([SARAH], f"Dear Sarah,\n\nFor the claim form, Mark's National Insurance number is "
                         f"{MARK_NINO}.\n\nThe review is on Tuesday at 10am.\n\nRegards",
                         subject=f"Claim form (Mark: {MARK_NINO})")
    msg.add_attachment(buf.getvalue(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="claim.docx")
    return msg, marker


def _holds_nino(text: str) -> bool:
    return re.search(r"J\W{0,3}Y\W{0,3}1\W{0,3}2\W{0,3}3\W{0,3}4\W{0,3}5\W{0,3}6\W{0,3}A", text, re.I) is not None


def test_a_third_party_identifier_is_redacted_in_transit_and_the_rest_is_delivered(mail: MailSystem) -> None:
    from email import message_from_bytes, policy

    from disclosureguard.extract import extract

    msg, marker = _nino_letter()
    code, text = send(mail, "guard", [SARAH], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(SARAH, marker)
    assert delivered is not None, mail.postfix.log()
    raw = delivered.read_bytes()
    assert not _holds_nino(raw.decode("latin-1"))
    parsed = message_from_bytes(raw, policy=policy.default)
    decoded = [part.get_payload(decode=True) or b"" for part in parsed.walk() if not part.is_multipart()]
    assert len(decoded) == 2 and not any(_holds_nino(d.decode("latin-1")) for d in decoded)
    segments = [seg.text for seg in extract(raw, "delivered.eml").all_segments()]
    assert segments and not any(_holds_nino(t) for t in segments)
    body = parsed.get_body(("plain",)).get_content()
    assert "Dear Sarah," in body and "The review is on Tuesday at 10am." in body and "[REDACTED: UK_NINO]" in body
    assert any("Benefits claim: household details" in t for t in segments)  # the attachment's other text stays
    assert [p.get_filename() for p in parsed.iter_attachments()] == ["claim.docx"]
    assert parsed["Subject"].startswith("Claim form (Mark: ") and parsed["X-Test-Marker"] == marker
    assert parsed["X-DisclosureGuard-Decision"] == "redact"
    assert re.fullmatch(r"\d+ value\(s\) removed: UK_NINO", parsed["X-DisclosureGuard-Redacted"])
    ref = queue_id(text)
    record = next(json.loads(line) for line in mail.audit.read_text().splitlines() if json.loads(line)["ref"] == ref)
    assert record["action"] == "accept-redact" and record["rules"] == ["third-party-identifier"]
    assert record["redaction"]["types"] == ["UK_NINO"] and "Subject" in record["redaction"]["headers_changed"]
    assert {r["location"] for r in record["redaction"]["removed"]} >= {"email header Subject"}
    assert not _holds_nino(json.dumps(record))  # types, places and rules; never the value


def test_a_gateway_set_not_to_redact_refuses_a_redact_decision(mail: MailSystem) -> None:
    msg, marker = _nino_letter()
    code, text = send(mail, "strict", [SARAH], msg)
    assert code == 550 and "third-party-identifier" in text and "not to redact" in text
    assert not _holds_nino(text)  # the reply names the recipient on purpose, never the value
    assert not_delivered(mail, marker, wait=0.2)


# -- who the message goes to (issue 21) ----------------------------------------------------------

EMMA = "emma.lebrocq@example.org"  # a parent of the Le Brocq family (samples/cases)


def test_a_message_greeting_the_father_sent_to_the_mother_is_refused_naming_the_rule(mail: MailSystem) -> None:
    msg, marker = letter([SARAH], "Dear Mark,\n\nContact goes on on Saturday mornings.\n\nKind regards,\nJo")
    code, text = send(mail, "guard", [SARAH], msg)
    assert code == 550 and "addressee-mismatch" in text
    assert_no_secret(text.replace(SARAH, ""))  # the reply names the refused recipient, nothing else
    assert not_delivered(mail, marker)


def test_two_families_in_one_to_line_is_refused_and_bcc_goes(mail: MailSystem) -> None:
    body = "Dear all,\n\nThe next parenting course starts on 6 January.\n\nKind regards,\nJo"
    msg, marker = letter([SARAH, EMMA], body)
    code, text = send(mail, "guard", [SARAH, EMMA], msg)
    assert code == 550 and "exposed-recipients" in text
    assert not_delivered(mail, marker)
    blind, blind_marker = letter([SENDER], body)  # To: the sender, the families as Bcc (envelope only)
    code, text = send(mail, "guard", [SARAH, EMMA], blind)
    assert code == 250, text
    assert mail.postfix.wait_delivered(SARAH, blind_marker) is not None


def test_a_lookalike_address_is_warned_by_header_or_refused_until_overridden(mail: MailSystem) -> None:
    typo = "sarah.smyth@example.com"
    body = "Dear Sarah,\n\nContact goes on on Saturday mornings.\n\nKind regards,\nJo"
    msg, marker = letter([typo], body)
    code, text = send(mail, "guard", [typo], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(typo, marker)
    assert delivered is not None
    headers = delivered.read_text().split("\n\n", 1)[0]
    assert "X-DisclosureGuard-Decision: warn" in headers and "lookalike-recipient" in headers
    # The known address is never put in a header the look-alike recipient reads.
    assert SARAH not in headers.split("X-DisclosureGuard-Decision", 1)[1]
    strict, strict_marker = letter([typo], body)
    code, text = send(mail, "strict", [typo], strict)
    assert code == 550 and "lookalike-recipient" in text and SARAH not in text
    assert not_delivered(mail, strict_marker)


def test_a_case_persons_name_on_an_address_not_theirs_is_warned_by_header_or_refused_until_overridden(
        mail: MailSystem) -> None:
    slip = "sarah.smith@evil.example"  # the mother's name, picked with an address nobody knows
    body = "The meeting is on Tuesday.\n\nKind regards,\nJo"
    msg, marker = letter([f'"Sarah Smith" <{slip}>'], body)
    code, text = send(mail, "guard", [slip], msg)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(slip, marker)
    assert delivered is not None
    headers = delivered.read_text().split("\n\n", 1)[0]
    added = headers.split("X-DisclosureGuard-Decision", 1)[1]
    assert "X-DisclosureGuard-Decision: warn" in headers and "lookalike-recipient" in added
    assert_no_secret(added)  # the name shown and the mother's real address stay out of the headers
    strict, strict_marker = letter([f'"Sarah Smith" <{slip}>'], body)
    code, text = send(mail, "strict", [slip], strict)
    assert code == 550 and "lookalike-recipient" in text
    assert_no_secret(text.replace(slip, ""))  # the reply names the refused recipient, nothing else
    assert not_delivered(mail, strict_marker)


# -- names taken from the input reach no operator (issue 13) -------------------------------------

PLANTED = ("Grace Nwosu", "Noah Jones", "9434765919")  # in names only: header, attachment, member, part, title


def _planted_message(to: str) -> tuple[EmailMessage, str]:
    note = b"Contact note. NHS number 943 476 5919. Seen at home today."
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    title = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
             ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Noah Jones</dc:title></cp:coreProperties>')
    msg, marker = letter([to], "See the attached notes.\n", subject="Notes")
    msg["X-Grace-Nwosu-9434765919"] = "yes"  # a header name from the input
    msg.add_attachment(docx("<w:p><w:r><w:t>See the plan.</w:t></w:r></w:p>",
                            parts={"word/Grace Nwosu 9434765919.xml": dtd, "docProps/core.xml": title}),
                       maintype="application", subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                       filename="Noah Jones 9434765919.docx")
    msg.add_attachment(zip_of({"Grace Nwosu 9434765919/contact.txt": note, "Noah Jones.bin": b"\x00\xff" * 64}),
                       maintype="application", subtype="zip", filename="Grace Nwosu.zip")
    msg.add_attachment(b"%PDF-1.4\n1 0 obj garbage", maintype="application", subtype="pdf",
                       filename="Noah Jones 9434765919.pdf")
    return msg, marker


def _planted_in(text: str) -> list[str]:
    folded = "".join(ch for ch in text.casefold() if ch.isalnum())
    return [v for v in PLANTED if "".join(ch for ch in v.casefold() if ch.isalnum()) in folded]


def test_names_from_the_input_reach_no_reply_header_audit_record_or_milter_log(mail: MailSystem) -> None:
    outside = "someone@example.org"
    msg, marker = _planted_message(outside)
    code, text = send(mail, "guard", [outside], msg)
    assert code == 550 and "Look at" in text  # refused, naming where to look, masked
    assert _planted_in(text) == []
    assert not_delivered(mail, marker)
    inside, inside_marker = _planted_message(COLLEAGUE)
    code, text = send(mail, "guard", [COLLEAGUE], inside)
    assert code == 250, text
    delivered = mail.postfix.wait_delivered(COLLEAGUE, inside_marker)
    assert delivered is not None
    added = delivered.read_text().split("\n\n", 1)[0].split("X-DisclosureGuard-Decision", 1)[1]
    assert _planted_in(added) == []
    time.sleep(0.5)  # the audit line and the log line follow the reply
    assert _planted_in(mail.audit.read_text()) == []
    assert _planted_in(mail.logs["guard"].read_text(errors="replace")) == []
