"""The case index as data: every known value as a keyed hash, and the little kept in clear.

Like Purview's Exact Data Match, the index holds no readable copy of any family's details:
each value's normal form (normalise.py) is stored only as HMAC-SHA256 under a key, truncated
to 16 bytes, so a host running the scanner cannot read names, addresses or identifiers back
out of it. What stays in clear is what a verdict must show: case references, person ids and
roles, the `withhold` rules resolved to (case, person, detail) triples, and one display name
per person (first name and surname only) for messages to the sender such as "Sarah Smith's
address is withheld from Mark Jones".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from .match_keys import (
    address_keys,
    compact,
    date_keys,
    display_name,
    month_words,
    name_keys,
    phone_keys,
    turns,
    words,
)
from .schema import CaseFile, withhold_applies

DIGEST_BYTES = 16
MOVED = "moved:"  # kind of a previous address: "moved:2024-03-01" (the date the person left)
# Keys longer than this (in normal-form characters) are not indexed, so the scan window, and
# with it the cost of scanning a document, is the same whatever the index holds.
MAX_KEY_CHARS = 64


class Strength(Enum):
    """How much evidence a match of a kind of value needs before it is someone's."""

    STRONG = "strong"  # a full name, an address, a phone, an email, an identifier: on sight
    CASE = "case"  # the case reference: the case on sight, no person
    # A date of birth or a postcode alone is shared by many people at scale (birthdays,
    # neighbours): it needs the person or the case corroborated in the document.
    CORROBORATE = "corroborate"
    WEAK = "weak"  # a lone first name or surname: needs corroboration
    EXACT = "exact"  # not for text matching (recipient lookup, verification)

    @property
    def needs_corroboration(self) -> bool:
        return self in (Strength.CORROBORATE, Strength.WEAK)

    def at_least(self, other: Strength) -> bool:
        """As much a value on its own as ``other``: on sight (a value or the case reference),
        then a date of birth or postcode, then a lone name."""
        return _tier(self) <= _tier(other)


# Strengths from the most to the least a value on its own.
_TIERS = ((Strength.STRONG, Strength.CASE), (Strength.CORROBORATE,), (Strength.WEAK,), (Strength.EXACT,))


def _tier(strength: Strength) -> int:
    return next(i for i, tier in enumerate(_TIERS) if strength in tier)


# What a stored value is: (entity type, the detail a `withhold` names, strength).
_KIND_INFO: dict[str, tuple[str, str | None, Strength]] = {
    "name": ("PERSON", "name", Strength.STRONG),
    "name-first": ("PERSON", "name", Strength.WEAK),
    "name-last": ("PERSON", "name", Strength.WEAK),
    "address": ("ADDRESS", "address", Strength.STRONG),
    "postcode": ("UK_POSTCODE", "address", Strength.CORROBORATE),
    "phone": ("PHONE_NUMBER", "phone", Strength.STRONG),
    "email": ("EMAIL_ADDRESS", "email", Strength.STRONG),
    "born": ("DATE_OF_BIRTH", "born", Strength.CORROBORATE),
    "case": ("CASE_REFERENCE", None, Strength.CASE),
    "email-exact": ("EMAIL_ADDRESS", "email", Strength.EXACT),
    "born-check": ("DATE_OF_BIRTH", "born", Strength.EXACT),
    # A word some value starts with: lets the scan skip runs that start with any other word.
    "start": ("", None, Strength.EXACT),
    # A value's prefix up to a letter after a digit ("12m" of "12march2014"): lets the scan
    # stop a run that turns from digits to letters where no value does (match_keys.turns).
    "turn": ("", None, Strength.EXACT),
}


@dataclass(frozen=True)
class Kind:
    name: str
    entity_type: str
    detail: str | None
    strength: Strength

    @classmethod
    def of(cls, name: str) -> Kind:
        if name.startswith("id:"):
            return cls(name, name[3:], "identifiers", Strength.STRONG)
        if name.startswith(MOVED):  # a previous address; the date left is in the kind's name
            return cls(name, "ADDRESS", "address", Strength.STRONG)
        entity_type, detail, strength = _KIND_INFO[name]
        return cls(name, entity_type, detail, strength)


@dataclass(frozen=True)
class Member:
    """A person or a contact of one case, as the index keeps them in clear."""

    case: int  # index into IndexData.cases
    id: str | None  # person id; None for a contact
    role: str
    name: str | None  # display name: first name and surname
    contact: bool
    withheld: tuple[tuple[str, str, str], ...]  # (case, person id, detail) kept from this member
    group: int = -1  # the lowest index of the members sharing an email with this one (same human)


Refs = tuple[tuple[int, tuple[int, ...]], ...]  # ((kind index, sorted targets), ...)


