"""Exact-data matching of a document's text against the keyed-hash index.

Each segment is cut into normal-form tokens; every run of tokens up to MAX_KEY_CHARS long
that starts with a word some value starts with is hashed with the index key and looked up in
a dict. The work grows with the document, not with the index. Hits are then resolved to one
person each:

- strong values (full names, addresses and their first lines, phones, emails, identifiers,
  the case reference) are attributed on sight; when several people share the value, the one
  with the most corroborating evidence in the document wins, then a family member over a
  professional;
- a lone first name or surname (written with a capital) needs corroboration: another value
  of the same person in the same segment or within WINDOW characters, the person's surname
  just after a first name ("Lily and Sarah Smith"), a lone postcode or date of birth of the
  same person nearby, or the person's case in the document (its reference, the person's full
  name or another value of the case: a letter names "Lily Smith" once and then says "Lily");
- a date equal to a date of birth, or a postcode alone, is shared by many people at scale
  (birthdays, neighbours): it needs the same person or case in the document, or a lone name
  of the same person nearby ("Sarah has moved to JE3 8XY"), or (for a date) a "DOB"/"born"
  just before it with only one person born that day.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Segment
from .compiled import MAX_KEY_CHARS, IndexData, Kind, Refs, born_key, email_key
from .normalise import is_particle, parse_uk_date, tokens

WINDOW = 300  # characters either side that count as "nearby" for corroboration
_RANK = {"strong": 3, "case": 3, "corroborate": 2, "weak": 1}
_DOB_CONTEXT = re.compile(r"\b(born|dob|d\.\s?o\.\s?b|date of birth|birth\s?date)\W*$", re.IGNORECASE)
_EMAIL_CHAR = re.compile(r"[A-Za-z0-9._%+\-]")
_SMALL = 64  # owners of one value up to which every one is weighed; beyond, only those with evidence

Ref = tuple[Kind, tuple[int, ...]]  # a kind of value and the sorted targets that hold it


@dataclass
class Hit:
    seg: int
    t0: int  # first token
    t1: int  # one past the last token
    start: int
    end: int
    gpos: int  # position in the document's text as a whole, for the nearby window
    refs: list[Ref]
    rank: int = 0


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


@dataclass
class Analysis:
    matches: list[Match]
    member_evidence: dict[int, list[Hit]] = field(default_factory=dict)
    case_evidence: dict[int, list[Hit]] = field(default_factory=dict)


class Matcher:
    def __init__(self, data: IndexData) -> None:
        self.data = data
        self._kind_index = {k.name: i for i, k in enumerate(data.kinds)}
        # Members are stored case by case: case c's members are range(starts[c], starts[c + 1]).
        starts = [0] * (len(data.cases) + 1)
        for m in data.members:
            starts[m.case + 1] += 1
        for c in range(len(data.cases)):
            starts[c + 1] += starts[c]
        self._case_starts = starts
        self._professional = [m.role == "professional" for m in data.members]
        self._first_family: dict[int, int] = {}

    def _first_not_professional(self, ts: tuple[int, ...]) -> int:
        """The first owner who is not a professional (else the first), remembered per stored
        value: a professional's name can be in thousands of cases."""
        key = id(ts)  # the tuples live in the index table for as long as this matcher
        found = self._first_family.get(key)
        if found is None:
            found = next((t for t in ts if not self._professional[t]), ts[0])
            if len(self._first_family) > 100_000:
                self._first_family.clear()
            self._first_family[key] = found
        return found

    # -- lookups ---------------------------------------------------------------------------

    def lookup(self, normal_form: str) -> Refs:
        return self.data.table.get(self.data.mac(normal_form), ())

    def targets(self, normal_form: str, kind: str) -> tuple[int, ...]:
        ki = self._kind_index.get(kind)
        return next((ts for k, ts in self.lookup(normal_form) if k == ki), ())

    def _has(self, normal_form: str, kind: str, target: int) -> bool:
        return _contains(self.targets(normal_form, kind), target)

    # -- scanning --------------------------------------------------------------------------

    def hits(self, segments: Sequence[Segment]) -> tuple[list[Hit], dict[tuple[int, int], list[tuple[int, ...]]]]:
        """Every run of tokens whose keyed hash is in the index, verified, and where each
        person's surname stands (for "Lily and Sarah Smith").

        A run is only extended past its first word if some known value starts with that word
        (or the word holds a digit): most words of a letter start nothing, and skipping them
        keeps the number of hashes near one per word.
        """
        table = self.data.table
        kinds = self.data.kinds
        mac = self.data.mac
        out: list[Hit] = []
        surnames: dict[tuple[int, int], list[tuple[int, ...]]] = defaultdict(list)
        gbase = 0
        for si, seg in enumerate(segments):
            text = seg.text
            toks = tokens(text)
            count = len(toks)
            for i in range(count):
                acc = ""
                for j in range(i, count):
                    acc += toks[j][0]
                    if len(acc) > MAX_KEY_CHARS:
                        break
                    raw = table.get(mac(acc))
                    if not raw:
                        if j == i and acc.isalpha():
                            break
                        continue
                    start, end = toks[i][1], toks[j][2]
                    refs = self._verified(text, start, end, [(kinds[k], ts) for k, ts in raw])
                    if not refs:
                        continue
                    for kind, ts in refs:
                        if kind.name == "name-last":
                            surnames[(si, i)].append(ts)
                        elif kind.name == "phone" and start > 0 and text[start - 1] == "+":
                            start -= 1  # "+44 7700 900456": the plus is part of the number
                    hit = Hit(si, i, j + 1, start, end, gbase + start, refs)
                    hit.rank = max(_RANK[k.strength] for k, _ in refs)
                    out.append(hit)
            gbase += len(text) + 2
        return _drop_contained(out), surnames

    def _verified(self, text: str, start: int, end: int, refs: list[tuple[Kind, tuple[int, ...]]]) -> list[Ref]:
        """Drop refs whose normal-form match is not the value as written: an email must be
        the whole address, spelled exactly; a date must be that date read day-first."""
        out: list[Ref] = []
        span = text[start:end]
        for kind, ts in refs:
            if kind.strength == "exact":
                continue
            if kind.name == "email":
                if not _whole_email(text, start, end):
                    continue
                exact = set(self.targets(email_key(span), "email-exact"))
                ts = tuple(t for t in ts if t in exact)
            elif kind.name == "born":
                born = {t for d in parse_uk_date(span) for t in self.targets(born_key(d.isoformat()), "born-check")}
                ts = tuple(t for t in ts if t in born)
            if ts:
                out.append((kind, ts))
        return out

    # -- resolving -------------------------------------------------------------------------

    def analyse(self, segments: Sequence[Segment]) -> Analysis:
        hits, surnames = self.hits(segments)
        members = self.data.members
        member_ev: dict[int, list[Hit]] = defaultdict(list)
        case_ev: dict[int, list[Hit]] = defaultdict(list)
        full_name_ev: dict[int, list[Hit]] = defaultdict(list)
        for h in hits:
            for k, ts in h.refs:
                if k.strength == "case":
                    for c in ts:
                        case_ev[c].append(h)
            strong_targets = [ts for k, ts in h.refs if k.strength == "strong"]
            total = sum(len(ts) for ts in strong_targets)
            if not strong_targets or total > _SMALL:
                continue  # a value shared by many people is no evidence of any one of them
            owners = {t for ts in strong_targets for t in ts}
            # A professional's or contact's values (a signature, a switchboard) are in every
            # letter they write: evidence of them, never of which family a letter is about.
            family = all(not (members[m].contact or self._professional[m]) for m in owners)
            if len(owners) == 1:
                (m,) = owners
                member_ev[m].append(h)
                if family:
                    case_ev[members[m].case].append(h)
                if any(k.name == "name" for k, _ in h.refs):
                    full_name_ev[m].append(h)
            elif family and len({members[m].case for m in owners}) == 1:
                case_ev[members[next(iter(owners))].case].append(h)

        starts = self._case_starts
        relevant = sorted(set(member_ev) | {m for c in case_ev for m in range(starts[c], starts[c + 1])})
        professional = self._professional

        def candidates(ts: tuple[int, ...]) -> list[int]:
            """The targets worth weighing: all of a short list, else those with evidence."""
            if len(ts) <= _SMALL:
                return list(ts)
            return [m for m in relevant if _contains(ts, m)]

        def near(m: int, h: Hit) -> bool:
            return any(e is not h and (e.seg == h.seg or abs(e.gpos - h.gpos) <= WINDOW) for e in member_ev.get(m, ()))

        def anywhere(m: int, h: Hit) -> bool:
            return any(e is not h for e in member_ev.get(m, ()))

        def case_count(c: int, h: Hit) -> int:
            return sum(1 for e in case_ev.get(c, ()) if e is not h)

        # Lone names, postcodes and dates of birth corroborate each other when they belong to
        # the same person and stand near each other ("Sarah has moved to JE3 8XY").
        soft_hits = [h for h in hits if h.rank <= 2]

        def nearby_soft(h: Hit, kind: Kind) -> list[tuple[Kind, tuple[int, ...]]]:
            return [
                (k, ts)
                for h2 in soft_hits
                if h2 is not h and (h2.seg == h.seg or abs(h2.gpos - h.gpos) <= WINDOW)
                for k, ts in h2.refs
                if k.strength in ("weak", "corroborate") and k.detail != kind.detail
            ]

        def co_owners(h: Hit, kind: Kind, ts: tuple[int, ...]) -> set[int]:
            out: set[int] = set()
            for _, ts2 in nearby_soft(h, kind):
                small, big = (ts, ts2) if len(ts) <= len(ts2) else (ts2, ts)
                out.update(m for m in small if _contains(big, m))
            return out

        def co_occurs(m: int, h: Hit, kind: Kind) -> bool:
            return any(_contains(ts2, m) for _, ts2 in nearby_soft(h, kind))

        def preference(m: int, h: Hit) -> tuple[bool, bool, int, bool, int]:
            return (near(m, h), anywhere(m, h), case_count(members[m].case, h), not professional[m], -m)

        matches: list[Match] = []
        for h in hits:
            multi = h.t1 - h.t0 >= 2
            if h.rank == 3:
                case_refs = [ts for k, ts in h.refs if k.strength == "case"]
                strong = [(k, ts) for k, ts in h.refs if k.strength == "strong"]
                if case_refs and not strong:
                    kind = next(k for k, _ in h.refs if k.strength == "case")
                    matches.append(Match(h.seg, h.start, h.end, kind, case_refs[0][0], None, 1.0))
                    continue
                pool = [(k, m) for k, ts in strong for m in candidates(ts)]
                if pool:
                    kind, m = max(pool, key=lambda km: preference(km[1], h))
                else:
                    # Many owners and none in the document's cases: any but a professional,
                    # so a family's value is never waved through as a professional's.
                    kind, m = min(
                        ((k, self._first_not_professional(ts)) for k, ts in strong),
                        key=lambda km: (professional[km[1]], km[1]),
                    )
                exact_kind = kind.detail in ("identifiers", "phone", "email")
                score = 1.0 if multi or exact_kind else 0.95
                matches.append(Match(h.seg, h.start, h.end, kind, members[m].case, m, score))
            elif h.rank == 2:
                soft = [(k, ts) for k, ts in h.refs if k.strength == "corroborate"]
                only = len(soft) == 1 and len(soft[0][1]) == 1 and soft[0][0].name == "born"
                context = _DOB_CONTEXT.search(segments[h.seg].text[max(0, h.start - 30) : h.start]) is not None
                ok = [
                    (k, m)
                    for k, ts in soft
                    for m in set(candidates(ts)) | co_owners(h, k, ts)
                    if anywhere(m, h) or case_count(members[m].case, h) or co_occurs(m, h, k) or (context and only)
                ]
                if ok:
                    kind, m = max(ok, key=lambda km: preference(km[1], h))
                    matches.append(Match(h.seg, h.start, h.end, kind, members[m].case, m, 1.0 if multi else 0.95))
            else:
                if not _capitalised(segments[h.seg].text, h.start, h.end):
                    continue  # a lone name is written with a capital: "mark the date" is no Mark
                best: tuple[tuple[bool, bool, int, bool, int], int, Kind, float] | None = None
                for kind, ts in h.refs:
                    adjacent = _followed_by_surname(surnames, h, ts) if kind.name == "name-first" else set()
                    for m in set(candidates(ts)) | adjacent | co_owners(h, kind, ts):
                        if m in adjacent or near(m, h) or co_occurs(m, h, kind):
                            score = 0.85
                        elif case_count(members[m].case, h) or any(e is not h for e in full_name_ev.get(m, ())):
                            score = 0.7
                        else:
                            continue
                        cand = (preference(m, h), m, kind, score)
                        if best is None or cand[0] > best[0]:
                            best = cand
                if best is not None:
                    _, m, kind, score = best
                    matches.append(Match(h.seg, h.start, h.end, kind, members[m].case, m, score))
        return Analysis(matches, dict(member_ev), dict(case_ev))


