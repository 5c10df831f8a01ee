"""`disclosureguard scan` end to end: verdicts, exit codes, clean errors.

Most tests run the command in this process through click's CliRunner (a new process would
only add the interpreter's start and the imports); those that are about the process itself
(its exit code, a kill at the time limit, no network at all) run the installed command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import Ran, run_cli

CLI = str(Path(sys.executable).parent / "disclosureguard")
ALLOW, WARN, REDACT, BLOCK, FAILURE = 0, 10, 20, 30, 3


def run(*args: str, stdin: bytes | None = None, prefix: tuple[str, ...] = (), process: bool = False) -> Ran:
    """The command's exit code and output: in this process, or (``process``/``prefix``) as a real process."""
    if process or prefix:
        p = subprocess.run([*prefix, CLI, *args], input=stdin.decode() if stdin else None, capture_output=True,
                           text=True, timeout=120)
        assert "Traceback" not in p.stderr, p.stderr
        return Ran(p.returncode, p.stdout, p.stderr)
    return run_cli(*args, stdin=stdin)


@pytest.fixture(scope="module")
def emails(samples: Path) -> Path:
    return samples / "emails"


def test_childs_nhs_number_to_unknown_address_is_blocked_by_unknown_recipient(emails: Path, samples: Path):
    p = run("scan", str(emails / "nhs-number-to-unknown.eml"), "--policy", str(samples / "policy.yaml"),
            "--format", "json")
    verdict = json.loads(p.stdout)
    assert p.returncode == BLOCK
    assert verdict["decision"] == "block"
    assert "unknown-recipient" in {r["rule"] for r in verdict["reasons"]}
    assert verdict["recipients"] == [
        {"address": "info@kidsclub-holidays.example.com", "class": "unknown", "case": None, "cases": [],
         "person": None, "found_by": "email headers", "decision": "block"}
    ]
    nhs = [f for f in verdict["findings"] if f["entity_type"] == "UK_NHS"]
    assert nhs and nhs[0]["text"] == "943 476 5919" and nhs[0]["location"] == "email body, paragraph 2"


def test_same_message_to_internal_colleague_is_allowed(emails: Path, samples: Path):
    p = run("scan", str(emails / "nhs-number-to-colleague.eml"), "--policy", str(samples / "policy.yaml"),
            "--format", "json")
    assert (p.returncode, json.loads(p.stdout)["decision"]) == (ALLOW, "allow")


def test_same_message_to_partner_domain_warns(emails: Path, samples: Path):
    p = run("scan", str(emails / "nhs-number-to-gp.eml"), "--policy", str(samples / "policy.yaml"),
            "--format", "json")
    verdict = json.loads(p.stdout)
    assert (p.returncode, verdict["decision"]) == (WARN, "warn")
    assert {r["rule"] for r in verdict["reasons"]} == {"partner-not-contact"}


def test_to_overrides_the_messages_recipients(emails: Path):
    p = run("scan", str(emails / "nhs-number-to-colleague.eml"), "--to", "someone@mailbox.example",
            "--format", "json", "--no-model")
    assert json.loads(p.stdout)["decision"] == "block"


def test_text_format_puts_the_decision_first_then_reasons(emails: Path):
    p = run("scan", str(emails / "nhs-number-to-unknown.eml"), "--no-model")
    lines = p.stdout.splitlines()
    assert lines[1].strip().startswith("BLOCK")
    assert any("[unknown-recipient, block]" in line and "email body, paragraph 2" in line for line in lines)
    assert "943 476 5919" not in p.stdout  # reasons name places, not values


def test_several_paths_print_one_verdict_per_line_and_exit_with_the_strictest(emails: Path):
    p = run("scan", str(emails / "nhs-number-to-colleague.eml"), str(emails / "nhs-number-to-unknown.eml"),
            "--format", "jsonl", "--no-model", process=True)
    decisions = [json.loads(line)["decision"] for line in p.stdout.splitlines()]
    assert decisions == ["allow", "block"] and p.returncode == BLOCK


