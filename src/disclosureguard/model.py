"""The plain data that flows between the stages: extract → detect → attribute → decide.

Every type here is a frozen dataclass so a stage can never change what an earlier one
produced. Nothing here does I/O or knows about Presidio, spaCy or a file format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from .masking import folded_values, scrub, scrub_message


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

    def walk(self, prefix: str = "") -> Iterator[tuple[str, Document]]:
        """Yield (location prefix, document) for this document and every nested one."""
        yield prefix, self
        for child in self.children:
            label = f"{prefix}attachment {child.name!r}, "
            yield from child.walk(label)

    def all_segments(self) -> tuple[Segment, ...]:
        """Every segment, nested ones with the attachment path in front of their location."""
        out: list[Segment] = []
        for prefix, doc in self.walk():
            for seg in doc.segments:
                out.append(replace(seg, location=prefix + seg.location) if prefix else seg)
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
    location: str
    hidden: bool = False
    kind: str = "body"
    recogniser: str = ""
    case: str | None = None
    person: str | None = None  # person id within the case
    person_name: str | None = None  # display name, for messages to the sender
    person_role: str | None = None
    detail: str | None = None  # name, address, phone, email, identifiers, born

    def to_dict(self, *, values: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "entity_type": self.entity_type,
            "text": self.text if values else None,
            "score": round(self.score, 2),
            "location": self.location,
            "hidden": self.hidden,
            "case": self.case,
            "person": self.person,
            "detail": self.detail,
        }
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
        findings = [f.to_dict(values=values) for f in self.findings]
        reasons = [r.to_dict() for r in self.reasons]
        errors = [e.to_dict() for e in self.errors]
        if not values:
            hidden = folded_values(f.text for f in self.findings)
            for d in findings:
                d["location"] = scrub(d["location"], hidden)
            named = [x for rv in self.recipients for x in (rv.recipient.address, rv.recipient.person_name) if x]
            for d in reasons:
                d["message"] = scrub_message(d["message"], hidden, keep=named)
            for d in errors:
                d["part"] = scrub(d["part"], hidden)
                d["message"] = scrub(d["message"], hidden)
        return {
            "source": self.source,
            "decision": self.decision.label,
            "recipients": [r.to_dict() for r in self.recipients],
            "findings": findings,
            "reasons": reasons,
            "errors": errors,
            "degraded": self.degraded,
            "notes": list(self.notes),
        }


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