class Mac:
    """HMAC-SHA256 under a fixed key, truncated to DIGEST_BYTES.

    The inner and outer SHA-256 states are computed once (RFC 2104), so each value costs two
    state copies instead of a full HMAC set-up: a scan hashes thousands of token runs.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, normal_form: str) -> bytes:
        inner = self._inner.copy()
        inner.update(normal_form.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()[:DIGEST_BYTES]


@dataclass
class IndexData:
    key: bytes
    cases: list[str]
    members: list[Member]
    kinds: list[Kind]
    table: dict[bytes, Refs]
    # Whether every value's turns are in the table ("turn" kind): an index file of format 1
    # has none, and is scanned without stopping runs at turns.
    turn_marks: bool = True

    def __post_init__(self) -> None:
        self.mac = Mac(self.key)


def email_key(address: str) -> str:
    """The exact key of an email address (no punctuation folding: a.b@x and ab@x differ)."""
    return "email:" + address.strip().casefold()


def born_key(iso: str) -> str:
    return "born:" + iso


class _Builder:
    def __init__(self, key: bytes) -> None:
        self.key = key
        self.kinds: list[Kind] = []
        self.kind_index: dict[str, int] = {}
        self.mac = Mac(key)
        self.table: dict[bytes, dict[int, set[int]]] = {}

    def add(self, normal_form: str, kind: str, target: int) -> None:
        if not normal_form or (not normal_form.startswith(("email:", "born:")) and len(normal_form) > MAX_KEY_CHARS):
            return
        if kind not in self.kind_index:
            self.kind_index[kind] = len(self.kinds)
            self.kinds.append(Kind.of(kind))
        index = self.kind_index[kind]
        self.table.setdefault(self.mac(normal_form), {}).setdefault(index, set()).add(target)
        if self.kinds[index].strength is not Strength.EXACT:  # a value the scan meets in text
            for turn in turns(normal_form):
                self.add(normal_form[: turn + 1], "turn", 0)

    def add_starts(self, text: str, *, every_word: bool = False) -> None:
        """Mark the words a value can start with in a document (see matching.Matcher.hits)."""
        ws = words(text)
        for w in ws if every_word else ws[:1]:
            if w.isalpha():
                self.add(w, "start", 0)

    def add_names(self, names: Iterable[str], target: int) -> None:
        for name in names:
            full, firsts, surnames = name_keys(name)
            for k in full:
                self.add(k, "name", target)
            for k in firsts:
                self.add(k, "name-first", target)
            for k in surnames:
                self.add(k, "name-last", target)
            self.add_starts(name, every_word=True)

    def add_email(self, address: str, target: int) -> None:
        self.add(compact(address), "email", target)
        self.add(email_key(address), "email-exact", target)
        self.add_starts(address)


def compile_cases(cases: list[CaseFile], key: bytes) -> IndexData:
    """Turn validated case files into index data under ``key``."""
    b = _Builder(key)
    members: list[Member] = []
    emails: dict[str, list[int]] = {}
    for ci, case in enumerate(cases):
        b.add(compact(case.case), "case", ci)
        b.add_starts(case.case)
        for person in case.people:
            target = len(members)
            members.append(
                Member(
                    case=ci,
                    id=person.id,
                    role=person.role,
                    name=display_name(person.names[0]),
                    contact=False,
                    withheld=_withheld_from(case, person.id, person.role),
                )
            )
            b.add_names(person.names, target)
            for address in person.addresses:
                keys, postcode = address_keys(address)
                for k in keys:
                    b.add(k, "address", target)
                for line in re.split(r"[,\n]", address):
                    b.add_starts(line)
                if postcode:
                    b.add(postcode, "postcode", target)
            for address, left in person.previous_addresses:
                keys, _ = address_keys(address)
                for k in keys:
                    b.add(k, MOVED + left.isoformat(), target)
                for line in re.split(r"[,\n]", address):
                    b.add_starts(line)
            for phone in person.phones:
                for k in phone_keys(phone):
                    b.add(k, "phone", target)
            for email in person.emails:
                b.add_email(email, target)
                emails.setdefault(email_key(email), []).append(target)
            for etype, value in person.identifiers:
                b.add(compact(value), "id:" + etype, target)
                b.add_starts(value)
            if person.born is not None:
                for k in date_keys(person.born):
                    b.add(k, "born", target)
                for w in month_words(person.born):
                    b.add(w, "start", 0)
                b.add(born_key(person.born.isoformat()), "born-check", target)
        for contact in case.contacts:
            target = len(members)
            members.append(
                Member(
                    case=ci,
                    id=None,
                    role=contact.role,
                    name=display_name(contact.name) if contact.name else None,
                    contact=True,
                    withheld=_withheld_from(case, None, contact.role),
                )
            )
            b.add_email(contact.email, target)
            emails.setdefault(email_key(contact.email), []).append(target)
            if contact.name:
                b.add_names([contact.name], target)
    table = {
        digest: tuple((kind, tuple(sorted(targets))) for kind, targets in sorted(groups.items()))
        for digest, groups in b.table.items()
    }
    members = _grouped(members, emails.values())
    return IndexData(key=key, cases=[c.case for c in cases], members=members, kinds=b.kinds, table=table)


def _grouped(members: list[Member], shared: Iterable[list[int]]) -> list[Member]:
    """Set each member's group: members linked by a shared email are one human (a social
    worker in several cases, a parent with children in two cases)."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for same in shared:
        for other in same[1:]:
            a, b = root(same[0]), root(other)
            parent[max(a, b)] = min(a, b)
    return [replace(m, group=root(i)) for i, m in enumerate(members)]


def _withheld_from(case: CaseFile, member_id: str | None, role: str) -> tuple[tuple[str, str, str], ...]:
    out: dict[tuple[str, str, str], None] = {}
    for person in case.people:
        for entry in person.withhold:
            if withhold_applies(entry, member_id, role):
                for detail in entry.details:
                    out[(case.case, person.id, detail)] = None
    return tuple(out)
