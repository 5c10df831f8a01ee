"""`disclosureguard batch` on a local process pool: a folder, a zip and an mbox; a corrupt file and a
file that runs past the time limit; the reports, their permissions, and the HTML in a real browser."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from batch_corpus import (
    CORPUS_ITEMS,
    OTHER_CASE_REF,
    WITHHELD_ADDRESS,
    Corpus,
    add_corrupt_docx,
    add_slow_file,
    build_corpus,
    read_jsonl,
)
from disclosureguard.cli import exit_codes
from disclosureguard.cli.main import main

CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
ITEMS = CORPUS_ITEMS + 2  # the corpus, a corrupt file, a file with a hostile name
# One xdist worker runs this file: its tests read one sweep (the module's `run`, seconds of
# scanning processes), which each worker would otherwise make again.
pytestmark = pytest.mark.xdist_group("batch_run")


@dataclass
class Run:
    corpus: Corpus
    out: Path
    code: int
    stdout: str
    stderr: str
    records: list[dict]
    corrupt: Path

    def record(self, path: Path | str) -> dict:
        [r] = [r for r in self.records if r["path"] == str(path)]
        return r


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("batch")
    corpus = build_corpus(root)
    odd = root / "archive" / "odd"
    odd.mkdir()
    corrupt = add_corrupt_docx(odd)
    # A file name that would be markup if the HTML report did not escape it.
    (odd / HOSTILE_NAME).write_text(f"Sarah Smith lives at {WITHHELD_ADDRESS}.\n")
    out = root / "sweep"
    code, stdout, stderr = run_cli([
        "batch", *map(str, corpus.sources), "--cases", str(corpus.cases), "--recipients", str(corpus.recipients_csv),
        "--no-model", "--workers", "2", "--time-limit", "300", "--out", str(out),  # no scan here comes near it
    ])
    return Run(corpus, out, code, stdout, stderr, read_jsonl(out / "verdicts.jsonl"), corrupt)


def test_every_file_member_and_message_gets_exactly_one_verdict(run: Run) -> None:
    paths = [r["path"] for r in run.records]
    assert len(paths) == ITEMS == len(set(paths))
    assert all(r["source"] == r["path"] and len(r["sha256"]) == 64 and r["size"] > 0 for r in run.records)
    assert run.code == exit_codes.BLOCK
    assert f"{ITEMS} files ({ITEMS} scanned now, 0 already done)" in run.stdout


def test_withheld_address_in_letter_email_zip_and_mbox_blocks_each(run: Run) -> None:
    zipped = f"{run.corpus.root / 'old-cases.zip'}!/2024/letter-to-father.txt"
    mboxed = f"{run.corpus.root / 'sent.mbox'}#1"
    for path in (run.corpus.letter_to_father, run.corpus.email_to_father, zipped, mboxed):
        r = run.record(path)
        assert r["decision"] == "block", path
        assert "withheld-detail" in {x["rule"] for x in r["reasons"]}, path
    assert run.record(run.corpus.email_to_father)["recipients"][0]["address"] == "mjones@example.net"


def test_a_letter_listed_in_the_recipients_csv_is_judged_for_those_recipients(run: Run) -> None:
    r = run.record(run.corpus.letter_for_csv)
    assert [x["address"] for x in r["recipients"]] == ["mjones@example.net"]
    assert r["decision"] == "block"


def test_a_file_past_the_time_limit_is_an_error(tmp_path: Path) -> None:
    # A run of its own, at a limit far below what the slow file needs on any machine.
    slow = add_slow_file(tmp_path)
    code, _, _ = run_cli(["batch", str(slow), "--no-model", "--time-limit", "1", "--workers", "1",
                          "--out", str(tmp_path / "sweep")])  # one file: one scanning process is enough
    [record] = read_jsonl(tmp_path / "sweep" / "verdicts.jsonl")
    assert record["decision"] != "allow" and code != exit_codes.ALLOW
    assert [e["cause"] for e in record["errors"]] == ["timeout"]


def test_a_corrupt_file_is_an_error_and_the_rest_complete(run: Run) -> None:
    corrupt = run.record(run.corrupt)
    assert corrupt["decision"] != "allow" and corrupt["errors"]
    assert {e["cause"] for e in corrupt["errors"]} & {"corrupt", "type-mismatch"}
    others = [r for r in run.records if r["path"] != str(run.corrupt)]
    assert others and all(not r["errors"] for r in others)


def test_by_case_counts_family_data_not_the_social_workers_signature(run: Run) -> None:
    smith = [r for r in run.records if "CSC-2021-004512" in r["cases"]]
    assert str(run.corpus.letter_to_father) in {r["path"] for r in smith}
    assert not [r["path"] for r in run.records if OTHER_CASE_REF in r["cases"]]


def test_reports_are_private_to_their_owner(run: Run) -> None:
    assert stat.S_IMODE(os.stat(run.out).st_mode) == 0o700
    for name in ("verdicts.jsonl", "summary.csv", "report.html", "checkpoint.sqlite"):
        assert stat.S_IMODE(os.stat(run.out / name).st_mode) == 0o600, name
    assert not [p for p in run.out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_csv_summary_has_one_row_per_verdict_with_its_decision_and_rules(run: Run) -> None:
    with open(run.out / "summary.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_path = {r["path"]: r for r in run.records}
    assert sorted(row["path"] for row in rows) == sorted(by_path)
    for row in rows:
        record = by_path[row["path"]]
        assert row["decision"] == record["decision"]
        assert row["rules"] == ";".join(sorted({x["rule"] for x in record["reasons"]}))
        assert int(row["findings"]) == len(record["findings"]) and int(row["errors"]) == len(record["errors"])


def test_values_are_in_the_reports_unless_no_values(run: Run) -> None:
    texts = [f["text"] for r in run.records for f in r["findings"]]
    assert any(t and "JE3 8XY" in t for t in texts)
    assert "JE3 8XY" in (run.out / "report.html").read_text()


def test_nothing_is_written_to_stderr_when_it_is_not_a_terminal(run: Run) -> None:
    assert run.stderr == ""


def test_resuming_with_other_settings_is_refused(run: Run) -> None:
    code, _, stderr = run_cli(["batch", str(run.corpus.root / "archive"), "--cases", str(run.corpus.cases),
                               "--no-model", "--no-values", "--out", str(run.out)])
    assert code == exit_codes.FAILURE
    assert "other settings" in stderr and "values" in stderr


# On CI a missing Chromium is a failure (scripts/system-deps installs it), never a skip.
@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="needs Debian's chromium")
def test_html_report_renders_in_a_browser_and_its_counts_match_the_json_lines(run: Run) -> None:
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", (run.out / "report.html").as_uri()],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert "<h1>" in dom and "By decision" in dom
    decisions = Counter(r["decision"] for r in run.records)
    for d in ("block", "redact", "warn", "allow"):
        m = re.search(rf'id="count-{d}"[^>]*data-count="(\d+)"', dom)
        assert m and int(m.group(1)) == decisions[d], d
    rules = Counter(rule for r in run.records for rule in {x["rule"] for x in r["reasons"]})
    shown = {m.group(1): int(m.group(2)) for m in re.finditer(r'<tr data-rule="([^"]+)" data-count="(\d+)"', dom)}
    assert shown == dict(rules)
    listed = re.findall(r'<li class="file" data-decision="(\w+)"', dom)
    assert len(listed) == sum(1 for r in run.records if r["decision"] != "allow")
    order = ["block", "redact", "warn"]
    assert [order.index(d) for d in listed] == sorted(order.index(d) for d in listed)  # worst first
    assert run.corpus.letter_to_father.as_uri() in dom
    assert "<img" not in dom and "&lt;img src=x onerror=alert(1)&gt;.txt" in dom  # a name is text, never markup
    assert "withheld-detail" in dom and "body, paragraph" in dom


def test_a_model_that_cannot_be_loaded_fails_cleanly_before_scanning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    code, _, stderr = run_cli(["batch", str(tmp_path / "a.txt"), "--model", "no_such_pipeline", "--workers", "1",
                               "--out", str(tmp_path / "sweep")])
    assert code == exit_codes.FAILURE
    assert "could not load its scanner" in stderr and "no_such_pipeline" in stderr
    assert "Traceback" not in stderr
