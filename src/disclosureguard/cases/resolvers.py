"""One resolver per strength of value: whose is this sighting, given the document's evidence?

- ``resolve_strong`` (a full name, an address, a phone, an email, an identifier): attributed on
  sight; when several people share the value, the one with the most corroborating evidence in
  the document wins, then a family member over a professional.
- ``resolve_case`` (the case reference): the case itself, no person.
- ``resolve_corroborated`` (a date of birth, a postcode alone): shared by many people at scale
  (birthdays, neighbours), so it needs the same person or case elsewhere in the document, a
  lone name of the same person nearby ("Sarah has moved to JE3 8XY"), or, for a date, a
  "DOB"/"born" just before it with only one person born that day.
- ``resolve_weak`` (a lone first name or surname, written with a capital): needs the person
  named nearby (another value, or their surname just after a first name: "Lily and Sarah
  Smith", or a lone postcode or date of birth of theirs), else their case or their full name
  elsewhere in the document (a letter names "Lily Smith" once and then says "Lily").

Each takes one sighting and the evidence (evidence.py) and returns a Match or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .compiled import Kind, Strength
from .evidence import Evidence, Preference, Sighting
from .match_keys import is_particle, tokens

_DOB_CONTEXT = re.compile(r"\b(born|dob|d\.\s?o\.\s?b|date of birth|birth\s?date)\W*$", re.IGNORECASE)
_EXACT_DETAILS = frozenset({"identifiers", "phone", "email"})  # one value, one owner: no near-miss
_NEARBY = 0.85  # a lone name with its person named near it
_IN_DOCUMENT = 0.7  # a lone name with its person's case, or full name, elsewhere in the document


@dataclass(frozen=True)
class Match:
    """One known value found in a segment, resolved to whose it is."""

    seg: int
    start: int
    end: int
    kind: Kind
    case: int
    member: int | None  # None for the case reference itself
    score: float


Resolver = Callable[[Sighting, Evidence], "Match | None"]


def resolve_case(s: Sighting, ev: Evidence) -> Match | None:
    """The case reference is its case, on sight."""
    kind, cases = s.refs_of(Strength.CASE)[0]
    return Match(s.seg, s.start, s.end, kind, cases[0], None, 1.0)


def resolve_strong(s: Sighting, ev: Evidence) -> Match | None:
    """A value that names one person on sight; among several owners, the best evidenced."""
    strong = s.refs_of(Strength.STRONG)
    pool = [(k, m) for k, ts in strong for m in ev.candidates(ts)]
    if pool:
        kind, m = max(pool, key=lambda km: ev.preference(km[1], s))
    else:
        # Many owners and none in the document's cases: any but a professional, so a
        # family's value is never waved through as a professional's.
        professional = ev.people.professional
        kind, m = min(
            ((k, ev.people.first_not_professional(ts)) for k, ts in strong),
            key=lambda km: (professional[km[1]], km[1]),
        )
    score = 1.0 if s.several_words or kind.detail in _EXACT_DETAILS else 0.95
    return Match(s.seg, s.start, s.end, kind, ev.people.case_of[m], m, score)


def resolve_corroborated(s: Sighting, ev: Evidence) -> Match | None:
    """A date of birth or a postcode: only with its person or case corroborated."""
    soft = s.refs_of(Strength.CORROBORATE)
    one_born = len(soft) == 1 and len(soft[0][1]) == 1 and soft[0][0].name == "born"
    said_born = _DOB_CONTEXT.search(ev.texts[s.seg][max(0, s.start - 30) : s.start]) is not None
    ok = [
        (k, m)
        for k, ts in soft
        for m in set(ev.candidates(ts)) | ev.co_owners(s, k, ts)
        if ev.anywhere(m, s) or ev.case_count(m, s) or ev.co_occurs(m, s, k) or (said_born and one_born)
    ]
    if not ok:
        return None
    kind, m = max(ok, key=lambda km: ev.preference(km[1], s))
    return Match(s.seg, s.start, s.end, kind, ev.people.case_of[m], m, 1.0 if s.several_words else 0.95)


def resolve_weak(s: Sighting, ev: Evidence) -> Match | None:
    """A lone first name or surname: its best corroborated owner, scored by how near the
    corroboration is."""
    if not _capitalised(ev.texts[s.seg], s.start, s.end):
        return None  # a lone name is written with a capital: "mark the date" is no Mark
    best: tuple[Preference, int, Kind, float] | None = None
    for kind, ts in s.refs:
        adjacent = _followed_by_surname(ev.surnames, s, ts) if kind.name == "name-first" else set()
        for m in set(ev.candidates(ts)) | adjacent | ev.co_owners(s, kind, ts):
            score = _corroboration(ev, s, kind, m, adjacent)
            if score is None:
                continue
            cand = (ev.preference(m, s), m, kind, score)
            if best is None or cand[0] > best[0]:
                best = cand
    if best is None:
        return None
    _, m, kind, score = best
    return Match(s.seg, s.start, s.end, kind, ev.people.case_of[m], m, score)


RESOLVERS: Mapping[Strength, Resolver] = {
    Strength.STRONG: resolve_strong,
    Strength.CASE: resolve_case,
    Strength.CORROBORATE: resolve_corroborated,
    Strength.WEAK: resolve_weak,
}


def resolve(s: Sighting, ev: Evidence) -> Match | None:
    return RESOLVERS[s.strength](s, ev)


def _corroboration(ev: Evidence, s: Sighting, kind: Kind, m: int, adjacent: set[int]) -> float | None:
    """How well a lone name of ``m`` is corroborated, or None if it is not."""
    if m in adjacent or ev.near(m, s) or ev.co_occurs(m, s, kind):
        return _NEARBY
    if ev.case_count(m, s) or ev.named_in_full(m, s):
        return _IN_DOCUMENT
    return None


def _capitalised(text: str, start: int, end: int) -> bool:
    """The name's first word after any particles has a capital: "de Sousa", "Sousa", "du Feu"."""
    for word, w0, _ in tokens(text[start:end]):
        if not is_particle(word):
            return text[start + w0].isupper()
    return text[start].isupper()


def _followed_by_surname(
    surnames: Mapping[tuple[int, int], Sequence[tuple[int, ...]]], s: Sighting, ts: tuple[int, ...]
) -> set[int]:
    """The people among ``ts`` whose surname stands within four words after the sighting."""
    out: set[int] = set()
    for t in range(s.t1, s.t1 + 4):
        for owners in surnames.get((s.seg, t), ()):
            out |= set(ts).intersection(owners) if len(ts) <= len(owners) else set(owners).intersection(ts)
    return out
