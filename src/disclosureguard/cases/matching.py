"""Exact-data matching of a document's text against the keyed-hash index.

Each segment is cut into normal-form tokens; every run of tokens up to MAX_KEY_CHARS long is
hashed with the index key and looked up in a dict. The work grows with the document, not
with the index. Hits are then resolved to one person each:

- strong values (full names, addresses, postcodes, phones, emails, identifiers, the case
  reference) are attributed on sight; when several people share the value, the one with the
  most corroborating evidence in the document wins, then a family member over a professional;
- a lone first name or surname needs corroboration: another value of the same person in the
  same segment or within WINDOW characters, the person's surname just after a first name
  ("Lily and Sarah Smith"), or the person's full name elsewhere in the document (a letter
  names "Lily Smith" once and then says "Lily");
- a date equal to a date of birth needs the same person or case in the document, or a
  "DOB"/"born" word before it with only one person born that day (birthdays collide).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Segment
from .compiled import MAX_KEY_CHARS, IndexData, Kind, born_key, email_key
from .normalise import parse_uk_date, tokens

WINDOW = 300  # characters either side that count as "nearby" for corroboration
_RANK = {"strong": 3, "case": 3, "born": 2, "weak": 1}
_DOB_CONTEXT = re.compile(r"\b(born|dob|d\.\s?o\.\s?b|date of birth|birth\s?date)\W*$", re.IGNORECASE)
_EMAIL_CHAR = re.compile(r"[A-Za-z0-9._%+\-]")


@dataclass
class Hit:
    seg: int
    t0: int  # first token
    t1: int  # one past the last token
    start: int
    end: int
    gpos: int  # position in the document's text as a whole, for the nearby window
    refs: list[tuple[Kind, int]]
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

    # -- lookups ---------------------------------------------------------------------------

    def lookup(self, normal_form: str) -> tuple[tuple[int, int], ...]:
        return self.data.table.get(self.data.mac(normal_form), ())

    def _has(self, normal_form: str, kind: str, target: int) -> bool:
        ki = self._kind_index.get(kind)
        return ki is not None and (ki, target) in self.lookup(normal_form)

    # -- scanning --------------------------------------------------------------------------

    def hits(self, segments: Sequence[Segment]) -> tuple[list[Hit], dict[tuple[int, int], set[int]]]:
        """Every run of tokens whose keyed hash is in the index, verified, and where each
        person's surname stands (for "Lily and Sarah Smith")."""
        key = self.data.key
        table = self.data.table
        kinds = self.data.kinds
        sha256 = hashlib.sha256
        digest = hmac.digest
        n = 16
        out: list[Hit] = []
        surnames: dict[tuple[int, int], set[int]] = defaultdict(set)
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
                    raw = table.get(digest(key, acc.encode("utf-8"), sha256)[:n])
                    if not raw:
                        continue
                    start, end = toks[i][1], toks[j][2]
                    refs = self._verified(text, start, end, [(kinds[k], t) for k, t in raw])
                    if not refs:
                        continue
                    for kind, t in refs:
                        if kind.name == "name-last":
                            surnames[(si, i)].add(t)
                        elif kind.name == "phone" and start > 0 and text[start - 1] == "+":
                            start -= 1  # "+44 7700 900456": the plus is part of the number
                    hit = Hit(si, i, j + 1, start, end, gbase + start, refs)
                    hit.rank = max(_RANK[k.strength] for k, _ in refs)
                    out.append(hit)
            gbase += len(text) + 2
        return _drop_contained(out), surnames

    def _verified(self, text: str, start: int, end: int, refs: list[tuple[Kind, int]]) -> list[tuple[Kind, int]]:
        """Drop refs whose normal-form match is not the value as written: an email must be
        the whole address, spelled exactly; a date must be that date read day-first."""
        out = []
        dates = None
        span = text[start:end]
        for kind, target in refs:
            if kind.strength == "exact":
                continue
            if kind.name == "email":
                if not _whole_email(text, start, end) or not self._has(email_key(span), "email-exact", target):
                    continue
            elif kind.name == "born":
                if dates is None:
                    dates = parse_uk_date(span)
                if not any(self._has(born_key(d.isoformat()), "born-check", target) for d in dates):
                    continue
            out.append((kind, target))
        return out

    # -- resolving -------------------------------------------------------------------------

    def analyse(self, segments: Sequence[Segment]) -> Analysis:
        hits, surnames = self.hits(segments)
        members = self.data.members
        member_ev: dict[int, list[Hit]] = defaultdict(list)
        case_ev: dict[int, list[Hit]] = defaultdict(list)
        full_name_ev: dict[int, list[Hit]] = defaultdict(list)
        for h in hits:
            strong = {t for k, t in h.refs if k.strength == "strong"}
            for k, t in h.refs:
                if k.strength == "case":
                    case_ev[t].append(h)
            if len(strong) == 1:
                (m,) = strong
                member_ev[m].append(h)
                case_ev[members[m].case].append(h)
                if any(k.name == "name" for k, _ in h.refs):
                    full_name_ev[m].append(h)
            elif strong and len({members[m].case for m in strong}) == 1:
                case_ev[members[next(iter(strong))].case].append(h)

        def near(m: int, h: Hit) -> bool:
            return any(e is not h and (e.seg == h.seg or abs(e.gpos - h.gpos) <= WINDOW) for e in member_ev.get(m, ()))

        def anywhere(m: int, h: Hit) -> bool:
            return any(e is not h for e in member_ev.get(m, ()))

        def case_count(c: int, h: Hit) -> int:
            return sum(1 for e in case_ev.get(c, ()) if e is not h)

        def preference(m: int, h: Hit) -> tuple[bool, bool, int, bool, int]:
            return (near(m, h), anywhere(m, h), case_count(members[m].case, h), members[m].role != "professional", -m)

        matches: list[Match] = []
        for h in hits:
            multi = h.t1 - h.t0 >= 2
            if h.rank == 3:
                case_refs = [t for k, t in h.refs if k.strength == "case"]
                strong = [(k, t) for k, t in h.refs if k.strength == "strong"]
                if case_refs and not strong:
                    kind = next(k for k, _ in h.refs if k.strength == "case")
                    matches.append(Match(h.seg, h.start, h.end, kind, case_refs[0], None, 1.0))
                    continue
                m = max({t for _, t in strong}, key=lambda t: preference(t, h))
                kind = next(k for k, t in strong if t == m)
                exact_kind = kind.detail in ("identifiers", "phone", "email")
                matches.append(Match(h.seg, h.start, h.end, kind, members[m].case, m, 1.0 if multi or exact_kind else 0.95))
            elif h.rank == 2:
                born = sorted({t for k, t in h.refs if k.strength == "born"})
                context = _DOB_CONTEXT.search(segments[h.seg].text[max(0, h.start - 30) : h.start]) is not None
                ok = [
                    m
                    for m in born
                    if near(m, h) or anywhere(m, h) or case_count(members[m].case, h) or (context and len(born) == 1)
                ]
                if ok:
                    m = max(ok, key=lambda t: preference(t, h))
                    kind = next(k for k, t in h.refs if t == m and k.strength == "born")
                    matches.append(Match(h.seg, h.start, h.end, kind, members[m].case, m, 1.0 if multi else 0.95))
            else:
                best: tuple[tuple[bool, bool, int, bool, int], int, Kind, float] | None = None
                for kind, m in h.refs:
                    if near(m, h) or (kind.name == "name-first" and _surname_follows(surnames, h, m)):
                        score = 0.85
                    elif any(e is not h for e in full_name_ev.get(m, ())):
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


def _surname_follows(surnames: dict[tuple[int, int], set[int]], h: Hit, m: int) -> bool:
    return any(m in surnames.get((h.seg, t), ()) for t in range(h.t1, h.t1 + 4))


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
