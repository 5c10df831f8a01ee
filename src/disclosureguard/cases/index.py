"""CaseIndex: the CaseContext over a set of cases (from case files or a built index file)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace

from ..model import Finding, Recipient, RecipientClass, Segment
from .addressee import LetterParties, read_addressee, read_parties
from .compiled import IndexData, Member, compile_cases, email_key
from .matching import Attribution, Matcher
from .resolvers import Match
from .schema import CaseFile

# Types a recogniser gives to text that the index knows better: a known date of birth
# tagged as a plain date, a full name the small spaCy model tagged as an organisation.
_GENERIC_TYPES = frozenset({"DATE_TIME", "DATE", "ORGANIZATION", "ORG", "NRP", "LOCATION", "GPE"})


class CaseIndex:
    """Every known value of every person in every case, as keyed hashes (compiled.py)."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self.matcher = Matcher(data)
        self._groups: dict[int, list[int]] = {}
        for i, m in enumerate(data.members):
            self._groups.setdefault(m.group if m.group >= 0 else i, []).append(i)

    def _same_human(self, index: int) -> list[Member]:
        member = self.data.members[index]
        group = self._groups.get(member.group if member.group >= 0 else index, [index])
        return [member] + [self.data.members[i] for i in group if i != index]

    @classmethod
    def from_cases(cls, cases: list[CaseFile], key: bytes | None = None) -> CaseIndex:
        """An in-memory index. Without a key, a random one: nothing outlives the process."""
        return cls(compile_cases(cases, key or secrets.token_bytes(32)))

    def __len__(self) -> int:
        return len(self.data.cases)

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(self.data.cases)

    # -- attribution -----------------------------------------------------------------------

    def attribution(self, segments: Sequence[Segment]) -> Attribution:
        """Every known value in the segments, resolved to whose it is: the matcher's one run
        over a document, passed on to ``attribute``, ``addressee`` and ``letter_parties``."""
        return self.matcher.attribution(segments)

    def attribution_within(self, whole: Attribution, segments: Sequence[Segment],
                           part: Sequence[Segment]) -> Attribution:
        """The attribution of ``part`` (an attached document's segments, within ``segments``),
        from ``whole``'s sightings where it can be; the matcher's own run over ``part`` if not."""
        return self.matcher.attribution_within(whole, segments, part) or self.attribution(part)

    def _attribution_of(self, segments: Sequence[Segment], given: Attribution | None) -> Attribution:
        if given is None:
            return self.attribution(segments)
        if not given.made_from(segments):
            raise ValueError("an attribution made from other segments")
        return given

    def attribute(
        self, segments: Sequence[Segment], findings: Sequence[Finding], attribution: Attribution | None = None
    ) -> list[Finding]:
        """The findings with case/person/detail set where a known value matches, plus a new
        finding (recogniser "case-index") for each known value no finding covers.

        Returned in document order (segment, start), so callers index the returned list.
        """
        matches = self._attribution_of(segments, attribution).matches
        by_seg: dict[int, list[Match]] = {}
        for m in matches:
            by_seg.setdefault(m.seg, []).append(m)
        covered: set[Match] = set()
        out: list[Finding] = []
        for f in findings:
            best = _best_overlap(f, by_seg.get(f.segment, ()))
            if best is None:
                out.append(f)
                continue
            out.append(self._attributed(f, best))
            if f.start <= best.start and best.end <= f.end:
                covered.add(best)
        for m in matches:
            if m not in covered:
                seg = segments[m.seg]
                new = Finding(
                    entity_type=m.kind.entity_type,
                    text=seg.text[m.start : m.end],
                    score=m.score,
                    segment=m.seg,
                    start=m.start,
                    end=m.end,
                    place=seg.place,
                    hidden=seg.hidden,
                    kind=seg.kind,
                    recogniser="case-index",
                )
                out.append(self._attributed(new, m))
        out.sort(key=lambda f: (f.segment, f.start, -f.end))
        return out

    def _attributed(self, f: Finding, m: Match) -> Finding:
        case = self.data.cases[m.case]
        entity_type = m.kind.entity_type if f.entity_type in _GENERIC_TYPES else f.entity_type
        if m.member is None:
            return replace(f, entity_type=entity_type, case=case, score=max(f.score, m.score))
        member = self.data.members[m.member]
        return replace(
            f,
            entity_type=entity_type,
            score=max(f.score, m.score),
            case=case,
            person=member.id,
            person_name=member.name,
            person_role=member.role,
            detail=m.kind.detail,
        )

    # -- recipients ------------------------------------------------------------------------

    def members_with(self, normal_form: str, kind: str) -> tuple[int, ...]:
        """The members who hold this value (a normal form, normalise.py) as this kind of value."""
        return self.matcher.targets(normal_form, kind)

    def member(self, index: int) -> Member:
        return self.data.members[index]

    def members_by_email(self, address: str) -> list[int]:
        return list(self.members_with(email_key(address), "email-exact"))

    def recipient(self, address: str) -> Recipient | None:
        """``case-person`` if the address is a person's in any case (that wins), else
        ``case-contact`` if it is a case's contact, else None. A person who is also a
        contact elsewhere belongs to both sets of cases."""
        indices = self.members_by_email(address)
        if not indices:
            return None
        found = list({id(m): m for i in indices for m in self._same_human(i)}.values())
        people = [m for m in found if not m.contact]
        cls = RecipientClass.CASE_PERSON if people else RecipientClass.CASE_CONTACT
        first = (people or found)[0]
        return self._recipient(address.strip(), cls, found, first, "given")

    def recipient_for_member(self, index: int, address: str, found_by: str) -> Recipient:
        """The recipient a case member is, with every case the same human is in (members
        linked by a shared email at build time)."""
        same = self._same_human(index)
        member = same[0]
        cls = RecipientClass.CASE_CONTACT if all(m.contact for m in same) else RecipientClass.CASE_PERSON
        first = member if not member.contact else next((m for m in same if not m.contact), member)
        return self._recipient(address, cls, same, first, found_by)

    def _recipient(self, address: str, cls: str, members: list[Member], first: Member, found_by: str) -> Recipient:
        cases: dict[str, None] = {}
        withheld: set[tuple[str, str, str]] = set()
        for m in members:
            cases[self.data.cases[m.case]] = None
            withheld.update(m.withheld)
        return Recipient(
            address=address,
            cls=cls,
            cases=tuple(cases),
            person=first.id,
            person_name=first.name,
            role=first.role,
            found_by=found_by,
            withheld=frozenset(withheld),
        )

    def addressee(self, segments: Sequence[Segment], attribution: Attribution | None = None) -> Recipient | None:
        return read_addressee(self, segments, self._attribution_of(segments, attribution))

    def letter_parties(self, segments: Sequence[Segment], attribution: Attribution | None = None) -> LetterParties:
        """Every addressee a letter names (address block, salutation) with where it was read,
        and the sender (sign-off): for rules that compare them, such as an addressee mismatch."""
        return read_parties(self, segments, self._attribution_of(segments, attribution))


def _best_overlap(f: Finding, matches: Sequence[Match]) -> Match | None:
    """The match covering most of the finding (at least half of it), if any."""
    best: Match | None = None
    best_overlap = 0
    length = max(1, f.end - f.start)
    for m in matches:
        overlap = min(f.end, m.end) - max(f.start, m.start)
        if overlap * 2 >= length and overlap > best_overlap:
            best, best_overlap = m, overlap
    return best
