"""Plain text and email bodies: each occurrence of a value goes through a presidio-anonymizer
operator ("[REDACTED: TYPE]" by default; per entity type: replace, mask or hash)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from ..errors import DisclosureGuardError
from ..extract.text import decode_text
from .values import Occurrence, ValueMatcher

OPERATOR_NAMES = ("replace", "mask", "hash")
OperatorSpec = str | tuple[str, Mapping[str, Any]]


class Operators:
    """Which presidio operator each entity type gets. Hash always uses presidio's random
    salt, so the same value hashes differently each time and cannot be looked up."""

    def __init__(self, spec: Mapping[str, OperatorSpec] | None = None) -> None:
        self._engine = AnonymizerEngine()
        self._spec: dict[str, tuple[str, dict[str, Any]]] = {}
        for entity_type, value in (spec or {}).items():
            name, params = (value, {}) if isinstance(value, str) else (value[0], dict(value[1]))
            if name not in OPERATOR_NAMES:
                raise DisclosureGuardError(
                    f"operator for {entity_type}: expected one of {', '.join(OPERATOR_NAMES)}; got {name!r}"
                )
            if name == "hash" and "salt" in params:
                raise DisclosureGuardError(
                    f"operator for {entity_type}: a fixed hash salt would let values be looked up"
                )
            self._spec[entity_type.upper()] = (name, params)

    def describe(self, entity_type: str) -> str:
        return self._spec.get(entity_type, ("replace", {}))[0]

    def config(self, entity_type: str) -> OperatorConfig:
        name, params = self._spec.get(entity_type, ("replace", {}))
        if name == "replace":
            return OperatorConfig("replace", {"new_value": params.get("new_value", f"[REDACTED: {entity_type}]")})
        if name == "mask":
            return OperatorConfig(
                "mask",
                {"masking_char": params.get("masking_char", "*"), "chars_to_mask": 10**6, "from_end": False},
            )
        return OperatorConfig("hash", {"hash_type": params.get("hash_type", "sha256")})

    def apply(self, text: str, matches: list[Occurrence]) -> str:
        """``text`` with each match put through its entity type's operator."""
        if not matches:
            return text
        results = [RecognizerResult(m.target.entity_type, m.start, m.end, 1.0) for m in _without_overlaps(matches)]
        operators = {t: self.config(t) for t in {r.entity_type for r in results}}
        return self._engine.anonymize(text=text, analyzer_results=results, operators=operators).text

    def replacement(self, entity_type: str, original: str) -> str:
        """What one occurrence becomes (for formats that replace text in place, like DOCX)."""
        result = RecognizerResult(entity_type, 0, len(original), 1.0)
        return self._engine.anonymize(
            text=original, analyzer_results=[result], operators={entity_type: self.config(entity_type)}
        ).text


def _without_overlaps(matches: list[Occurrence]) -> list[Occurrence]:
    """Overlapping matches merged into one span, named after the longest of them."""
    merged: list[Occurrence] = []
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if merged and m.start < merged[-1].end:
            last = merged[-1]
            if m.end > last.end:
                longest = m.target if (m.end - m.start) > (last.end - last.start) else last.target
                merged[-1] = Occurrence(last.start, m.end, longest)
            continue
        merged.append(m)
    return merged


def redact_text(text: str, matcher: ValueMatcher, operators: Operators) -> tuple[str, int]:
    """The text with every value put through its operator, and how many places changed."""
    matches = matcher.find(text)
    return operators.apply(text, matches), len(matches)


def redact_text_file(data: bytes, matcher: ValueMatcher, operators: Operators) -> tuple[bytes, int]:
    """A text file, decoded as the extractor decodes it, written back as UTF-8."""
    text, count = redact_text(decode_text(data), matcher, operators)
    return text.encode("utf-8"), count