def _capitalised(text: str, start: int, end: int) -> bool:
    """The name's first word after any particles has a capital: "de Sousa", "Sousa", "du Feu"."""
    for word, w0, _ in tokens(text[start:end]):
        if not is_particle(word):
            return text[start + w0].isupper()
    return text[start].isupper()


def _contains(sorted_targets: tuple[int, ...], target: int) -> bool:
    i = bisect_left(sorted_targets, target)
    return i < len(sorted_targets) and sorted_targets[i] == target


def _followed_by_surname(
    surnames: dict[tuple[int, int], list[tuple[int, ...]]], h: Hit, ts: tuple[int, ...]
) -> set[int]:
    """The people among ``ts`` whose surname stands within four words after the hit."""
    out: set[int] = set()
    for t in range(h.t1, h.t1 + 4):
        for owners in surnames.get((h.seg, t), ()):
            out |= set(ts).intersection(owners) if len(ts) <= len(owners) else set(owners).intersection(ts)
    return out


def _drop_contained(hits: list[Hit]) -> list[Hit]:
    """Keep the longest value: a postcode inside a whole address, or "Sarah" inside
    "Sarah Smith", is part of the longer match, not a second one."""
    by_seg: dict[int, list[Hit]] = defaultdict(list)
    for h in hits:
        by_seg[h.seg].append(h)
    kept: list[Hit] = []
    for seg_hits in by_seg.values():
        seg_hits.sort(key=lambda h: (-(h.end - h.start), h.start))
        chosen: list[Hit] = []
        for h in seg_hits:
            if any(c.start <= h.start and h.end <= c.end and c.rank >= h.rank for c in chosen):
                continue
            chosen.append(h)
        kept.extend(chosen)
    kept.sort(key=lambda h: (h.seg, h.start, -h.end))
    return kept


def _whole_email(text: str, start: int, end: int) -> bool:
    """The span is a whole email address, not a piece of a longer one."""
    if "@" not in text[start:end]:
        return False
    if start > 0 and _EMAIL_CHAR.match(text[start - 1]):
        return False
    after = text[end : end + 2]
    return not (after[:1] in ("@", "-", "_") or (after[:1] == "." and after[1:2].isalnum()) or after[:1].isalnum())
