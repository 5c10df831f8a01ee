"""Each atheris fuzz target runs for a moment on its seeds without finding a failure.

This is the short run for CI; fuzz/README.md gives the long one. The targets run without
coverage instrumentation here (FUZZ_NO_INSTRUMENT=1): instrumenting pypdf and the email
package costs seconds of start-up per target, which a two-second run cannot repay.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
TARGETS = ("text", "email", "docx", "pdf", "zip", "html", "rtf", "msg", "xlsx", "odf", "pptx", "patterns")
SEEDS = {"patterns": "text"}  # the pattern stage's target grows from the plain-text letters


@pytest.fixture(scope="module")
def seeds() -> Path:
    # The seeds are built in code; build them if a checkout lacks them.
    if not all((FUZZ / "seeds" / SEEDS.get(t, t)).is_dir() for t in TARGETS):
        subprocess.run([sys.executable, str(FUZZ / "make_seeds.py")], check=True, capture_output=True)
    return FUZZ / "seeds"


def test_every_fuzz_target_runs_on_its_seeds_and_mutations_without_a_failure(seeds: Path, tmp_path: Path):
    env = {**os.environ, "FUZZ_NO_INSTRUMENT": "1"}
    runs = {}
    for target in TARGETS:
        corpus = tmp_path / target
        corpus.mkdir()
        command = [
            sys.executable,
            str(FUZZ / f"fuzz_{target}.py"),
            "-runs=3000",
            "-max_total_time=3",
            "-rss_limit_mb=2048",
            "-timeout=30",
            f"-artifact_prefix={tmp_path}/{target}-",
            str(corpus),
            str(seeds / SEEDS.get(target, target)),
        ]
        runs[target] = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failed = {}
    for target, process in runs.items():
        output, _ = process.communicate(timeout=120)
        text = output.decode(errors="replace")
        if process.returncode != 0 or "Done" not in text:
            failed[target] = text[-3000:]
    assert not failed, "\n\n".join(f"== fuzz_{t}.py ==\n{out}" for t, out in failed.items())
    assert not list(tmp_path.glob("*-crash-*"))
