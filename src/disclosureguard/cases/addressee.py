"""Who a letter is addressed to, read from the letter's structure.

A letter has three parts that name people, in this order: the **address block** (a name line
and the address lines under it, before the salutation: one paragraph with line breaks,
separate paragraphs, a table cell, a text box or the page header), the **salutation**
("Dear Mr de Sousa,") and, after the closing line ("Kind regards,"), the **sign-off**, which
names the sender ("Jo Bisson / Social Worker / Direct line ..."). The sign-off looks like an
address block (a name, then lines with digits), so it is read as what it is: the sender, never
the addressee. A professional of a case is never a ``case-person``.

``read_parties`` returns every addressee found with where it was read (which part, which
segment, as written) and the sender; ``read_addressee`` turns the best addressee into a
``Recipient``. Names are looked up in the case index by keyed hash; when several people share a
name, the one the letter is about wins: the evidence comes from the scan's own attribution of
the same segments (matching.py), passed in, so the matcher runs once per document. A name that
can't be matched to one person gives an ``unknown`` recipient with the name as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol

import regex

from ..model import Recipient, RecipientClass, Segment
from ..name_parts import name_macros
from .compiled import Member
from .evidence import Evidence
from .match_keys import POSTCODE, is_particle, words
from .matching import Attribution


class PartyIndex(Protocol):
    """What the addressee reader needs of the case index (index.py), named here so that
    this module does not import the index that calls it (no import cycle)."""

    def members_with(self, normal_form: str, kind: str) -> tuple[int, ...]:
        """The members who hold this value (a normal form) as this kind of value."""
        ...

    def member(self, index: int) -> Member: ...

    def recipient_for_member(self, index: int, address: str, found_by: str) -> Recipient: ...


_GENERIC = frozenset(
    ("sir", "madam", "sirs", "parent", "parents", "carer", "carers", "colleague", "colleagues", "all", "team",
     "friend", "friends", "family", "guardian", "resident", "occupier", "applicant", "client", "customer", "or",
     "everyone", "everybody", "there", "folks", "both")
)  # fmt: skip
_NOT_READ = frozenset(
    {"metadata", "comment", "email-header", "file-name", "tracked-deletion", "hidden-text", "alt-text", "other-text"}
)
# Parts of a page that stand before the body in reading order, wherever the format stores them.
_FRONT = frozenset({"header", "text-box"})
_NEVER_ADDRESS = frozenset({"footer", "footnote", "endnote"})
_MAX_LINES = 400  # lines read; a salutation and a closing stand well inside them
_TOP_LINES = 25  # without a salutation, the address block stands at the top
_SIGN_OFF_LINES = 4  # the sender's name is among the first lines after the closing


@dataclass(frozen=True)
class Mention:
    """Where a party of the letter was read."""

    part: str  # "address block", "salutation" or "sign-off"
    written: str  # the name as the letter writes it, with its title
    segment: int  # index into the segments
    location: str


@dataclass(frozen=True)
class Party:
    """A person the letter names in one of its parts: matched to a case member, or not."""

    written: str  # as first written (title + name)
    member: int | None  # index into the case index's members; None when not matched to one person
    evidence: tuple[Mention, ...]  # where the letter names them


@dataclass(frozen=True)
class LetterParties:
    addressees: tuple[Party, ...]  # best first: address block before salutation
    sender: Party | None


@dataclass(frozen=True)
class _Line:
    text: str
    segment: int
    kind: str
    location: str


# Emails greet as often as letters say "Dear": "Hi Sarah," is the salutation of an email.
_GREETING = r"(?:Dear|Hi|Hello|Hiya|Hey|Good\s+(?:morning|afternoon|evening))"
_GREETS = regex.compile(rf"^\s*{_GREETING}\s+\S", regex.IGNORECASE)


@cache
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    macros = name_macros()
    title, particle = macros["%TITLE%"], macros["%PARTICLE%"]
    word = r"(?:\p{Lu}['’])?\p{Lu}[\p{L}'’.\-]*"
    name = rf"(?:{particle}\s+)*{word}(?:\s+(?:{particle}\s+)*{word}){{0,4}}"
    titled = rf"(?:{title}\.?\s+(?:and|&)\s+)?(?:(?P<title>{title})\.?\s+)?(?P<name>{name})"
    salutation = regex.compile(rf"^\s*{_GREETING}\s+(?P<body>.+?)\s*(?:[,:;!].*)?$", regex.IGNORECASE)
    name_line = regex.compile(rf"^\s*(?:(?:FAO|F\.A\.O\.|To|Attn|For the attention of)[:.]?\s+)?{titled}\s*,?\s*$")
    one_name = regex.compile(rf"^{titled}$")
    return salutation, name_line, one_name


_CLOSING = regex.compile(
    r"^\s*(?:yours\s+(?:sincerely|faithfully|truly|ever)|(?:with\s+)?kind(?:est)?\s+regards|"
    r"(?:with\s+)?(?:best|warm|warmest)\s+(?:wishes|regards)|(?:many\s+)?thanks(?:\s+again)?|regards|"
    r"thank\s+you|sincerely|best|all\s+the\s+best|take\s+care)\s*[,.!]?\s*$",
    regex.IGNORECASE,
)


def _lines(segments: Sequence[Segment]) -> tuple[list[_Line], list[_Line]]:
    """(front lines: header and text boxes; body lines), visible text only, in order."""
    front: list[_Line] = []
    body: list[_Line] = []
    for i, seg in enumerate(segments):
        if seg.hidden or seg.kind in _NOT_READ or seg.kind in _NEVER_ADDRESS:
            continue
        target = front if seg.kind in _FRONT else body
        for line in seg.text.splitlines():
            if line.strip():
                target.append(_Line(line, i, seg.kind, seg.location))
        if len(body) >= _MAX_LINES:
            break
    return front[:_MAX_LINES], body[:_MAX_LINES]


def _looks_like_address_line(line: str) -> bool:
    return any(c.isdigit() for c in line) or POSTCODE.search(line) is not None


def _written(title: str | None, name: str) -> str:
    return f"{title} {name}" if title else name


def _name_of(m: regex.Match[str]) -> tuple[str | None, str] | None:
    title, name = m.group("title"), m.group("name")
    ws = words(name)
    if not ws or set(ws) <= _GENERIC or (not title and is_particle(name.split()[0])):
        return None
    return title, name


def _block_names(lines: list[_Line]) -> list[tuple[str | None, str, _Line]]:
    """Name lines followed by address lines (or titled), in the order they stand."""
    _, name_line, _ = _patterns()
    out = []
    for k, line in enumerate(lines):
        if any(c.isdigit() for c in line.text):
            continue
        m = name_line.match(line.text)
        if m is None:
            continue
        found = _name_of(m)
        if found is None:
            continue
        title, name = found
        after = [x.text for x in lines[k + 1 : k + 5] if x.segment == line.segment or x.kind == line.kind]
        if title or any(_looks_like_address_line(x) for x in after):
            out.append((title, name, line))
    return out


def _salutation_names(line: _Line) -> list[tuple[str | None, str]]:
    """The names of a "Dear ..." line: "Dear Marco and Inês," names two people."""
    salutation, _, one_name = _patterns()
    m = salutation.match(line.text)
    if m is None:
        return []
    out = []
    for piece in regex.split(r"\s+(?:and|&)\s+|\s*,\s*", m.group("body")):
        n = one_name.match(piece.strip())
        found = _name_of(n) if n else None
        if found is not None:
            out.append(found)
    return out


def read_parties(index: PartyIndex, segments: Sequence[Segment], attribution: Attribution) -> LetterParties:
    """The addressee(s) of a letter, with where each was read, and its sender.

    ``attribution`` is the matcher's result on these same segments (the scan's own)."""
    if not attribution.made_from(segments):
        raise ValueError("the attribution passed to the addressee reader was made from other segments")
    evidence = attribution.evidence
    front, body = _lines(segments)
    salutation_at = next((k for k, line in enumerate(body) if _GREETS.match(line.text)), None)
    closing_from = salutation_at + 1 if salutation_at is not None else 0
    closing_at = next((k for k in range(closing_from, len(body)) if _CLOSING.match(body[k].text)), None)

    sender = None
    if closing_at is not None:
        sender = _first_name_line(index, evidence, body[closing_at + 1 : closing_at + 1 + _SIGN_OFF_LINES])

    if salutation_at is not None:
        before = body[:salutation_at]
    else:
        before = body[: min(_TOP_LINES, closing_at if closing_at is not None else len(body))]
    parties: dict[object, Party] = {}

    sender_words = words(_bare(sender.written)) if sender is not None else None

    def add(title: str | None, name: str, line: _Line, part: str) -> None:
        written = _written(title, name)
        if sender_words is not None and words(name) == sender_words:
            return  # the sender's own name in a block: the letter is from them, not to them
        member = _resolve(index, evidence, title, name)
        if member is not None and sender is not None and member == sender.member:
            return
        key: object = member if member is not None else tuple(words(name))
        ev = Mention(part, written, line.segment, line.location)
        old = parties.get(key)
        parties[key] = Party(old.written, member, (*old.evidence, ev)) if old else Party(written, member, (ev,))

    for title, name, line in _block_names(front) + _block_names(before):
        add(title, name, line, "address block")
    if salutation_at is not None:
        for title, name in _salutation_names(body[salutation_at]):
            add(title, name, body[salutation_at], "salutation")

    def rank(p: Party) -> tuple[bool, bool]:
        return (p.member is None, not any(e.part == "address block" for e in p.evidence))

    ordered = sorted(parties.values(), key=rank)
    # An unmatched name line from a block counts only with a title or a salutation (else it may
    # be a letterhead line such as "Children's Social Care").
    ordered = [p for p in ordered if p.member is not None or _titled_or_saluted(p)]
    return LetterParties(tuple(ordered), sender)


def _titled_or_saluted(p: Party) -> bool:
    _, _, one_name = _patterns()
    for e in p.evidence:
        if e.part == "salutation":
            return True
        m = one_name.match(e.written)
        if m is not None and m.group("title"):
            return True
    return False


def _first_name_line(index: PartyIndex, evidence: Evidence, lines: list[_Line]) -> Party | None:
    """The sender: the first line after the closing that is a name ("Jo Bisson")."""
    _, name_line, _ = _patterns()
    for line in lines:
        m = name_line.match(line.text)
        found = _name_of(m) if m else None
        if found is not None:
            title, name = found
            ev = Mention("sign-off", _written(title, name), line.segment, line.location)
            return Party(_written(title, name), _resolve(index, evidence, title, name), (ev,))
    return None


def read_addressee(index: PartyIndex, segments: Sequence[Segment], attribution: Attribution) -> Recipient | None:
    """The letter's addressee as a recipient: the best party of ``read_parties``, or None."""
    parties = read_parties(index, segments, attribution)
    if not parties.addressees:
        return None
    best = parties.addressees[0]
    found_by = "letter address block" if best.evidence[0].part == "address block" else "letter salutation"
    if best.member is None:
        return Recipient(address=best.written, cls=RecipientClass.UNKNOWN, found_by=found_by)
    m = index.member(best.member)
    name = _bare(best.written)
    recipient = index.recipient_for_member(best.member, m.name or name, found_by)
    if m.role == "professional" and recipient.cls == RecipientClass.CASE_PERSON:
        # A professional of the case is never a case-person: they may see the case as its contact.
        recipient = replace(recipient, cls=RecipientClass.CASE_CONTACT)
    return recipient


