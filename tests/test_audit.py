"""The hash-chained audit log: permissions, chaining, tamper detection, concurrent appends."""

from __future__ import annotations

import json
import multiprocessing as mp
import stat
from pathlib import Path

from disclosureguard.audit import GENESIS, AuditLog, findings_summary, line_hash, verify
from disclosureguard.cli.main import main
from disclosureguard.model import Finding, Place


def _fill(path: Path, n: int) -> AuditLog:
    log = AuditLog(path)
    for i in range(n):
        log.append({"event": "test", "n": i})
    return log


def test_new_log_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_each_record_chains_to_the_previous_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 3)
    lines = path.read_bytes().splitlines()
    records = [json.loads(x) for x in lines]
    assert records[0]["prev"] == GENESIS
    assert records[1]["prev"] == line_hash(lines[0])
    assert records[2]["prev"] == line_hash(lines[1])
    assert all("time" in r for r in records)
    assert verify(path).ok and verify(path).records == 3


def test_an_edited_record_breaks_the_chain_at_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 4)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"n":1', '"n":7')
    path.write_text("".join(lines))
    result = verify(path)
    assert not result.ok and result.line == 3 and result.records == 2


def test_a_deleted_record_breaks_the_chain_where_it_was(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 4)
    lines = path.read_text().splitlines(keepends=True)
    del lines[1]
    path.write_text("".join(lines))
    result = verify(path)
    assert not result.ok and result.line == 2


def test_a_truncated_last_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 2)
    path.write_bytes(path.read_bytes()[:-5])
    result = verify(path)
    assert not result.ok and result.line == 2


def test_appending_after_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 2)
    AuditLog(path).append({"event": "later"})
    assert verify(path).ok and verify(path).records == 3


def _append_many(path: str, who: int, n: int) -> None:
    log = AuditLog(path)
    for i in range(n):
        log.append({"event": "concurrent", "who": who, "n": i, "pad": "x" * (i * 37 % 300)})


def test_several_processes_appending_at_once_keep_one_sound_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(path), w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert all(p.exitcode == 0 for p in procs)
    result = verify(path)
    assert result.ok, result
    assert result.records == 160


def test_findings_summary_holds_types_and_places_never_values() -> None:
    f = Finding("UK_POSTCODE", "JE3 8XY", 0.9, 0, 0, 7, Place("email body, paragraph 2"), case="CSC-1",
                detail="address")
    summary = findings_summary([f])
    assert summary == [{"type": "UK_POSTCODE", "location": "email body, paragraph 2", "hidden": False,
                        "case": "CSC-1", "detail": "address"}]
    assert "JE3 8XY" not in json.dumps(summary)


def test_audit_verify_command_exits_0_on_a_sound_log(tmp_path: Path, capsys) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 3)
    assert main(["audit", "verify", str(path)]) == 0
    assert "3 record(s)" in capsys.readouterr().out


def test_audit_verify_command_names_the_first_broken_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 3)
    lines = path.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace('"n":0', '"n":9')
    path.write_text("".join(lines))
    assert main(["audit", "verify", str(path)]) == 1
    assert "line 2" in capsys.readouterr().err


def test_audit_verify_command_fails_on_a_missing_file(tmp_path: Path) -> None:
    assert main(["audit", "verify", str(tmp_path / "none.jsonl")]) == 3
