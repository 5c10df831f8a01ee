"""The Detector: segments in, findings out. Built once; the model loads once.

Each segment is normalised (look-alikes, invisible characters), the pattern stage scans
it in one pass, spaCy's NER runs over all segments batched, false persons are dropped,
overlaps are resolved, and every finding is mapped back to the text as it stands.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..model import Finding, Place, Segment
from ..spacy_model import DEFAULT_MODEL
from . import name_lists, name_shapes, ner, persons
from .catalogue import Definition, load_catalogue
from .normalise import Normalised, normalise
from .patterns import Candidate, PatternStage

_NO_MODEL_NOTE = "no language model configured: names are found only from the case index (degraded)"

# Presidio logs at INFO on every analyze call; nothing of ours goes through it per call,
# but a caller mixing both must not get a log line per letter.
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)


class Detector:
    """Finds the identifiers of the catalogue (recognizers/) and names (spaCy NER).

    >>> d = Detector(model=None)
    >>> [f.entity_type for f in d.detect([Segment("NHS no 943 476 5919", "body")])]
    ['UK_NHS']
    """

    def __init__(self, model: str | None = DEFAULT_MODEL, catalogues: Sequence[str | Path] = ()) -> None:
        self.definitions: tuple[Definition, ...] = tuple(load_catalogue(catalogues))
        self.model = model
        self._stage = PatternStage(list(self.definitions))
        self._ner_defs = {label: d for d in self.definitions if d.kind == "ner" for label in d.ner_labels}
        notes: list[str] = []
        if model is None:
            self._nlp = None
            notes.append(_NO_MODEL_NOTE)
        else:
            self._nlp = ner.load_pipeline(model)
        self.degraded: bool = self._nlp is None
        self.notes: tuple[str, ...] = tuple(notes)

    @property
    def entity_types(self) -> tuple[str, ...]:
        return tuple(d.entity_type for d in self.definitions)

    def detect(self, segments: Sequence[Segment]) -> list[Finding]:
        norms = [normalise(s.text, ocr=s.ocr) for s in segments]
        name_span = _NameSpans()
        per_segment: list[list[Candidate]] = [
            _plausible_persons(n.text, found, name_span)
            for n, found in zip(norms, self._stage.scan_all([n.text for n in norms]), strict=True)
        ]
        if self._nlp is not None and self._ner_defs:
            relabel = name_shapes.RELABEL if "PERSON" in self._ner_defs else frozenset()
            for ent in ner.entities(self._nlp, [n.text for n in norms], frozenset(self._ner_defs) | relabel):
                text = norms[ent.text_index].text
                span: tuple[int, int] | None = (ent.start, ent.end)
                if ent.label not in self._ner_defs:
                    # "Noah du Feu" as a WORK_OF_ART, "Chloé de Gruchy" as an ORG: a name by its shape.
                    span = name_span(text, ent.start, ent.end)
                    span = name_shapes.relabel(text, *span) if span else None
                    if span is None:
                        continue
                    definition = self._ner_defs["PERSON"]
                    score = definition.score * 0.95
                else:
                    definition = self._ner_defs[ent.label]
                    score = definition.score
                if definition.entity_type == "PERSON" and span is not None:
                    span = name_span(text, *name_shapes.widen(text, *span))
                if span is None:
                    continue
                per_segment[ent.text_index].append(
                    Candidate(definition.entity_type, span[0], span[1], score, f"spacy-{ent.label}")
                )
        if self._nlp is not None and "PERSON" in self._ner_defs:
            # Names in lists, in capitals or alone that the model missed, on the frequency lists' word.
            for norm, cands in zip(norms, per_segment, strict=True):
                for start, end, score in name_lists.list_names(norm.text):
                    span = name_span(norm.text, start, end)
                    if span is not None:
                        cands.append(Candidate("PERSON", span[0], span[1], score, "name-list"))
        self._propagate_names(norms, per_segment)
        findings: list[Finding] = []
        for index, (segment, norm, candidates) in enumerate(zip(segments, norms, per_segment, strict=True)):
            if not candidates:
                continue
            place = segment.place  # one (immutable) place for all of a segment's findings
            for cand in resolve_overlaps(candidates):
                findings.append(_finding(index, segment, norm, cand, place))
        return findings

    def _propagate_names(self, norms: list[Normalised], per_segment: list[list[Candidate]]) -> None:
        """A name found once stands for its person everywhere in the same call: after "Grace
        Nwosu" is found, a later "Grace" alone (which the model often misses) is PERSON too."""
        found = [
            n.text[c.start : c.end]
            for n, cands in zip(norms, per_segment, strict=True)
            for c in cands
            if c.entity_type == "PERSON"
        ]
        mentions = persons.mentions(persons.name_words(found))
        if mentions is None:
            return
        definition = next(d for d in self.definitions if d.entity_type == "PERSON")
        for norm, cands in zip(norms, per_segment, strict=True):
            for start, end in mentions.spans(norm.text):
                cands.append(Candidate("PERSON", start, end, definition.score * 0.9, "name-mention"))


