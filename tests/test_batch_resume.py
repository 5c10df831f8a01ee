"""A batch run killed part-way (SIGKILL) and run again: exactly one verdict per file, nothing rescanned."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from batch_corpus import WITHHELD_ADDRESS, build_corpus, email, read_jsonl
from disclosureguard.batch.sources import count_items

KILL_AFTER = 8


def committed(db: Path) -> dict[str, int]:
    """path -> seq of every record committed so far (read-only; the run may be writing)."""
    if not db.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as con:
            return dict(con.execute("SELECT path, seq FROM items").fetchall())
    except sqlite3.OperationalError:  # the run has not created its table yet
        return {}


def command(sources: list[str], cases: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "disclosureguard.cli.main", "batch", *sources, "--cases", str(cases),
            "--no-model", "--no-values", "--workers", "1", "--out", str(out)]


def test_a_run_killed_part_way_resumes_with_one_verdict_per_file_and_nothing_scanned_twice(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    bulk = tmp_path / "archive" / "bulk"
    bulk.mkdir()
    for n in range(120):
        (bulk / f"mail-{n:03d}.eml").write_text(email(
            "mjones@example.net", f"Update {n}", f"Sarah lives at {WITHHELD_ADDRESS}. Ref {n}.", f"k{n}"))
    sources = [str(s) for s in corpus.sources]
    total = count_items(sources)
    out = tmp_path / "sweep"
    db = out / "checkpoint.sqlite"

    first = subprocess.Popen(command(sources, corpus.cases, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(committed(db)) < KILL_AFTER:
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the run committed nothing in time"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):  # its scanning workers, if any outlived it
            os.killpg(first.pid, signal.SIGKILL)
        first.communicate()
    before = committed(db)
    assert KILL_AFTER <= len(before) < total, "the run should have been killed part-way"

    second = subprocess.run(command(sources, corpus.cases, out), capture_output=True, text=True, timeout=300)
    assert second.returncode == 30, second.stderr
    assert second.stderr == ""  # no progress noise when stderr is not a terminal
    assert f"{total} files ({total - len(before)} scanned now, {len(before)} already done)" in second.stdout

    after = committed(db)
    assert all(after[p] == seq for p, seq in before.items())  # what was committed was not scanned again
    records = read_jsonl(out / "verdicts.jsonl")
    paths = [r["path"] for r in records]
    assert len(paths) == total == len(set(paths)) == len(after)
    assert all(f["text"] is None for r in records for f in r["findings"])  # --no-values
    assert WITHHELD_ADDRESS not in (out / "summary.csv").read_text() + (out / "report.html").read_text()
