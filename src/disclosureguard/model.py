"""The plain data that flows between the stages: extract → detect → attribute → decide.

Every type here is a frozen dataclass so a stage can never change what an earlier one
produced. Nothing here does I/O or knows about Presidio, spaCy or a file format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from .masking import folded_values, message_words, name_words, path_words, place_words, scrub

# The email headers that say where a message goes (not content about someone). One set: the
# policy leaves an address there out of content, redaction leaves it where it is.
ADDRESSING_FIELDS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})


class Action(IntEnum):
    """A decision. Ordered so that the strictest of several is ``max()``."""

    ALLOW = 0
    WARN = 1
    REDACT = 2
    BLOCK = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    # The label is what users read and compare (print(verdict.decision) shows "block"), not 3.
    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return self.label

    def __format__(self, spec: str) -> str:
        return format(self.label, spec)

    @classmethod
    def parse(cls, value: str) -> Action:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"expected one of allow, warn, redact, block; got {value!r}") from None


class RecipientClass:
    """The five recipient classes of docs/case-file.md."""

    INTERNAL = "internal"
    CASE_PERSON = "case-person"
    CASE_CONTACT = "case-contact"
    PARTNER = "partner"
    UNKNOWN = "unknown"
    ALL = (INTERNAL, CASE_PERSON, CASE_CONTACT, PARTNER, UNKNOWN)


@dataclass(frozen=True)
class Place:
    """Where a piece of text stands, as data: turned into words only at the edges, by
    :func:`disclosureguard.masking.place_words`, which also masks the names it holds.

    ``container`` is the path of attachment and member names from the outer document in
    (names taken from the input: they may be named after the child); ``where`` is the
    extractor's own words for the part of its document ("body, paragraph 4", "email header
    To", "page 2, under a black box at (72, 640)"); ``field`` the email header name or metadata
    property; ``page``, ``paragraph``, ``row``, ``cell`` and ``bbox`` where the format knows
    them; ``hidden_kind`` the kind of place (comment, metadata, under-box, ...) when a reader
    of the rendered document would not see the text there.
    """

    where: str = ""
    container: tuple[str, ...] = ()
    field: str | None = None
    page: int | None = None
    paragraph: int | None = None
    row: int | None = None
    cell: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    hidden_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Every field, for the JSON verdict (names as they are: mask with ``place_words``)."""
        return {
            "container": list(self.container),
            "where": self.where,
            "field": self.field,
            "page": self.page,
            "paragraph": self.paragraph,
            "row": self.row,
            "cell": self.cell,
            "bbox": list(self.bbox) if self.bbox is not None else None,
            "hidden_kind": self.hidden_kind,
        }

    @classmethod
    def of_finding(cls, finding: dict[str, Any]) -> Place:
        """The place of a finding of a stored JSON verdict; one stored before places were
        structured has only its location words."""
        place = finding.get("place")
        return cls.from_dict(place) if isinstance(place, dict) else cls(where=str(finding.get("location", "")))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        """The place of a stored JSON verdict (the desk reads verdicts back)."""
        bbox = d.get("bbox")
        return cls(
            where=str(d.get("where") or ""),
            container=tuple(str(n) for n in d.get("container") or ()),
            field=d.get("field"),
            page=d.get("page"),
            paragraph=d.get("paragraph"),
            row=d.get("row"),
            cell=d.get("cell"),
            bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])) if bbox else None,
            hidden_kind=d.get("hidden_kind"),
        )