class _NameSpans:
    """``persons.name_span`` for one call of ``detect``, each value worked out once: its answer
    depends on the span's own text only (a third of the spans proposed on a letter are a name
    seen before: the model's, the lists' and the patterns' proposals of the same words). Kept
    for the call only, so no document's names outlive its scan."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int] | None] = {}

    def __call__(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if value not in self._seen:
            self._seen[value] = persons.name_span(value, 0, len(value))
        found = self._seen[value]
        return None if found is None else (start + found[0], start + found[1])


def _plausible_persons(text: str, candidates: list[Candidate], name_span: _NameSpans) -> list[Candidate]:
    """Pattern-found names ("Chair: Team Manager", "Parent: Yes") go through the same filter as
    the model's."""
    out = []
    for c in candidates:
        if c.entity_type == "PERSON":
            span = name_span(text, c.start, c.end)
            if span is None:
                continue
            c = replace(c, start=span[0], end=span[1])
        out.append(c)
    return out


def _finding(index: int, segment: Segment, norm: Normalised, cand: Candidate, place: Place) -> Finding:
    start, end = norm.to_original(cand.start, cand.end)
    return Finding(
        entity_type=cand.entity_type,
        text=segment.text[start:end],
        score=cand.score,
        segment=index,
        start=start,
        end=end,
        place=place,
        hidden=segment.hidden,
        kind=segment.kind,
        recogniser=cand.recogniser,
        detail=cand.detail,
    )


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """One finding per thing found.

    - Overlapping candidates of one type: the widest wins (then the higher score), so an
      NER name and a "Mrs Smith" pattern over the same words give one PERSON.
    - A candidate inside a longer one of another type is part of it, not a thing of its own
      ("M99AB" inside a driving licence is no postcode), except a postcode inside an address.
      A PERSON on the same words as anything else ("MARAC", a house name) is dropped too.
    - Candidates of different types on exactly the same span: when some have context and
      others not (a ten-digit number after "ULN" that also passes the NHS check), only the
      ones with context stay.
    """
    by_type: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_type.setdefault(c.entity_type, []).append(c)
    kept: list[Candidate] = []
    for group in by_type.values():
        for cluster in _overlapping_clusters(group):
            cluster.sort(key=lambda c: (-(c.end - c.start), -c.score, c.start))
            chosen: list[Candidate] = []
            for c in cluster:
                if all(c.end <= k.start or c.start >= k.end for k in chosen):
                    chosen.append(c)
            kept.extend(chosen)
    kept = _drop_contained(kept)
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for c in kept:
        by_span.setdefault((c.start, c.end), []).append(c)
    out: list[Candidate] = []
    for same in by_span.values():
        if len(same) > 1 and any(c.context for c in same):
            same = [c for c in same if c.context]
        out.extend(same)
    out.sort(key=lambda c: (c.start, c.end, c.entity_type))
    return out


def _overlapping_clusters(group: list[Candidate]) -> list[list[Candidate]]:
    """Runs of candidates linked by overlap, so the choice inside each stays small."""
    clusters: list[list[Candidate]] = []
    end = -1
    for c in sorted(group, key=lambda c: c.start):
        if clusters and c.start < end:
            clusters[-1].append(c)
            end = max(end, c.end)
        else:
            clusters.append([c])
            end = c.end
    return clusters


_REACH = 400  # no candidate is longer than this, so containers start at most this far before


def _drop_contained(candidates: list[Candidate]) -> list[Candidate]:
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    starts = [c.start for c in ordered]
    out = []
    for c in ordered:
        lo = bisect_left(starts, c.start - _REACH)
        hi = bisect_right(starts, c.start)
        if not any(_contains(k, c) for k in ordered[lo:hi]):
            out.append(c)
    return out


def _contains(k: Candidate, c: Candidate) -> bool:
    if k is c or k.entity_type == c.entity_type or not (k.start <= c.start and c.end <= k.end):
        return False
    if k.entity_type == "ADDRESS" and c.entity_type == "UK_POSTCODE":
        return False
    return (k.end - k.start) > (c.end - c.start) or c.entity_type == "PERSON"
