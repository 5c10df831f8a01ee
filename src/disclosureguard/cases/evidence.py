"""What a document says about who is in it, gathered before any one known value is resolved.

The matcher (matching.py) finds ``Sighting``s: runs of words whose keyed hash is a known value.
``gather`` reads them all once into an ``Evidence`` value: which people are named on sight
(a full name, an address, a phone ...), which cases are (their reference, or a value only
that case's family holds), which people are named in full, and where the lone names,
postcodes and dates of birth stand. The resolvers (resolvers.py) then ask it questions about
one sighting at a time: is this person named near it, anywhere else, is their case?
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .compiled import Kind, Member, Strength

WINDOW = 300  # characters either side that count as "nearby" for corroboration
SMALL = 64  # owners of one value up to which every one is weighed; beyond, only those with evidence

Ref = tuple[Kind, tuple[int, ...]]  # a kind of value and the sorted members (or cases) that hold it
Preference = tuple[bool, bool, int, bool, int]

# The strength of a sighting is that of its strongest kind of value; a value that is both a
# case reference and someone's value is resolved as the person's.
_ORDER = (Strength.STRONG, Strength.CASE, Strength.CORROBORATE, Strength.WEAK)


@dataclass(frozen=True, eq=False)  # each sighting is itself: "any other sighting" means by identity
class Sighting:
    """A run of words of one segment whose keyed hash is a known value, verified as written."""

    seg: int
    t0: int  # first word
    t1: int  # one past the last word
    start: int
    end: int
    gpos: int  # position in the document's text as a whole, for the nearby window
    refs: tuple[Ref, ...]

    @cached_property
    def strength(self) -> Strength:
        held = {k.strength for k, _ in self.refs}
        return next(s for s in _ORDER if s in held)

    @property
    def several_words(self) -> bool:
        return self.t1 - self.t0 >= 2

    def refs_of(self, strength: Strength) -> list[Ref]:
        return [(k, ts) for k, ts in self.refs if k.strength is strength]

    def near(self, other: Sighting) -> bool:
        return other.seg == self.seg or abs(other.gpos - self.gpos) <= WINDOW


class _Around:
    """Sightings by position, to find those near one without reading them all: a letter that
    names a child in every paragraph would otherwise cost the square of its length."""

    def __init__(self, sightings: Iterable[Sighting]) -> None:
        self._by_pos = sorted(sightings, key=lambda s: s.gpos)
        self._pos = [s.gpos for s in self._by_pos]
        self._by_seg: dict[int, list[Sighting]] = defaultdict(list)
        for s in self._by_pos:
            self._by_seg[s.seg].append(s)

    def near(self, s: Sighting) -> list[Sighting]:
        """Every sighting near ``s`` (``s`` itself included if it is here)."""
        lo = bisect_left(self._pos, s.gpos - WINDOW)
        hi = bisect_right(self._pos, s.gpos + WINDOW)
        further = [o for o in self._by_seg.get(s.seg, ()) if abs(o.gpos - s.gpos) > WINDOW]
        return self._by_pos[lo:hi] + further


class People:
    """What attribution knows of each member of the index: their case, whether they are a
    professional or a contact (whose values are in every letter they write), and the members
    of each case (stored case by case)."""

    def __init__(self, members: Sequence[Member], case_count: int) -> None:
        self.case_of = tuple(m.case for m in members)
        self.professional = tuple(m.role == "professional" for m in members)
        self.contact = tuple(m.contact for m in members)
        starts = [0] * (case_count + 1)
        for m in members:
            starts[m.case + 1] += 1
        for c in range(case_count):
            starts[c + 1] += starts[c]
        self._case_starts = starts
        self._first_family: dict[int, int] = {}

    def of_case(self, case: int) -> range:
        return range(self._case_starts[case], self._case_starts[case + 1])

    def family(self, member: int) -> bool:
        return not (self.contact[member] or self.professional[member])

    def first_not_professional(self, ts: tuple[int, ...]) -> int:
        """The first owner who is not a professional (else the first), remembered per stored
        value: a professional's name can be in thousands of cases."""
        key = id(ts)  # the tuples live in the index table for as long as these people
        found = self._first_family.get(key)
        if found is None:
            found = next((t for t in ts if not self.professional[t]), ts[0])
            if len(self._first_family) > 100_000:
                self._first_family.clear()
            self._first_family[key] = found
        return found