@dataclass(frozen=True)
class Segment:
    """One piece of text and where it stands.

    ``location`` is what a person would look for ("body, paragraph 4", "page 2, under a
    redaction box at (72, 640)"); ``kind`` is the machine-readable place (body, header,
    footer, table, comment, tracked-deletion, tracked-insertion, hidden-text, metadata,
    annotation, form-field, under-box, file-name, email-header, ...); ``hidden`` is true when
    a reader of the rendered document would not see it.
    """

    text: str
    location: str
    kind: str = "body"
    hidden: bool = False
    author: str | None = None
    date: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    field: str | None = None  # e.g. the email header name or the metadata property
    ocr: bool = False  # read from a picture of the text by OCR
    confidence: float | None = None  # OCR's mean word confidence (0-100) for this text
    paragraph: int | None = None
    row: int | None = None
    cell: int | None = None
    # Attachment and member names from the outer document in: Document.all_segments sets it.
    container: tuple[str, ...] = ()

    @property
    def place(self) -> Place:
        return Place(
            where=self.location,
            container=self.container,
            field=self.field,
            page=self.page,
            paragraph=self.paragraph,
            row=self.row,
            cell=self.cell,
            bbox=self.bbox,
            hidden_kind=self.kind if self.hidden else None,
        )

    def describe(self) -> str:
        """The location with the author and date where the format records them."""
        extra = []
        if self.author:
            extra.append(f"by {self.author}")
        if self.date:
            extra.append(self.date)
        return f"{self.location} ({', '.join(extra)})" if extra else self.location


@dataclass(frozen=True)
class Problem:
    """A part that could not be read, and why. Every problem is a reason not to allow."""

    part: str
    cause: str  # short code: encrypted, corrupt, unsupported, limit, timeout, type-mismatch, ...
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"part": self.part, "cause": self.cause, "message": self.message}


@dataclass(frozen=True)
class Envelope:
    """Who an email says it is from and to. Addresses are lower-case, bare."""

    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    message_id: str | None = None

    @property
    def recipients(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for a in (*self.to, *self.cc, *self.bcc):
            seen.setdefault(a, None)
        return tuple(seen)


@dataclass(frozen=True)
class Document:
    """What an extractor returns: the text of one file and of everything nested in it."""

    name: str
    media_type: str
    segments: tuple[Segment, ...] = ()
    children: tuple[Document, ...] = ()
    problems: tuple[Problem, ...] = ()
    envelope: Envelope | None = None

    def walk(self, container: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Document]]:
        """Yield (container path, document) for this document and every nested one: the path
        is the attachment and member names from this document in (empty for this one)."""
        yield container, self
        for child in self.children:
            yield from child.walk((*container, child.name))

    def all_segments(self) -> tuple[Segment, ...]:
        """Every segment, nested ones with their container path set."""
        out: list[Segment] = []
        for container, doc in self.walk():
            for seg in doc.segments:
                out.append(replace(seg, container=container) if container else seg)
        return tuple(out)

    def all_problems(self) -> tuple[Problem, ...]:
        return tuple(p for _, doc in self.walk() for p in doc.problems)


@dataclass(frozen=True)
class Finding:
    """A piece of personal data found in a segment, and (once attributed) whose it is."""

    entity_type: str
    text: str
    score: float
    segment: int  # index into the document's all_segments()
    start: int
    end: int
    place: Place
    hidden: bool = False
    kind: str = "body"
    recogniser: str = ""
    case: str | None = None
    person: str | None = None  # person id within the case
    person_name: str | None = None  # display name, for messages to the sender
    person_role: str | None = None
    detail: str | None = None  # name, address, phone, email, identifiers, born

    @property
    def location(self) -> str:
        """The place in words, names as they are: for a person who may see the values."""
        return place_words(self.place)

    @property
    def is_addressing(self) -> bool:
        """An address in From/To/Cc/Bcc/Reply-To/Sender: who the message goes to, not content."""
        return self.kind == "email-header" and (self.place.field or "").lower() in ADDRESSING_FIELDS

    def to_dict(self, *, values: bool = True, withheld: frozenset[str] = frozenset()) -> dict[str, Any]:
        """``values=False``: no text, and the location masked (``withheld``: the verdict's
        folded matched values, which a name in the location must not carry either)."""
        d: dict[str, Any] = {
            "entity_type": self.entity_type,
            "text": self.text if values else None,
            "score": round(self.score, 2),
            "location": place_words(self.place) if values else place_words(self.place, withheld),
            "place": _place_dict(self.place, values, withheld),
            "hidden": self.hidden,
            "case": self.case,
            "person": self.person,
            "detail": self.detail,
        }
        return d


def _place_dict(place: Place, values: bool, withheld: frozenset[str]) -> dict[str, Any]:
    d = place.to_dict()
    if not values:  # the names and words from the input, masked as place_words masks them
        d["container"] = [name_words(n, withheld) for n in place.container]
        d["where"] = place_words(Place(where=place.where), withheld)
        d["field"] = name_words(place.field, withheld) if place.field else place.field
    return d


