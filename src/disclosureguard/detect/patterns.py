"""The pattern stage: every pattern and phrase of the catalogue in one linear scan.

All patterns of all definitions are alternatives of one compiled regex, each in its own
named group, scanned once with ``overlapped=True`` so that a match starting inside another
(a postcode inside an address) is still seen. Where two patterns could match at the same
place (an NHS number and a ULN are both ten digits), the losing alternatives are tried
anchored at that position: cheap, because it happens only where something matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from .catalogue import Definition
from .validators import VALIDATORS, compact

# Lexicon phrases match in any case and with any run of spaces between their words.
_PHRASE_SPACE = r"[ \t]*\r?\n?[ \t]*|[ \t\-]+"
_TIMEOUT = 30.0  # seconds for one segment's scan: a pathological pattern must not hang a scan


@dataclass(frozen=True)
class Candidate:
    entity_type: str
    start: int  # offsets in the normalised text
    end: int
    score: float
    recogniser: str
    detail: str | None = None  # lexicon category
    context: bool = False  # a context word lifted the score


@dataclass(frozen=True)
class _Alternative:
    definition: Definition
    name: str
    compiled: regex.Pattern[str]


def _word_alternation(words: tuple[str, ...]) -> regex.Pattern[str] | None:
    if not words:
        return None
    parts = sorted({_phrase_regex(w) for w in words}, key=len, reverse=True)
    return regex.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


def _phrase_regex(phrase: str) -> str:
    words = phrase.lower().split()
    return f"(?:{_PHRASE_SPACE})".join(regex.escape(w) for w in words)


class PatternStage:
    """Compiled once from the catalogue; ``scan`` finds candidates in one normalised text."""

    def __init__(self, definitions: list[Definition], extra_validators: dict[str, Callable[[str], bool]]):
        self._alternatives: list[_Alternative] = []
        pieces: list[str] = []
        self._validators: dict[str, Callable[[str], bool] | None] = {}
        self._context: dict[str, regex.Pattern[str] | None] = {}
        self._negative: dict[str, regex.Pattern[str] | None] = {}
        self._ignore: dict[str, frozenset[str]] = {}
        self._phrase_category: dict[str, dict[str, str]] = {}
        for d in definitions:
            if d.validator:
                self._validators[d.entity_type] = VALIDATORS.get(d.validator) or extra_validators[d.validator]
            else:
                self._validators[d.entity_type] = None
            self._context[d.entity_type] = _word_alternation(d.context)
            self._negative[d.entity_type] = _word_alternation(d.negative_context)
            self._ignore[d.entity_type] = frozenset(compact(v) for v in d.ignore)
            sources: list[tuple[str, str]] = [
                (p.name, f"(?i:{p.regex})" if p.ignore_case else p.regex) for p in d.patterns
            ]
            if d.kind == "lexicon":
                lookup: dict[str, str] = {}
                for category, phrases in d.phrases.items():
                    for phrase in phrases:
                        lookup[_phrase_key(phrase)] = category
                self._phrase_category[d.entity_type] = lookup
                alternation = "|".join(sorted((_phrase_regex(p) for p in lookup), key=len, reverse=True))
                sources.append((f"{d.entity_type.lower()}-lexicon", rf"(?i:\b(?:{alternation})\b)"))
            for name, source in sources:
                group = f"p{len(self._alternatives)}"
                self._alternatives.append(_Alternative(d, name, regex.compile(source)))
                pieces.append(f"(?P<{group}>{source})")
        self._combined = regex.compile("|".join(pieces)) if pieces else None

    def scan(self, text: str) -> list[Candidate]:
        if self._combined is None:
            return []
        lower: str | None = None
        seen: set[tuple[int, int, int]] = set()
        out: list[Candidate] = []
        for m in self._combined.finditer(text, overlapped=True, timeout=_TIMEOUT):
            winner = int(m.lastgroup[1:])  # type: ignore[index]
            start = m.start()
            hits = [(winner, m.end())]
            for i, alt in enumerate(self._alternatives):
                if i != winner:
                    other = alt.compiled.match(text, start)
                    if other is not None and other.end() > start:
                        hits.append((i, other.end()))
            for i, end in hits:
                if (i, start, end) in seen:
                    continue
                seen.add((i, start, end))
                if lower is None:
                    lower = text.lower()
                cand = self._judge(self._alternatives[i], text, lower, start, end)
                if cand is not None:
                    out.append(cand)
        return out

    def _judge(self, alt: _Alternative, text: str, lower: str, start: int, end: int) -> Candidate | None:
        d = alt.definition
        value = text[start:end]
        validator = self._validators[d.entity_type]
        if validator is not None and not validator(value):
            return None
        if self._ignore[d.entity_type] and compact(value) in self._ignore[d.entity_type]:
            return None
        negative = self._negative[d.entity_type]
        if negative is not None and _near(negative, lower, start, end, d.context_before, d.context_after, False):
            return None
        context = self._context[d.entity_type]
        has_context = context is not None and _near(
            context, lower, start, end, d.context_before, d.context_after, d.context_gap_no_digits
        )
        if d.context_required and not has_context:
            return None
        detail = None
        if d.kind == "lexicon":
            detail = self._phrase_category[d.entity_type].get(_phrase_key(value))
        score = d.context_score if has_context else d.score
        return Candidate(d.entity_type, start, end, score, alt.name, detail, has_context)


def _phrase_key(phrase: str) -> str:
    return " ".join(regex.split(r"[\s\-]+", phrase.lower().strip()))


def _near(
    words: regex.Pattern[str], lower: str, start: int, end: int, before: int, after: int, no_digit_gap: bool
) -> bool:
    """A word of the alternation within ``before`` characters before or ``after`` after."""
    window_start = max(0, start - before)
    last = None
    for last in words.finditer(lower, window_start, start):  # noqa: B007 - only the nearest counts
        pass
    if last is not None:
        if not no_digit_gap or not regex.search(r"\d", lower[last.end() : start]):
            return True
    if after:
        nxt = words.search(lower, end, min(len(lower), end + after))
        if nxt is not None and (not no_digit_gap or not regex.search(r"\d", lower[end : nxt.start()])):
            return True
    return False
