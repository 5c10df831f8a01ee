"""Who a letter is addressed to, read from the letter: its address block and salutation.

The address block is a name line ("Mr Mark Jones") followed within a few lines by address
lines (a line with a digit or a postcode), near the top of the letter. The salutation is a
"Dear ..." line. Either is matched against the case index by keyed hash; when several people
share the name, the one whose case the letter is about (evidence found in its text) wins.
A name that can't be matched to one person gives an ``unknown`` recipient with the name as
written; no name at all gives None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Recipient, RecipientClass, Segment
from .matching import Analysis
from .normalise import POSTCODE, words

if TYPE_CHECKING:
    from .index import CaseIndex

_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Master)"
_NAME_WORD = r"[A-Z][\w'’.\-]*"
_SALUTATION = re.compile(rf"^\s*Dear\s+(?:({_TITLE})\.?\s+)?({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s*(?:[,:;!].*)?$")
_NAME_LINE = re.compile(rf"^\s*(?:({_TITLE})\.?\s+)?({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s*,?\s*$")
_GENERIC = frozenset(
    {
        "sir",
        "madam",
        "sirs",
        "parent",
        "parents",
        "carer",
        "carers",
        "colleague",
        "colleagues",
        "all",
        "team",
        "friend",
        "friends",
        "family",
        "guardian",
        "resident",
        "occupier",
        "applicant",
        "client",
        "customer",
    }
)
_NOT_READ = frozenset({"metadata", "comment", "email-header", "file-name", "tracked-deletion", "hidden-text"})
_TOP_LINES = 25  # the address block stands at the top of a letter
_SALUTATION_LINES = 60


def _lines(segments: Sequence[Segment]) -> list[str]:
    out: list[str] = []
    for seg in segments:
        if seg.hidden or seg.kind in _NOT_READ:
            continue
        out.extend(line for line in seg.text.splitlines() if line.strip())
        if len(out) >= _SALUTATION_LINES:
            break
    return out[:_SALUTATION_LINES]


def _looks_like_address_line(line: str) -> bool:
    return any(c.isdigit() for c in line) or POSTCODE.search(line) is not None


def read_addressee(index: CaseIndex, segments: Sequence[Segment]) -> Recipient | None:
    lines = _lines(segments)
    analysis = index.matcher.analyse(segments)

    block: list[tuple[str | None, str]] = []
    for k, line in enumerate(lines[:_TOP_LINES]):
        m = _NAME_LINE.match(line)
        if m and not any(c.isdigit() for c in line) and any(_looks_like_address_line(x) for x in lines[k + 1 : k + 5]):
            block.append((m.group(1), m.group(2)))
    salutation: tuple[str | None, str] | None = None
    for line in lines:
        m = _SALUTATION.match(line)
        if m:
            if not set(words(m.group(2))) <= _GENERIC:
                salutation = (m.group(1), m.group(2))
            break

    for title, name in block:
        found = _resolve(index, analysis, title, name)
        if found is not None:
            return _as_recipient(index, found, name, "letter address block")
    if salutation is not None:
        found = _resolve(index, analysis, *salutation)
        if found is not None:
            return _as_recipient(index, found, salutation[1], "letter salutation")
    # Unmatched: a block name line only counts with a title (else it may be a letterhead).
    titled = [(t, n) for t, n in block if t]
    if titled:
        return _unknown(titled[0], "letter address block")
    if salutation is not None:
        return _unknown(salutation, "letter salutation")
    return None


def _unknown(name: tuple[str | None, str], found_by: str) -> Recipient:
    title, written = name
    return Recipient(address=f"{title} {written}" if title else written, cls=RecipientClass.UNKNOWN, found_by=found_by)


def _as_recipient(index: CaseIndex, member: int, written: str, found_by: str) -> Recipient:
    m = index.data.members[member]
    return index.recipient_for_member(member, m.name or written, found_by)


def _resolve(index: CaseIndex, analysis: Analysis, title: str | None, name: str) -> int | None:
    """The one member this name (as written in a letter) is, or None if none or ambiguous."""
    ws = words(name)
    if not ws or set(ws) <= _GENERIC:
        return None
    if len(ws) >= 2:
        candidates = _members(index, "".join(ws), "name")
        if not candidates and title:
            # "Mr M Jones": the initial can't be checked against a hash; the surname can.
            candidates = _members(index, ws[-1], "name-last")
    else:
        candidates = _members(index, ws[0], "name-last" if title else "name-first")
    if title and len(candidates) > 1:
        # A titled name ("Ms Smith", "Mr Jones") addresses an adult, not the case's child.
        candidates = [m for m in candidates if index.data.members[m].role != "child"] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None

    def evidence(m: int) -> tuple[int, int]:
        member = index.data.members[m]
        return (len(analysis.member_evidence.get(m, ())), len(analysis.case_evidence.get(member.case, ())))

    ranked = sorted(candidates, key=evidence, reverse=True)
    if evidence(ranked[0]) > evidence(ranked[1]):
        return ranked[0]
    return None


def _members(index: CaseIndex, normal_form: str, kind_name: str) -> list[int]:
    return list(index.matcher.targets(normal_form, kind_name))
