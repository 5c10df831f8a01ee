"""Who each recipient is: internal, a case person, a case contact, a partner, or unknown."""

from __future__ import annotations

from collections.abc import Sequence

from .cases.base import CaseContext
from .cases.matching import Attribution
from .model import Document, Recipient, RecipientClass, Segment
from .policy.domains import domain_class
from .policy.model import Organisation

NO_ADDRESSEE = "nobody named: no --to given and no addressee found in the letter"


def classify(address: str, org: Organisation, cases: CaseContext, found_by: str = "given") -> Recipient:
    address = address.strip()
    key = address.lower()
    by_domain = domain_class(key, org)
    if by_domain == RecipientClass.INTERNAL:
        return Recipient(address=key, cls=RecipientClass.INTERNAL, found_by=found_by)
    known = cases.recipient(key) if "@" in key else None
    if known is not None:
        return Recipient(
            address=key,
            cls=known.cls,
            cases=known.cases,
            person=known.person,
            person_name=known.person_name,
            role=known.role,
            found_by=found_by,
            withheld=known.withheld,
        )
    if by_domain == RecipientClass.PARTNER:
        return Recipient(address=key, cls=RecipientClass.PARTNER, found_by=found_by)
    return Recipient(address=address, cls=RecipientClass.UNKNOWN, found_by=found_by)


def resolve(
    to: Sequence[str] | None,
    doc: Document,
    segments: Sequence[Segment],
    org: Organisation,
    cases: CaseContext,
    attribution: Attribution | None = None,
) -> tuple[Recipient, ...]:
    """The recipients: those given, else the email's own, else the letter's addressee
    (read with the scan's ``attribution`` of the same segments, when given)."""
    if to:
        return tuple(classify(a, org, cases, "given") for a in dict.fromkeys(to))
    if doc.envelope is not None and doc.envelope.recipients:
        return tuple(classify(a, org, cases, "email headers") for a in doc.envelope.recipients)
    addressee = cases.addressee(segments, attribution)
    if addressee is not None:
        return (addressee,)
    return (Recipient(address=NO_ADDRESSEE, cls=RecipientClass.UNKNOWN, found_by="none"),)