def _bare(written: str) -> str:
    """The name without its title: "Mr de Sousa" → "de Sousa"."""
    _, _, one_name = _patterns()
    m = one_name.match(written)
    return m.group("name") if m is not None else written


def _resolve(index: PartyIndex, evidence: Evidence, title: str | None, name: str) -> int | None:
    """The one member this name (as written in a letter) is, or None if none or ambiguous."""
    ws = words(name)
    if not ws or set(ws) <= _GENERIC:
        return None
    if len(ws) >= 2:
        candidates = _members(index, "".join(ws), "name")
        if not candidates and title:
            # "Mr M de Sousa", "Mr de Sousa": initials can't be checked against a hash; the
            # surname, with its particles, can.
            surname = ws
            while len(surname) > 1 and len(surname[0]) == 1:
                surname = surname[1:]
            candidates = _members(index, "".join(surname), "name-last") or _members(index, ws[-1], "name-last")
    else:
        candidates = _members(index, ws[0], "name-last" if title else "name-first")
    if title and len(candidates) > 1:
        # A titled name ("Ms Smith", "Mr Jones") addresses an adult, not the case's child.
        candidates = [m for m in candidates if index.member(m).role != "child"] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None

    def weight(m: int) -> tuple[int, int]:
        return (evidence.member_count(m), evidence.case_evidence(index.member(m).case))

    ranked = sorted(candidates, key=weight, reverse=True)
    if weight(ranked[0]) > weight(ranked[1]):
        return ranked[0]
    return None


def _members(index: PartyIndex, normal_form: str, kind_name: str) -> list[int]:
    return list(index.members_with(normal_form, kind_name))