@dataclass(frozen=True)
class Recipient:
    """A recipient as the policy sees it.

    ``withheld`` holds (case, person id, detail) triples that must never reach this
    recipient; the case context computes it, so the policy stays a pure function.
    """

    address: str
    cls: str
    cases: tuple[str, ...] = ()
    person: str | None = None
    person_name: str | None = None
    role: str | None = None
    found_by: str = "given"
    withheld: frozenset[tuple[str, str, str]] = frozenset()

    @property
    def display(self) -> str:
        return self.person_name or self.address

    @property
    def is_family(self) -> bool:
        """A person of the case who is not there as a professional."""
        return self.cls == RecipientClass.CASE_PERSON and self.role != "professional"


@dataclass(frozen=True)
class Reason:
    """One rule that fired for one recipient. It points at its findings, whose places its
    message names; a reason about a part that could not be read names the problem's part.
    Neither needs a place of its own: the edge masks the message from those."""

    rule: str
    action: Action
    recipient: str
    message: str
    findings: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "action": self.action.label,
            "recipient": self.recipient,
            "message": self.message,
            "findings": list(self.findings),
        }


@dataclass(frozen=True)
class RecipientVerdict:
    recipient: Recipient
    decision: Action

    def to_dict(self) -> dict[str, Any]:
        r = self.recipient
        return {
            "address": r.address,
            "class": r.cls,
            "case": r.cases[0] if r.cases else None,
            "cases": list(r.cases),
            "person": r.person,
            "found_by": r.found_by,
            "decision": self.decision.label,
        }


@dataclass(frozen=True)
class Verdict:
    source: str
    decision: Action
    recipients: tuple[RecipientVerdict, ...]
    findings: tuple[Finding, ...]
    reasons: tuple[Reason, ...]
    errors: tuple[Problem, ...]
    notes: tuple[str, ...] = field(default=())
    degraded: bool = False

    def to_dict(self, *, values: bool = True) -> dict[str, Any]:
        """The JSON verdict of docs/verdict.md.

        ``values=False`` leaves matched text out, also where it would stand in a location,
        a reason or an error part (an attachment named after the child), and scrubs names taken
        from the input (part, member and attachment names) whether or not they were findings.
        """
        hidden = folded_values(f.text for f in self.findings) if not values else frozenset()
        findings = [f.to_dict(values=values, withheld=hidden) for f in self.findings]
        reasons = [r.to_dict() for r in self.reasons]
        errors = [e.to_dict() for e in self.errors]
        if not values:
            named = [x for rv in self.recipients for x in (rv.recipient.address, rv.recipient.person_name) if x]
            for reason, d in zip(self.reasons, reasons, strict=True):
                d["message"] = self.reason_words(reason, hidden, keep=named)
            for d in errors:
                d["part"] = scrub(d["part"], hidden)
                d["message"] = scrub(d["message"], hidden)
        return {
            "source": self.source if values else path_words(self.source),
            "decision": self.decision.label,
            "recipients": [r.to_dict() for r in self.recipients],
            "findings": findings,
            "reasons": reasons,
            "errors": errors,
            "degraded": self.degraded,
            "notes": list(self.notes),
        }

    def reason_words(self, reason: Reason, withheld: frozenset[str], keep: Iterable[str] = ()) -> str:
        """A reason's message for an output without values: the places and part names it
        names (its findings' places, the problems' parts) masked by their position, the rest
        scrubbed; ``keep`` the recipients it names on purpose."""
        places = [self.findings[i].place for i in reason.findings if 0 <= i < len(self.findings)]
        return message_words(reason.message, places, [e.part for e in self.errors], withheld, keep)


@dataclass(frozen=True)
class Analysis:
    """Everything one scan learnt; the verdict is its summary. Redaction works from this.

    It lives here, beside the types it holds, so that redaction and the pool depend on the
    data and not on the scanner that produced it (no import cycle scanner ↔ redact).
    """

    data: bytes
    name: str
    document: Document
    segments: tuple[Segment, ...]
    findings: tuple[Finding, ...]
    recipients: tuple[Recipient, ...]
    verdict: Verdict