@dataclass(frozen=True)
class Evidence:
    """The document's evidence of people and cases, and the questions resolvers ask of it."""

    people: People
    texts: tuple[str, ...]  # the segments' text: a capital letter, "born" before a date
    members: Mapping[int, tuple[Sighting, ...]] = field(default_factory=dict)  # one person on sight
    cases: Mapping[int, tuple[Sighting, ...]] = field(default_factory=dict)  # one case's family on sight
    full_names: Mapping[int, tuple[Sighting, ...]] = field(default_factory=dict)
    soft: tuple[Sighting, ...] = ()  # lone names, postcodes, dates of birth
    # Where each person's surname stands, by (segment, word): for "Lily and Sarah Smith".
    surnames: Mapping[tuple[int, int], Sequence[tuple[int, ...]]] = field(default_factory=dict)

    @cached_property
    def _soft_around(self) -> _Around:
        return _Around(self.soft)

    @cached_property
    def _members_around(self) -> dict[int, _Around]:
        return {}  # filled per member as resolvers ask

    @cached_property
    def _case_tallies(self) -> dict[int, Counter[Sighting]]:
        return {}  # filled per case as resolvers ask

    @cached_property
    def _relevant(self) -> list[int]:
        in_cases = {m for c in self.cases for m in self.people.of_case(c)}
        return sorted(set(self.members) | in_cases)

    def candidates(self, ts: tuple[int, ...]) -> list[int]:
        """The owners of a value worth weighing: all of a short list, else those with evidence."""
        if len(ts) <= SMALL:
            return list(ts)
        return [m for m in self._relevant if holds(ts, m)]

    def near(self, m: int, s: Sighting) -> bool:
        """Another sighting names ``m`` on sight in the same segment or within the window."""
        around = self._members_around.get(m)
        if around is None:
            around = self._members_around[m] = _Around(self.members.get(m, ()))
        return any(e is not s for e in around.near(s))

    def anywhere(self, m: int, s: Sighting) -> bool:
        """Another sighting names ``m`` on sight anywhere in the document."""
        return any(e is not s for e in self.members.get(m, ()))

    def named_in_full(self, m: int, s: Sighting) -> bool:
        """Another sighting is ``m``'s full name."""
        return any(e is not s for e in self.full_names.get(m, ()))

    def case_count(self, m: int, s: Sighting) -> int:
        """How many other sightings are evidence of ``m``'s case."""
        case = self.people.case_of[m]
        tally = self._case_tallies.get(case)
        if tally is None:
            tally = self._case_tallies[case] = Counter(self.cases.get(case, ()))
        return len(self.cases.get(case, ())) - tally[s]

    def nearby_soft(self, s: Sighting, kind: Kind) -> list[Ref]:
        """The lone names, postcodes and dates of birth of another detail standing near ``s``:
        they corroborate each other when they are the same person's ("Sarah has moved to JE3 8XY")."""
        return [
            (k, ts)
            for other in self._soft_around.near(s)
            if other is not s
            for k, ts in other.refs
            if k.strength.needs_corroboration and k.detail != kind.detail
        ]

    def co_owners(self, s: Sighting, kind: Kind, ts: tuple[int, ...]) -> set[int]:
        """The owners of ``ts`` who also own a soft value near ``s``."""
        out: set[int] = set()
        for _, ts2 in self.nearby_soft(s, kind):
            small, big = (ts, ts2) if len(ts) <= len(ts2) else (ts2, ts)
            out.update(m for m in small if holds(big, m))
        return out

    def co_occurs(self, m: int, s: Sighting, kind: Kind) -> bool:
        return any(holds(ts2, m) for _, ts2 in self.nearby_soft(s, kind))

    def preference(self, m: int, s: Sighting) -> Preference:
        """Among several people a value may be: named nearby, then anywhere, then the one whose
        case has the most evidence, then family over a professional, then the first."""
        return (self.near(m, s), self.anywhere(m, s), self.case_count(m, s), not self.people.professional[m], -m)

    def member_count(self, m: int) -> int:
        return len(self.members.get(m, ()))

    def case_evidence(self, case: int) -> int:
        return len(self.cases.get(case, ()))


def gather(
    sightings: Sequence[Sighting],
    surnames: Mapping[tuple[int, int], Sequence[tuple[int, ...]]],
    texts: Sequence[str],
    people: People,
) -> Evidence:
    """Every sighting read once for what it says on sight of a person or a case."""
    members: dict[int, list[Sighting]] = defaultdict(list)
    cases: dict[int, list[Sighting]] = defaultdict(list)
    full_names: dict[int, list[Sighting]] = defaultdict(list)
    for s in sightings:
        for _, ts in s.refs_of(Strength.CASE):
            for c in ts:
                cases[c].append(s)
        strong = [ts for _, ts in s.refs_of(Strength.STRONG)]
        if not strong or sum(len(ts) for ts in strong) > SMALL:
            continue  # a value shared by many people is no evidence of any one of them
        owners = {t for ts in strong for t in ts}
        # A professional's or contact's values (a signature, a switchboard) are in every
        # letter they write: evidence of them, never of which family a letter is about.
        family = all(people.family(m) for m in owners)
        if len(owners) == 1:
            (m,) = owners
            members[m].append(s)
            if family:
                cases[people.case_of[m]].append(s)
            if any(k.name == "name" for k, _ in s.refs):
                full_names[m].append(s)
        elif family and len({people.case_of[m] for m in owners}) == 1:
            cases[people.case_of[next(iter(owners))]].append(s)
    return Evidence(
        people=people,
        texts=tuple(texts),
        members=_frozen(members),
        cases=_frozen(cases),
        full_names=_frozen(full_names),
        soft=tuple(s for s in sightings if s.strength.needs_corroboration),
        surnames=dict(surnames),
    )


def holds(sorted_targets: tuple[int, ...], target: int) -> bool:
    i = bisect_left(sorted_targets, target)
    return i < len(sorted_targets) and sorted_targets[i] == target


def _frozen(found: Mapping[int, Iterable[Sighting]]) -> dict[int, tuple[Sighting, ...]]:
    return {k: tuple(v) for k, v in found.items()}
