"""Vanilla Presidio, for measuring ourselves against: its default AnalyzerEngine over the same
spaCy model, plus its UK NINO and postcode recognisers (off by default), fully offline."""

from __future__ import annotations

import logging

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import UkNinoRecognizer, UkPostcodeRecognizer

from .presidio_export import OfflineEmailRecognizer


def vanilla_engine(model: str) -> AnalyzerEngine:
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    engine.registry.add_recognizer(UkNinoRecognizer())
    engine.registry.add_recognizer(UkPostcodeRecognizer())
    # Presidio's own email recogniser would try to download the public suffix list.
    engine.registry.remove_recognizer("EmailRecognizer")
    engine.registry.add_recognizer(OfflineEmailRecognizer())
    return engine
