"""Shared fixtures: the sample folder, the Smith case of shared/spec/case-file.md, scanners."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

SMITH_CASE = """\
case: CSC-2021-004512
title: Smith family
people:
  - id: lily
    role: child
    names: [Lily Smith, Lily-Mae Smith]
    born: 2014-03-02
    identifiers:
      UK_NHS: 943 476 5919
    addresses: ["12 Rue de Haut, St Helier, JE2 4AB"]
  - id: sarah
    role: parent
    names: [Sarah Smith]
    addresses: ["Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"]
    phones: ["07700 900456"]
    emails: [sarah.smith@example.com]
    withhold:
      - details: [address, phone, email]
        from: [mark]
  - id: mark
    role: parent
    names: [Mark Jones]
    emails: [mjones@example.net]
  - id: janet
    role: referrer
    names: [Janet Cooper]
    withhold:
      - details: [identity]
        from: [family]
contacts:
  - email: dsl@stmarys.sch.je
    name: Anne Le Brun
    organisation: St Mary's School
    role: professional
"""


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
