"""The desk's commands and its learning from reviewers' marks, on real batch output and a real store."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard.cli.main import cli
from disclosureguard.desk.report import masked_value, report
from disclosureguard.desk.store import Store
from disclosureguard.desk.sweeps import finding_rows

ROOT = Path(__file__).resolve().parent.parent


def _record(path: str, findings: list[dict[str, object]], reasons: list[dict[str, object]],
            errors: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {"path": path, "container": path, "member": None, "decision": "block", "findings": findings,
            "reasons": reasons, "errors": errors or [], "recipients": [], "cases": []}


NHS = {"entity_type": "UK_NHS", "text": "943 476 5919", "location": "body, paragraph 2", "case": "CSC-1"}
PHONE = {"entity_type": "UK_PHONE", "text": "07700 900456", "location": "body, paragraph 3", "case": None}


def test_each_finding_gets_its_strictest_citing_rule_and_unreadable_parts_are_rows_too() -> None:
    record = _record("/archive/a/letter.docx", [NHS, PHONE], [
        {"rule": "unattributed-person", "action": "warn", "recipient": "x@example.net", "findings": [0, 1]},
        {"rule": "withheld-detail", "action": "block", "recipient": "x@example.net", "findings": [0]},
        {"rule": "unscannable", "action": "block", "recipient": "x@example.net", "findings": []},
    ], errors=[{"part": "attachment 'scan.pdf'", "cause": "encrypted", "message": "encrypted"}])
    rows = list(finding_rows([record]))
    assert [(r["entity_type"], r["rule"]) for r in rows] == [
        ("UK_NHS", "withheld-detail"), ("UK_PHONE", "unattributed-person"), ("UNREADABLE_PART", "unscannable")]
    assert rows[0]["rules"] == ["unattributed-person", "withheld-detail"] and rows[0]["folder"] == "/archive/a"


def test_the_report_counts_marks_per_week_rule_and_recogniser(tmp_path: Path) -> None:
    store = Store(tmp_path / "desk.sqlite")
    records = [_record(f"/archive/{n}.txt", [NHS, PHONE], [
        {"rule": "third-party-identifier", "action": "redact", "recipient": "x@example.net", "findings": [0]},
        {"rule": "unattributed-person", "action": "warn", "recipient": "x@example.net", "findings": [1]}])
        for n in range(2)]
    _sweep, count = store.add_sweep("/out", "tester", records)
    assert count == 4
    week1 = datetime(2026, 11, 23, 10, tzinfo=UTC).timestamp()  # ISO week 48
    week2 = datetime(2026, 12, 1, 10, tzinfo=UTC).timestamp()  # ISO week 49
    ids = [f["id"] for f in store.findings()]
    store.mark(ids[0], "true-breach", "", "alice", week1)
    store.mark(ids[1], "false-alarm", "a shop's number", "alice", week1)
    store.mark(ids[3], "false-alarm", "", "bob", week2)
    store.mark(ids[2], "already-known", "", "bob", week2)
    summary = report(store)
    assert summary["totals"] == {"true-breach": 1, "false-alarm": 2, "already-known": 1}
    assert summary["weeks"] == ["2026-W48", "2026-W49"]
    phone = [r for r in summary["by_recogniser"] if r["name"] == "UK_PHONE"]
    assert [(r["week"], r["false-alarm"], r["false_alarm_rate"]) for r in phone] == [
        ("2026-W48", 1, 1.0), ("2026-W49", 1, 1.0)]
    nhs_w49 = [r for r in summary["by_rule"] if r["name"] == "third-party-identifier" and r["week"] == "2026-W49"]
    assert nhs_w49[0]["already-known"] == 1 and nhs_w49[0]["false_alarm_rate"] == 0.0
    assert store.findings(mark="unmarked") == []
    assert len(store.findings(rule="unattributed-person")) == 2


def test_export_masks_every_value(tmp_path: Path) -> None:
    store_path = tmp_path / "desk.sqlite"
    store = Store(store_path)
    store.add_sweep("/out", "t", [_record("/a/b.txt", [PHONE], [])])
    store.mark(store.findings()[0]["id"], "false-alarm", "", "alice")
    result = CliRunner().invoke(cli, ["desk", "export-false-alarms", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    example = json.loads(result.output)
    assert example["masked"] == "99999 999999" and "07700" not in result.output
    assert masked_value("Lily-Mae 12") == "xxxx-xxx 99"


def test_user_add_refuses_a_short_password_and_keeps_the_store_private(tmp_path: Path) -> None:
    store = tmp_path / "desk.sqlite"
    runner = CliRunner()
    result = runner.invoke(cli, ["desk", "user", "add", "alice", "--store", str(store), "--password-stdin"],
                           input="short\n")
    assert result.exit_code == 3 and "at least 12 characters" in result.output
    result = runner.invoke(cli, ["desk", "user", "add", "bad name!", "--store", str(store), "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 3 and "user name" in result.output
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_import_of_a_folder_that_is_not_batch_output_names_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["desk", "import", str(tmp_path), "--store", str(tmp_path / "d.sqlite")])
    assert result.exit_code == 3
    assert "verdicts.jsonl: cannot be read" in result.output
    (tmp_path / "verdicts.jsonl").write_text('{"path": "a"}\nnot json\n')
    result = CliRunner().invoke(cli, ["desk", "import", str(tmp_path), "--store", str(tmp_path / "d.sqlite")])
    assert result.exit_code == 3 and "line 2 is not a JSON record" in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_serve_refuses_a_public_address_without_tls(tmp_path: Path, host: str) -> None:
    result = CliRunner().invoke(cli, ["desk", "serve", "--store", str(tmp_path / "d.sqlite"), "--audit-log",
                                      str(tmp_path / "a.jsonl"), "--host", host])
    assert result.exit_code == 3 and "not a loopback address" in result.output
