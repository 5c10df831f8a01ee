"""Our UK recognisers as plain Presidio recognisers, for anyone with their own AnalyzerEngine.

>>> from presidio_analyzer import AnalyzerEngine
>>> from disclosureguard.detect import presidio_recognizers
>>> engine = AnalyzerEngine()
>>> for r in presidio_recognizers():
...     engine.registry.add_recognizer(r)

Each catalogue definition (except PERSON, which Presidio's own spaCy recogniser covers)
becomes one ``CatalogueRecognizer``: the same patterns, validator, context rules and
look-alike normalisation as the Detector, so a Presidio user gets the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from .catalogue import Definition, load_catalogue
from .normalise import normalise
from .patterns import PatternStage
from .validators import email_domain


class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
    """Presidio's email recogniser, validating domains without any network access (its own
    calls ``tldextract.extract``, which downloads the public suffix list at first use)."""

    def validate_result(self, pattern_text: str) -> bool:
        return email_domain(pattern_text)


class CatalogueRecognizer(LocalRecognizer):
    """A Presidio recogniser running one definition of the disclosureguard catalogue."""

    def __init__(self, definition: Definition, supported_language: str = "en") -> None:
        self.definition = definition
        self._stage = PatternStage([definition])
        super().__init__(
            supported_entities=[definition.entity_type],
            supported_language=supported_language,
            name=f"disclosureguard-{definition.entity_type.lower()}",
            context=[],  # context is applied by the definition's own rules, not a second time
        )

    def load(self) -> None:
        """Compiled in the constructor; nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.definition.entity_type not in entities:
            return []
        norm = normalise(text)
        name = f"disclosureguard-{self.definition.entity_type.lower()}"
        results = []
        for cand in self._stage.scan(norm.text):
            start, end = norm.to_original(cand.start, cand.end)
            explanation = AnalysisExplanation(
                recognizer=name,
                original_score=cand.score,
                pattern_name=cand.recogniser,
                textual_explanation="context word nearby" if cand.context else "pattern and validator",
            )
            results.append(
                RecognizerResult(
                    entity_type=cand.entity_type,
                    start=start,
                    end=end,
                    score=cand.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                    },
                )
            )
        return results


def presidio_recognizers(catalogues: Sequence[str | Path] = (), language: str = "en") -> list[LocalRecognizer]:
    """One Presidio recogniser per catalogue definition that has patterns or phrases."""
    return [CatalogueRecognizer(d, supported_language=language) for d in load_catalogue(catalogues) if d.kind != "ner"]
