"""Shared fixtures: the sample folder, the Smith case of shared/spec/case-file.md, scanners."""

from __future__ import annotations

from pathlib import Path

import pytest

from smith_case import SMITH_CASE

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"



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
