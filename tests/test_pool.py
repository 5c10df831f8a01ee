"""The scanning pool: each scan in a worker process that is killed when it runs too long."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from disclosureguard.judge import ScannerConfig
from disclosureguard.pool import ScanPool
from disclosureguard.pool_worker import Task

LETTER = b"Dear Mr Jones,\n\nLily Smith, NHS number 943 476 5919, will attend.\n"
pytestmark = pytest.mark.xdist_group("pool")


@pytest.fixture(scope="module")
def config(smith_cases: Path, samples: Path) -> ScannerConfig:
    return ScannerConfig(cases=(str(smith_cases),), policy=str(samples / "policy.yaml"), model=None)


@pytest.fixture(scope="module")
def pool(config: ScannerConfig):
    with ScanPool(config, workers=2, time_limit=30) as p:
        yield p


def test_pool_scans_like_a_scanner(pool: ScanPool):
    verdict = pool.scan(LETTER, ["someone@example.com"], name="letter.txt")
    assert verdict.decision.label == "block"
    assert any(f.entity_type == "UK_NHS" for f in verdict.findings)


def test_scans_run_concurrently_and_each_gets_its_own_verdict(pool: ScanPool):
    futures = [pool.submit(Task(LETTER, f"l{i}.txt", (f"x{i}@gov.je",))) for i in range(6)]
    verdicts = [f.result(timeout=60).verdict for f in futures]
    assert [v.source for v in verdicts] == [f"l{i}.txt" for i in range(6)]
    assert all(v.decision.label == "allow" for v in verdicts)


@pytest.fixture(scope="module")
def lone(config: ScannerConfig):
    """One worker whose scans the tests below kill (at the time limit, by SIGKILL): a fresh
    worker after each kill is what they check, so they share this pool instead of starting one each."""
    with ScanPool(config, workers=1, time_limit=30) as p:
        yield p


def test_a_scan_past_the_time_limit_is_killed_and_is_never_allow(lone: ScanPool):
    big = b"Lily Smith lives at 12 Rue de Haut, St Helier.\n\n" * 200_000  # seconds of work
    lone.time_limit = 0.5
    verdict = lone.scan(big, ["colleague@gov.je"], name="big.txt")  # "timeout" only from the kill
    assert [e.cause for e in verdict.errors] == ["timeout"]
    assert verdict.decision.label == "warn"  # internal recipient: unscannable-internal
    external = lone.scan(big, ["someone@example.com"], name="big.txt")
    assert external.decision.label == "block"
    lone.time_limit = 30
    assert lone.scan(LETTER, ["someone@example.com"], name="after.txt").findings  # a fresh worker took over


def test_a_worker_that_dies_mid_scan_becomes_an_error_and_is_replaced(lone: ScanPool):
    big = b"Lily Smith lives at 12 Rue de Haut, St Helier.\n\n" * 200_000
    lone.time_limit = 60
    (pid,) = lone.worker_pids()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", lone.scan(big, ["a@example.com"], name="big.txt")))
    t.start()
    time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
    t.join(60)
    verdict = result["v"]
    assert [e.cause for e in verdict.errors] == ["crashed"]
    assert verdict.decision.label == "block"
    assert lone.scan(LETTER, ["a@example.com"], name="after.txt").decision.label == "block"
    assert lone.worker_pids() and lone.worker_pids() != [pid]


def test_reload_switches_policy_without_dropping_scans(config: ScannerConfig, tmp_path: Path):
    strict = tmp_path / "strict.yaml"
    strict.write_text("organisation: {internal_domains: [example.org]}\n")
    with ScanPool(config, workers=1, time_limit=30) as p:
        assert p.scan(LETTER, ["x@gov.je"], name="a.txt").decision.label == "allow"
        p.reload(ScannerConfig(cases=config.cases, policy=str(strict), model=None))
        assert p.scan(LETTER, ["x@gov.je"], name="b.txt").decision.label == "block"  # gov.je is no longer internal


def test_a_reload_that_does_not_load_keeps_the_old_configuration(
    pool: ScanPool, config: ScannerConfig, tmp_path: Path
):
    from disclosureguard.errors import PolicyError

    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation: [not, a, mapping]\n")
    with pytest.raises(PolicyError):  # refused before a worker is touched: the shared pool stays as it was
        pool.reload(ScannerConfig(cases=config.cases, policy=str(broken), model=None))
    assert pool.config == config
    assert pool.scan(LETTER, ["x@gov.je"], name="a.txt").decision.label == "allow"


def test_the_pool_analyses_like_a_scanner_in_process(pool: ScanPool, config: ScannerConfig):
    from disclosureguard.scanner import Scanner

    here = Scanner.from_config(config).analyse(LETTER, ["someone@example.com"], name="letter.txt")
    there = pool.analyse(LETTER, ["someone@example.com"], name="letter.txt")
    assert there.verdict == here.verdict
    assert there.findings == here.findings and there.segments == here.segments
    assert there.data == LETTER and there.name == "letter.txt"


def test_a_source_over_max_bytes_is_an_error_verdict_and_its_analysis_says_so(pool: ScanPool):
    too_big = b"a" * (pool.config.limits.max_bytes + 1)
    verdict = pool.scan(too_big, ["someone@example.com"], name="big.txt")
    analysis = pool.analyse(too_big, ["someone@example.com"], name="big.txt")
    assert [e.cause for e in verdict.errors] == ["limit"] and verdict.decision.label == "block"
    assert analysis.verdict == verdict and analysis.document.problems == verdict.errors and not analysis.findings
