"""Shared fixtures: the sample folder, the Smith case of shared/spec/case-file.md, scanners."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smith_case import SMITH_CASE

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session", autouse=True)
def one_loaded_language_model() -> Iterator[None]:
    """Every Scanner and Detector a test builds in this process with the same spaCy model shares
    one loaded pipeline (loading it takes seconds; a pipeline is only read once loaded). Each is
    still built through the real loader once, so a missing or broken model fails as in use."""
    from disclosureguard.detect import ner

    load = ner.load_pipeline
    loaded: dict[str, Any] = {}

    def shared(name: str) -> Any:
        if name not in loaded:
            loaded[name] = load(name)
        return loaded[name]

    ner.load_pipeline = shared  # type: ignore[assignment]
    try:
        yield
    finally:
        ner.load_pipeline = load  # type: ignore[assignment]


@pytest.fixture(scope="session", autouse=True)
def conversions_shared_by_the_runs_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """LibreOffice's conversions of test files, kept for the whole run: under xdist in the
    temporary folder the workers share (the parent of each worker's own), so a file one worker
    converted is not converted again by the other (tests/conversion_cache.py)."""
    import conversion_cache

    base = tmp_path_factory.getbasetemp()
    conversion_cache.folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "conversions"
    try:
        yield
    finally:
        conversion_cache.folder = None


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def smith_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cases")
    (folder / "smith.yaml").write_text(SMITH_CASE)
    return folder


@pytest.fixture(scope="session")
def scanner(smith_cases: Path):
    """One Scanner with the language model for the whole session (loading it takes seconds)."""
    from disclosureguard import Scanner

    return Scanner(cases=str(smith_cases), policy=str(SAMPLES / "policy.yaml"))


@pytest.fixture(scope="session")
def patterns_scanner(smith_cases: Path):
    """A Scanner without the language model: fast, for tests where names from NER are not the point."""
    from disclosureguard import Scanner

    return Scanner(cases=str(smith_cases), policy=str(SAMPLES / "policy.yaml"), model=None)
