"""Every hostile input, end to end through the scanning pool, under a time and a memory limit.

The pool is what the mail hook and the batch scanner use: each scan runs in a worker
process with its address space capped (RLIMIT_AS) and is killed at the time limit. So a
test here *is* the resource-limit test: an input that hung, blew up memory or crashed the
parser would come back as a timeout or a crashed worker, and each test says which
outcome it expects.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from disclosureguard.judge import ScannerConfig
from disclosureguard.limits import Limits
from disclosureguard.model import Action, Verdict
from disclosureguard.pool import ScanPool
from hostile_corpus import (
    CORPUS,
    NHS,
    Hostile,
    email_non_utf8_headers,
    email_with_nul_bytes,
    html_nesting_bomb,
    pdf_reference_loops,
    pdf_slow_content,
    single_line_text,
    zip_bomb,
)

pytestmark = pytest.mark.xdist_group("hostile")

GB = 1024**3
MEMORY_LIMIT = 3 * GB  # address space per worker
# The axe for a hang, not a measure of speed: a check that stops an input shows as its own
# cause (never "timeout"), so the limit is generous and a loaded machine does not fail a test.
TIME_LIMIT = 120.0
EXTERNAL = "someone@example.com"  # unknown recipient: any error blocks
INTERNAL = "colleague@gov.je"  # internal recipient: an error is at least a warning
# Outcomes that mean a limit did not hold: the input was stopped by force, not by a check.
FORCED = {"timeout", "crashed", "scanner-error", "unavailable"}


def _config(smith_cases: Path, samples: Path, limits: Limits | None = None) -> ScannerConfig:
    return ScannerConfig(
        cases=(str(smith_cases),), policy=str(samples / "policy.yaml"), model=None, limits=limits or Limits()
    )


@pytest.fixture(scope="module")
def pool(smith_cases: Path, samples: Path):
    # One worker: the tests send one input at a time (a pool's concurrency is test_pool's), and a
    # second worker only doubled the start-up and warm-up the module waits for.
    with ScanPool(_config(smith_cases, samples), workers=1, time_limit=TIME_LIMIT, memory_limit=MEMORY_LIMIT) as p:
        yield p


def _timed_scan(pool: ScanPool, data: bytes, name: str) -> tuple[Verdict, float]:
    start = time.monotonic()
    verdict = pool.scan(data, [EXTERNAL, INTERNAL], name=name)
    return verdict, time.monotonic() - start


def _decisions(verdict: Verdict) -> dict[str, Action]:
    return {rv.recipient.address: rv.decision for rv in verdict.recipients}


def _assert_error_verdict(verdict: Verdict) -> None:
    assert verdict.errors, "a hostile input came back without an error"
    assert verdict.decision != Action.ALLOW
    decisions = _decisions(verdict)
    assert decisions[EXTERNAL] == Action.BLOCK  # rule unscannable
    assert decisions[INTERNAL] >= Action.WARN  # rule unscannable-internal
    assert not any("Traceback" in e.message for e in verdict.errors)


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda h: h.id)
def test_hostile_input_gets_an_error_verdict_within_the_time_limit_never_allow(pool: ScanPool, hostile: Hostile):
    verdict, _ = _timed_scan(pool, hostile.build(), hostile.name)
    _assert_error_verdict(verdict)
    causes = {e.cause for e in verdict.errors}
    assert causes & hostile.causes, f"expected one of {sorted(hostile.causes)}, got {verdict.errors}"
    # A check stopped it, not the pool's axe: it cost less than the time limit.
    assert causes.isdisjoint(FORCED), verdict.errors
    if hostile.limit:
        assert any(f"(limit: {hostile.limit})" in e.message for e in verdict.errors), verdict.errors


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (email_non_utf8_headers, "message.eml"),
        (email_with_nul_bytes, "message.eml"),
        (html_nesting_bomb, "message.eml"),
        (pdf_reference_loops, "report.pdf"),
    ],
    ids=["non-utf8-headers", "nul-bytes-in-email", "html-nesting-bomb", "pdf-reference-loops"],
)
def test_broken_but_readable_input_is_read_and_its_identifier_still_blocks(pool: ScanPool, build, name: str):
    # These can be read in full, so there is no error to report: what matters is that the
    # identifier in them is still found (and the scan ends well inside the time limit).
    verdict, _ = _timed_scan(pool, build(), name)
    assert {e.cause for e in verdict.errors}.isdisjoint(FORCED), verdict.errors
    assert any(f.entity_type == "UK_NHS" for f in verdict.findings)
    assert _decisions(verdict)[EXTERNAL] == Action.BLOCK


def test_fifty_megabyte_line_is_stopped_by_the_text_limit_not_the_clock(pool: ScanPool):
    verdict, _ = _timed_scan(pool, single_line_text(50), "notes.txt")
    assert [e.cause for e in verdict.errors] == ["limit"]
    assert "max_text_chars" in verdict.errors[0].message


def test_runaway_pdf_parsing_is_bounded_before_the_time_limit(pool: ScanPool):
    # 400,000 text operators on one page: the extractor's per-page bound refuses the page before
    # reading it, so the worker never has to be killed (the 50 MB line below tests the kill).
    verdict, _ = _timed_scan(pool, pdf_slow_content(), "report.pdf")
    assert [e.cause for e in verdict.errors] == ["limit"]
    _assert_error_verdict(verdict)


# -- the time limit against inputs that are genuinely slow ------------------------------------


SLOW_TIME_LIMIT = 3.0


@pytest.fixture(scope="module")
def slow_pool(smith_cases: Path, samples: Path):
    # No time_limit argument: the pool takes Limits.time_limit from the configuration, and
    # the text limit is raised so that only the clock can stop a 50 MB line.
    limits = Limits(time_limit=SLOW_TIME_LIMIT, max_text_chars=10**9)
    with ScanPool(_config(smith_cases, samples, limits), workers=1, memory_limit=MEMORY_LIMIT) as p:
        yield p


def _assert_killed_at_the_time_limit(verdict: Verdict, elapsed: float) -> None:
    assert [e.cause for e in verdict.errors] == ["timeout"]
    assert f"time limit of {SLOW_TIME_LIMIT:g} s" in verdict.errors[0].message
    # Killed at the limit, not after finishing; the margin is for handing 50 MB to the worker
    # and starting its successor on a busy machine.
    assert SLOW_TIME_LIMIT <= elapsed < SLOW_TIME_LIMIT + 60
    _assert_error_verdict(verdict)


def test_time_limit_setting_is_what_the_pool_enforces(slow_pool: ScanPool):
    assert slow_pool.time_limit == SLOW_TIME_LIMIT


def test_fifty_megabyte_line_without_a_text_limit_is_killed_at_the_time_limit(slow_pool: ScanPool):
    verdict, elapsed = _timed_scan(slow_pool, single_line_text(50), "notes.txt")
    _assert_killed_at_the_time_limit(verdict, elapsed)


def test_a_fresh_worker_scans_normally_after_the_killed_ones(slow_pool: ScanPool, monkeypatch: pytest.MonkeyPatch):
    # The worker that replaced the killed one is what is tested, not how fast a loaded machine
    # runs its first scan: the clock is the generous one here.
    monkeypatch.setattr(slow_pool, "time_limit", TIME_LIMIT)
    verdict = slow_pool.scan(f"NHS number {NHS}".encode(), [EXTERNAL], name="after.txt")
    assert verdict.errors == ()
    assert [f.entity_type for f in verdict.findings] == ["UK_NHS"]


# -- the memory limit --------------------------------------------------------------------------


def test_bomb_with_every_size_limit_off_runs_into_the_memory_limit_not_the_machine(smith_cases: Path, samples: Path):
    # With the ratio and size checks disabled, only RLIMIT_AS stands between a 4 GB bomb
    # and the machine: the worker's allocation fails at 1 GB, and that is an error, never a pass.
    limits = Limits(max_compression_ratio=1e12, max_decompressed_bytes=10**13)
    with ScanPool(_config(smith_cases, samples, limits), workers=1, time_limit=TIME_LIMIT, memory_limit=GB) as p:
        verdict, _ = _timed_scan(p, zip_bomb(4), "photos.zip")
        assert {e.cause for e in verdict.errors} & {"limit", "crashed"}, verdict.errors
        assert "timeout" not in {e.cause for e in verdict.errors}
        _assert_error_verdict(verdict)
        assert p.scan(f"NHS number {NHS}".encode(), [EXTERNAL], name="after.txt").findings
