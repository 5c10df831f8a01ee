"""The case-file schema (shared/spec/case-file.md) as frozen dataclasses, and its validation.

``parse_case`` turns the plain data of one YAML or JSON file into a :class:`CaseFile` or
raises :class:`CaseFileError` naming the file, the field (``people[2].withhold[0].from``)
and what was expected. Nothing is ever half-loaded: the first problem stops the file.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..errors import CaseFileError

ROLES = ("child", "parent", "relative", "carer", "professional", "referrer", "other")
FAMILY_ROLES = frozenset({"child", "parent", "relative"})

# The detail vocabulary of a finding, and what each word of a `withhold` entry covers.
DETAILS = ("name", "address", "phone", "email", "identifiers", "born")
WITHHOLD_DETAILS: dict[str, tuple[str, ...]] = {
    "identity": ("name",),
    "name": ("name",),
    "address": ("address",),
    "phone": ("phone",),
    "email": ("email",),
    "identifiers": ("identifiers", "born"),
    "born": ("born",),
    "all": DETAILS,
}

_PERSON_KEYS = (
    "id", "role", "names", "born", "identifiers", "addresses", "previous_addresses", "phones", "emails", "withhold"
)
_PREVIOUS_KEYS = ("address", "left")
_CASE_KEYS = ("case", "title", "people", "contacts")
_CONTACT_KEYS = ("email", "name", "organisation", "role")
_WITHHOLD_KEYS = ("details", "from")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ENTITY_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Withhold:
    details: tuple[str, ...]  # expanded to the finding detail vocabulary
    from_: tuple[str, ...]  # person ids, roles, or "family"


@dataclass(frozen=True)
class Person:
    id: str
    role: str
    names: tuple[str, ...]
    born: date | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (entity type, value)
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    withhold: tuple[Withhold, ...] = ()
    # Addresses the person has left, with the date they left (a letter must not go there).
    previous_addresses: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class Contact:
    email: str
    name: str | None = None
    organisation: str | None = None
    role: str = "professional"


@dataclass(frozen=True)
class CaseFile:
    case: str
    source: str  # the file it came from, for error messages
    title: str | None = None
    people: tuple[Person, ...] = ()
    contacts: tuple[Contact, ...] = ()

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)


def expand_details(words: tuple[str, ...]) -> tuple[str, ...]:
    """The finding details a list of `withhold` words covers, in vocabulary order."""
    covered = {d for w in words for d in WITHHOLD_DETAILS[w]}
    return tuple(d for d in DETAILS if d in covered)


def withhold_applies(entry: Withhold, member_id: str | None, member_role: str) -> bool:
    """Whether a `withhold` entry keeps its details from a member with this id and role."""
    for target in entry.from_:
        if target == "family" and member_role in FAMILY_ROLES:
            return True
        if target in ROLES and target == member_role:
            return True
        if member_id is not None and target == member_id:
            return True
    return False


class _Reader:
    """Validates one file's data, keeping the file name for every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, field: str, expected: str) -> CaseFileError:
        return CaseFileError(self.file, field, expected)

    def mapping(self, value: Any, field: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, f"a mapping with the keys {', '.join(allowed)}")
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                where = f"{field}.{key}" if field else str(key)
                raise self.fail(where, f"one of the keys {', '.join(allowed)}")
        return value

    def text(self, value: Any, field: str, what: str = "a non-empty string") -> str:
        if isinstance(value, bool) or not isinstance(value, str) or not value.strip():
            hint = " (quote numbers and dates in YAML)" if isinstance(value, int | float) else ""
            raise self.fail(field, what + hint)
        return value.strip()

    def optional_text(self, data: dict[str, Any], key: str, field: str) -> str | None:
        if data.get(key) is None:
            return None
        return self.text(data[key], f"{field}.{key}" if field else key)

    def texts(self, value: Any, field: str, what: str = "a non-empty string") -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, f"a list of strings ({what} each)")
        return tuple(self.text(v, f"{field}[{i}]", what) for i, v in enumerate(value))

    def born(self, value: Any, field: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(field, "an ISO date YYYY-MM-DD that exists (e.g. 2014-03-02)")

    def previous_addresses(self, value: Any, field: str) -> tuple[tuple[str, date], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, "a list of {address, left} mappings")
        out = []
        for i, raw in enumerate(value):
            entry = self.mapping(raw, f"{field}[{i}]", _PREVIOUS_KEYS)
            address = self.text(entry.get("address"), f"{field}[{i}].address", "an address (this key is required)")
            if entry.get("left") is None:
                raise self.fail(f"{field}[{i}].left", "the date the person left, YYYY-MM-DD (this key is required)")
            left = self.born(entry["left"], f"{field}[{i}].left")
            assert left is not None
            out.append((address, left))
        return tuple(out)

    def emails(self, value: Any, field: str) -> tuple[str, ...]:
        out = self.texts(value, field, "an email address")
        for i, e in enumerate(out):
            if not _EMAIL.match(e):
                raise self.fail(f"{field}[{i}]", "an email address like name@example.org")
        return out

    def identifiers(self, value: Any, field: str) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            raise self.fail(field, "a mapping of entity type (e.g. UK_NHS) to one value or a list")
        out: list[tuple[str, str]] = []
        for etype, values in value.items():
            if not isinstance(etype, str) or not _ENTITY_TYPE.match(etype):
                raise self.fail(f"{field}.{etype}", "an entity type name in capitals, e.g. UK_NHS")
            items = values if isinstance(values, list) else [values]
            if not items:
                raise self.fail(f"{field}.{etype}", "one value or a non-empty list of values")
            for i, v in enumerate(items):
                where = f"{field}.{etype}[{i}]" if isinstance(values, list) else f"{field}.{etype}"
                out.append((etype, self.text(v, where, "the identifier as a string")))
        return tuple(out)

    def withhold(self, value: Any, field: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Raw (words, from) pairs; `from` targets are checked once every id is known."""
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, "a list of entries with details and from")
        out = []
        for i, entry in enumerate(value):
            where = f"{field}[{i}]"
            entry = self.mapping(entry, where, _WITHHOLD_KEYS)
            for key in _WITHHOLD_KEYS:
                if key not in entry:
                    raise self.fail(f"{where}.{key}", "a list (this key is required)")
            words = self.texts(entry["details"], f"{where}.details", "a detail name")
            if not words:
                raise self.fail(f"{where}.details", "at least one of " + ", ".join(WITHHOLD_DETAILS))
            for j, w in enumerate(words):
                if w not in WITHHOLD_DETAILS:
                    raise self.fail(f"{where}.details[{j}]", "one of " + ", ".join(WITHHOLD_DETAILS))
            targets = self.texts(entry["from"], f"{where}.from", "a person id, a role or 'family'")
            if not targets:
                raise self.fail(f"{where}.from", "at least one person id, role or 'family'")
            out.append((words, targets))
        return tuple(out)


def parse_case(data: Any, file: str) -> CaseFile:
    """Validate the data of one case file; raise CaseFileError at the first problem."""
    r = _Reader(file)
    top = r.mapping(data, "", _CASE_KEYS)
    if "case" not in top:
        raise r.fail("case", "the case reference (this key is required)")
    case = r.text(top["case"], "case", "the case reference as a string")
    title = r.optional_text(top, "title", "")
    if not isinstance(top.get("people"), list) or not top["people"]:
        raise r.fail("people", "a non-empty list of people")

    raw_people = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(top["people"]):
        raw_people.append(_person(r, raw, f"people[{i}]", seen))
        seen[raw_people[-1][0].id] = i
    # `withhold` may name anyone of the case: checked once every id is known.
    people = tuple(
        replace(person, withhold=_withholds(r, entries, f"people[{i}].withhold", seen))
        for i, (person, entries) in enumerate(raw_people)
    )

    raw_contacts = top.get("contacts")
    if raw_contacts is not None and not isinstance(raw_contacts, list):
        raise r.fail("contacts", "a list of contacts")
    contacts = tuple(_contact(r, raw, f"contacts[{i}]") for i, raw in enumerate(raw_contacts or []))
    return CaseFile(case=case, source=file, title=title, people=people, contacts=contacts)


_RawWithhold = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


def _person(r: _Reader, raw: Any, where: str, seen: dict[str, int]) -> tuple[Person, _RawWithhold]:
    """One person (without their withhold rules) and their raw withhold entries."""
    p = r.mapping(raw, where, _PERSON_KEYS)
    if "id" not in p:
        raise r.fail(f"{where}.id", "an id (this key is required)")
    pid = r.text(p["id"], f"{where}.id")
    if not _ID.match(pid) or pid == "family" or pid in ROLES:
        raise r.fail(f"{where}.id", "letters, digits, '.', '_' or '-', and not a role name or 'family'")
    if pid in seen:
        raise r.fail(f"{where}.id", f"an id not already used in this case (people[{seen[pid]}] has it)")
    role = r.text(p.get("role"), f"{where}.role", "one of " + ", ".join(ROLES))
    if role not in ROLES:
        raise r.fail(f"{where}.role", "one of " + ", ".join(ROLES))
    names = r.texts(p.get("names"), f"{where}.names", "a name")
    if not names:
        raise r.fail(f"{where}.names", "a non-empty list of names")
    person = Person(
        id=pid,
        role=role,
        names=names,
        born=r.born(p.get("born"), f"{where}.born"),
        identifiers=r.identifiers(p.get("identifiers"), f"{where}.identifiers"),
        addresses=r.texts(p.get("addresses"), f"{where}.addresses", "an address"),
        previous_addresses=r.previous_addresses(p.get("previous_addresses"), f"{where}.previous_addresses"),
        phones=r.texts(p.get("phones"), f"{where}.phones", "a phone number"),
        emails=r.emails(p.get("emails"), f"{where}.emails"),
    )
    return person, r.withhold(p.get("withhold"), f"{where}.withhold")


def _withholds(r: _Reader, entries: _RawWithhold, where: str, ids: Collection[str]) -> tuple[Withhold, ...]:
    out = []
    for k, (words, targets) in enumerate(entries):
        for j, t in enumerate(targets):
            if t != "family" and t not in ROLES and t not in ids:
                expected = "a person id of this case, a role (" + ", ".join(ROLES) + ") or 'family'"
                raise r.fail(f"{where}[{k}].from[{j}]", expected)
        out.append(Withhold(details=expand_details(words), from_=targets))
    return tuple(out)


def _contact(r: _Reader, raw: Any, where: str) -> Contact:
    c = r.mapping(raw, where, _CONTACT_KEYS)
    email = r.text(c.get("email"), f"{where}.email", "an email address (this key is required)")
    if not _EMAIL.match(email):
        raise r.fail(f"{where}.email", "an email address like name@example.org")
    role = r.optional_text(c, "role", where) or "professional"
    if role not in ROLES:
        raise r.fail(f"{where}.role", "one of " + ", ".join(ROLES))
    return Contact(
        email=email,
        name=r.optional_text(c, "name", where),
        organisation=r.optional_text(c, "organisation", where),
        role=role,
    )
