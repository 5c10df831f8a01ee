"""Strings are documents: Scanner.scan_text gives the verdict of the same text in a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.errors import InputError

SAMPLES = ["letters/letter-to-father.txt", "letters/letter-to-mother.txt", "rules/fathers-nino-to-mother.txt",
           "rules/unknown-person-to-mother.txt", "letters/leaflet-domestic-abuse.txt"]


@pytest.fixture(scope="module")
def quick(samples: Path) -> Scanner:
    return Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None)


def _summary(verdict) -> tuple:
    return (verdict.decision, [(r.recipient.address, r.decision) for r in verdict.recipients],
            [(x.rule, x.action, x.message) for x in verdict.reasons],
            [(f.entity_type, f.text) for f in verdict.findings])


@pytest.mark.parametrize("sample", SAMPLES)
def test_scan_text_gives_the_verdict_of_the_file(quick: Scanner, samples: Path, sample: str):
    path = samples / sample
    assert _summary(quick.scan_text(path.read_text(encoding="utf-8"))) == _summary(quick.scan(path))


def test_scan_text_with_recipients_and_a_name(quick: Scanner):
    verdict = quick.scan_text("Sarah's new number is 07700 900456.", to=["mjones@example.net"], name="draft")
    assert verdict.source == "draft" and verdict.decision.label == "block"
    assert {r.rule for r in verdict.reasons} == {"withheld-detail"}


def test_text_given_to_scan_is_refused_without_being_repeated(quick: Scanner):
    text = "Dear Mr Jones, Sarah now lives at 8 Seaview Terrace, St Brelade, JE3 8XY"
    with pytest.raises(InputError) as e:
        quick.scan(text)
    assert "Seaview" not in str(e.value) and "Sarah" not in str(e.value) and "scan_text" in str(e.value)


def test_scan_text_takes_only_a_string(quick: Scanner):
    with pytest.raises(InputError, match="takes a str"):
        quick.scan_text(b"bytes")  # type: ignore[arg-type]