def test_message_on_stdin(emails: Path):
    p = run("scan", "-", "--format", "json", "--no-model", stdin=(emails / "nhs-number-to-unknown.eml").read_bytes())
    assert json.loads(p.stdout)["source"] == "<stdin>" and p.returncode == BLOCK


def test_missing_file_is_one_clear_line_and_not_allow(tmp_path: Path):
    p = run("scan", str(tmp_path / "missing.eml"), "--no-model")
    assert p.returncode == FAILURE
    assert p.stderr.strip() == f"disclosureguard: {tmp_path / 'missing.eml'}: no such file"


def test_malformed_policy_is_one_clear_line_naming_file_and_field(tmp_path: Path, emails: Path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("organisation:\n  internal_domains: [gov.je]\nrules:\n  - {id: x, when: sometimes, action: block}\n")
    p = run("scan", str(emails / "nhs-number-to-unknown.eml"), "--policy", str(bad), "--no-model")
    assert p.returncode == FAILURE
    assert len(p.stderr.strip().splitlines()) == 1
    assert str(bad) in p.stderr and "rules[0].when" in p.stderr


def test_empty_file_gets_a_verdict(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    verdict = json.loads(run("scan", str(empty), "--format", "json", "--no-model").stdout)
    assert verdict["findings"] == [] and "the document holds no text" in verdict["notes"]


def test_non_utf8_letter_gets_a_verdict(tmp_path: Path):
    letter = tmp_path / "letter.txt"
    letter.write_bytes("Zoë Brûlé, NHS number 943 476 5919, café".encode("cp1252"))
    p = run("scan", str(letter), "--format", "json", "--no-model")
    verdict = json.loads(p.stdout)
    assert verdict["decision"] == "block"
    assert [f["text"] for f in verdict["findings"] if f["entity_type"] == "UK_NHS"] == ["943 476 5919"]


def test_email_with_broken_mime_is_never_allowed(tmp_path: Path):
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"From: a@gov.je\nTo: colleague@gov.je\nSubject: x\nMIME-Version: 1.0\n"
                       b"Content-Type: multipart/mixed; boundary=\"XYZ\"\n\nno boundary here\n")
    verdict = json.loads(run("scan", str(broken), "--format", "json", "--no-model").stdout)
    assert verdict["errors"] and verdict["decision"] != "allow"


def test_unreadable_attachment_to_external_is_blocked(tmp_path: Path):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@gov.je", "someone@example.com", "report"
    msg.set_content("Please see the attached.")
    msg.add_attachment(b"\x00\x01binary" * 40, maintype="application", subtype="octet-stream", filename="r.bin")
    path = tmp_path / "m.eml"
    path.write_bytes(msg.as_bytes())
    verdict = json.loads(run("scan", str(path), "--format", "json", "--no-model").stdout)
    assert verdict["decision"] == "block"
    assert {r["rule"] for r in verdict["reasons"]} == {"unscannable"}


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_scan_works_with_no_network_at_all(emails: Path, samples: Path):
    """In a network namespace with no interfaces up, nothing can be downloaded: the scan still works."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    p = run("scan", str(emails / "nhs-number-to-unknown.eml"), "--policy", str(samples / "policy.yaml"),
            "--format", "json", prefix=("unshare", "-rn"))
    assert p.returncode == BLOCK, p.stderr
    assert p.stderr == ""


def test_a_limit_set_on_the_command_line_is_enforced_and_named(samples: Path):
    p = run("scan", str(samples / "letters/letter-to-father.txt"), "--limit", "max_bytes=100", "--format", "json",
            "--no-model")
    verdict = json.loads(p.stdout)
    assert verdict["decision"] == "block"
    assert [e["cause"] for e in verdict["errors"]] == ["limit"] and "max_bytes" in verdict["errors"][0]["message"]


def test_an_unknown_limit_is_a_usage_error(samples: Path):
    p = run("scan", str(samples / "letters/letter-to-father.txt"), "--limit", "max_pagez=3", "--no-model")
    assert p.returncode == 2 and "max_pages" in p.stderr


def test_a_time_limit_given_to_scan_kills_a_runaway_scan(tmp_path: Path):
    slow = tmp_path / "slow.txt"
    # Many seconds of work: each "a1" is a run the case matcher extends over the words after it
    # ("a " alone became too quick for a 1 s limit once the scan stopped paying per word).
    slow.write_text("a1 " * 1_000_000)
    p = run("scan", str(slow), "--no-model", "--time-limit", "1", "--to", "someone@example.com",
            "--format", "json", process=True)
    verdict = json.loads(p.stdout)
    assert p.returncode == BLOCK
    assert [e["cause"] for e in verdict["errors"]] == ["timeout"]
    assert "(limit: time_limit)" in verdict["errors"][0]["message"]


def test_the_old_time_limit_spelling_names_the_new_one(samples: Path):
    p = run("scan", str(samples / "letters/letter-to-father.txt"), "--limit", "time_limit=3", "--no-model")
    assert p.returncode == 2
    assert p.stderr.strip() == "disclosureguard: --limit: time_limit is set with --time-limit SECONDS, not --limit"


def test_an_empty_folder_is_a_failure_not_an_allow(tmp_path: Path):
    p = run("scan", str(tmp_path), "--no-model")
    assert p.returncode == FAILURE
    assert p.stdout == "" and p.stderr.count("\n") == 1 and "no file to scan" in p.stderr


def test_an_empty_folder_is_named_with_what_its_name_holds_masked(tmp_path: Path):
    folder = tmp_path / "Lily Smith 943 476 5919"  # a folder named after the child it was for
    folder.mkdir()
    p = run("scan", str(folder), "--no-model")
    assert p.returncode == FAILURE and "no file to scan" in p.stderr
    assert "943 476 5919" not in p.stderr and "Lily" not in p.stderr
    assert p.stderr.startswith(f"disclosureguard: {tmp_path}/[person] [uk_nhs]: ")  # the rest is as typed


def test_a_path_that_matches_nothing_is_a_failure_not_an_allow(tmp_path: Path):
    p = run("scan", str(tmp_path / "*.docx"), "--no-model")
    assert p.returncode == FAILURE and p.stderr.count("\n") == 1 and "no such file" in p.stderr


@pytest.mark.parametrize("bad", ["Mark Jones", "mjones", "mjones@@example.net", ""])
def test_a_to_that_is_not_an_address_is_a_usage_error_naming_it(samples: Path, bad: str):
    p = run("scan", str(samples / "letters/letter-to-father.txt"), "--to", bad, "--no-model")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and repr(bad) in p.stderr and p.stdout == ""


@pytest.mark.parametrize("isolated", [(), ("--time-limit", "60")])
def test_a_policy_switching_off_a_block_rule_warns_once_and_every_verdict_notes_it(tmp_path: Path, samples: Path,
                                                                                 isolated: tuple[str, ...]):
    policy = tmp_path / "policy.yaml"
    policy.write_text("organisation: {internal_domains: [gov.je]}\ndisable: [withheld-detail]\n")
    p = run("scan", str(samples / "letters/letter-to-father.txt"), str(samples / "letters/letter-to-mother.txt"),
            "--cases", str(samples / "cases"), "--policy", str(policy), "--no-model", "--format", "jsonl", *isolated,
            process=True)  # the warning is a log line: what the process's stderr shows
    warnings = [line for line in p.stderr.splitlines() if "warning" in line]
    assert warnings == [f"disclosureguard: warning: policy {policy} switches off or weakens the block rule(s) "
                        "withheld-detail"]
    verdicts = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(verdicts) == 2
    assert all(f"rule withheld-detail is switched off by policy {policy}" in v["notes"] for v in verdicts)
