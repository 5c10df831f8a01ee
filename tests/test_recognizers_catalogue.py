"""Every example of every definition in recognizers/ runs as a test.

A definition's ``match`` examples must be found (the exact text, at the stated minimum score);
its ``no_match`` examples must not (no finding of that type, or not that value).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from disclosureguard.detect import Detector
from disclosureguard.detect.catalogue import Definition, definition_files, load_catalogue, shipped_folder
from disclosureguard.model import Segment

CATALOGUE = load_catalogue()
MATCH = [(d.entity_type, i) for d in CATALOGUE for i in range(len(d.match_examples))]
NO_MATCH = [(d.entity_type, i) for d in CATALOGUE for i in range(len(d.no_match_examples))]
BY_TYPE = {d.entity_type: d for d in CATALOGUE}


@pytest.fixture(scope="module")
def detectors() -> dict[str, Detector]:
    return {"pattern": Detector(model=None), "ner": Detector()}


def _detector_for(definition: Definition, detectors: dict[str, Detector]) -> Detector:
    return detectors["ner" if definition.kind == "ner" else "pattern"]


@pytest.mark.parametrize(("entity_type", "index"), MATCH, ids=[f"{t}-{i}" for t, i in MATCH])
def test_definition_example_is_found(entity_type: str, index: int, detectors: dict[str, Detector]) -> None:
    definition = BY_TYPE[entity_type]
    example = definition.match_examples[index]
    findings = _detector_for(definition, detectors).detect([Segment(example.text, "body")])
    got = [(f.text, f.score) for f in findings if f.entity_type == entity_type]
    assert any(text == example.value for text, _ in got), f"{example.text!r}: expected {example.value!r}, got {got}"
    if example.min_score is not None:
        assert max(s for t, s in got if t == example.value) >= example.min_score


@pytest.mark.parametrize(("entity_type", "index"), NO_MATCH, ids=[f"{t}-{i}" for t, i in NO_MATCH])
def test_definition_near_miss_is_not_found(entity_type: str, index: int, detectors: dict[str, Detector]) -> None:
    definition = BY_TYPE[entity_type]
    example = definition.no_match_examples[index]
    findings = _detector_for(definition, detectors).detect([Segment(example.text, "body")])
    wrong = [f.text for f in findings if f.entity_type == entity_type and example.value in (None, f.text)]
    assert not wrong, f"{example.text!r} ({example.why}): found {wrong}"


def test_every_entity_type_of_the_spec_has_exactly_one_definition_file() -> None:
    spec_types = {
        "PERSON", "DATE_OF_BIRTH", "UK_NHS", "UK_NINO", "UK_UPN", "UK_ULN", "UK_FAMILY_COURT_CASE",
        "UK_POSTCODE", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "CASE_REFERENCE", "UK_PASSPORT",
        "UK_DRIVING_LICENCE", "UK_BANK_DETAILS", "SPECIAL_CATEGORY",
    }  # fmt: skip
    files = definition_files(shipped_folder())
    types = [yaml.safe_load(Path(f).read_text(encoding="utf-8"))["entity_type"] for f in files]
    assert sorted(types) == sorted(spec_types)


def test_every_definition_has_examples_both_ways() -> None:
    for d in CATALOGUE:
        assert len(d.match_examples) >= 2, d.entity_type
        assert len(d.no_match_examples) >= 2, d.entity_type


def test_the_sample_organisation_folder_hides_its_own_switchboard_and_postcode() -> None:
    own = Path(__file__).parent.parent / "samples" / "accuracy" / "organisation"
    detector = Detector(model=None, catalogues=[own])
    letterhead = "Children's Services, PO Box 55, St Helier, JE4 8PR. Switchboard 01534 445500. Call 01534 445500."
    found = [(f.entity_type, f.text) for f in detector.detect([Segment(letterhead, "header")])]
    assert ("UK_POSTCODE", "JE4 8PR") not in found
    assert not [f for f in found if f[0] == "PHONE_NUMBER"]
    assert ("UK_POSTCODE", "JE2 3XY") in [
        (f.entity_type, f.text) for f in detector.detect([Segment("St Helier JE2 3XY", "body")])
    ]
