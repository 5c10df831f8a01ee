"""The facts the recipient rules need (policy/rules_recipients.py), worked out from the case
index before the pure decision: whom the letter addresses and how each recipient stands to
them, which unknown addresses look like known ones, who can see whom in To/Cc."""

from __future__ import annotations

from collections.abc import Sequence

from .cases import CaseContext, CaseIndex
from .cases.compiled import MOVED
from .cases.matching import Attribution
from .lookalike import COMMON_DOMAINS, lookalike
from .model import Document, Recipient, RecipientClass, Segment
from .policy.model import Organisation
from .policy.rules_recipients import Addressee, Lookalike, MessageFacts, PostalAddress, is_private

_GIVEN = frozenset({"given", "email headers"})


def message_facts(document: Document, segments: Sequence[Segment], recipients: Sequence[Recipient],
                  org: Organisation, cases: CaseContext, attribution: Attribution | None = None) -> MessageFacts:
    """``attribution`` is the scan's own of ``segments``: the letter's parties are read with it."""
    index = cases if isinstance(cases, CaseIndex) else None
    return MessageFacts(
        mismatched=_mismatched(index, document, segments, recipients, attribution) if index else {},
        lookalikes=_lookalikes(index, recipients, org) if index else {},
        visible=_visible(document, recipients),
        postal=_postal(index, document, segments, recipients, attribution) if index else {},
    )


def _documents(document: Document) -> list[Document]:
    out = [document]
    for child in document.children:
        out += _documents(child)
    return out


def _addressees(index: CaseIndex, document: Document, segments: Sequence[Segment],
                attribution: Attribution | None) -> dict[int, str]:
    """Members the message or its attached letters address (address block, salutation)."""
    found: dict[int, str] = {}
    parts = [segments] + [d.all_segments() for d in _documents(document)[1:]]
    for segs in parts:
        for party in index.letter_parties(segs, attribution if segs is segments else None).addressees:
            if party.member is not None:
                found.setdefault(party.member, party.evidence[0].part if party.evidence else "letter")
    return found


_BLOCK_SEGMENTS = 6  # an address block spread over paragraphs or cells: its name line and what follows


def _postal(index: CaseIndex, document: Document, segments: Sequence[Segment],
            recipients: Sequence[Recipient], attribution: Attribution | None) -> dict[str, tuple[PostalAddress, ...]]:
    """Per recipient: the letter's address block is an address its addressee left, or an address
    withheld from someone (which only its owner may receive)."""
    members = index.data.members
    withheld_owners = {(c, p) for m in members for c, p, d in m.withheld if d == "address"}
    found: list[tuple[PostalAddress, set[int] | None]] = []  # (what, the only humans who may receive it)
    for segs in [segments] + [d.all_segments() for d in _documents(document)[1:]]:
        parties = index.letter_parties(segs, attribution if segs is segments else None).addressees
        blocks = [(p, e.segment) for p in parties for e in p.evidence if e.part == "address block"]
        if not blocks:
            continue
        for party, first in blocks:
            # Only the block's own segments are matched again: attribution already read the rest.
            for m in index.attribution(segs[first : first + _BLOCK_SEGMENTS]).matches:
                if m.member is None or m.kind.detail != "address":
                    continue
                owner = members[m.member]
                name = owner.name or "someone of a case"
                theirs = party.member is not None and m.member in _group(index, party.member)
                if m.kind.name.startswith(MOVED) and theirs:
                    found.append((PostalAddress(name, m.kind.name[len(MOVED):]), None))
                elif m.kind.name == "address" and (index.data.cases[owner.case], owner.id) in withheld_owners:
                    found.append((PostalAddress(name, None), _group(index, m.member)))
    out: dict[str, tuple[PostalAddress, ...]] = {}
    for r in recipients:
        who = _humans(index, r.address) if "@" in r.address else _person_humans(index, r)
        items = [a for a, only in found if only is None or not (only & who)]
        if items:
            out[r.address] = tuple(dict.fromkeys(items))
    return out


def _person_humans(index: CaseIndex, r: Recipient) -> set[int]:
    """The members a recipient read from the letter (no address) is."""
    return {i for i, m in enumerate(index.data.members)
            if m.id == r.person and r.person is not None and index.data.cases[m.case] in r.cases}


def _group(index: CaseIndex, i: int) -> set[int]:
    """The members that are one human (linked by a shared email when the index was built)."""
    g = index.data.members[i].group
    return {i, *(j for j, m in enumerate(index.data.members) if g >= 0 and m.group == g)}


def _humans(index: CaseIndex, address: str) -> set[int]:
    """Every member an address is (one human may be a person in one case and a contact in another)."""
    return {j for i in index.members_by_email(address) for j in _group(index, i)}


def _mismatched(index: CaseIndex, document: Document, segments: Sequence[Segment],
                recipients: Sequence[Recipient], attribution: Attribution | None) -> dict[str, tuple[Addressee, ...]]:
    if not recipients or any(r.found_by not in _GIVEN for r in recipients):
        return {}  # the recipient was read from the letter itself
    addressed = _addressees(index, document, segments, attribution)
    if not addressed:
        return {}
    who = {r.address: _humans(index, r.address) for r in recipients if "@" in r.address}
    reached = set().union(*who.values()) if who else set()
    groups = {m: _group(index, m) for m in addressed}
    if any(groups[m] & reached for m in addressed):
        return {}  # someone the letter addresses is among the recipients (a shared family letter)
    out: dict[str, tuple[Addressee, ...]] = {}
    for r in recipients:
        if r.cls == RecipientClass.INTERNAL:
            continue
        items = []
        for m, part in addressed.items():
            member = index.data.members[m]
            theirs = {index.data.cases[index.data.members[x].case] for x in groups[m]}
            if r.cls in (RecipientClass.CASE_PERSON, RecipientClass.CASE_CONTACT):
                relation = "same-case" if theirs & set(r.cases) else "other-case"
            else:
                relation = "outside"
            items.append(Addressee(member.name or "someone of a case", part, relation))
        if items:
            out[r.address] = tuple(items)
    return out


def _lookalikes(index: CaseIndex, recipients: Sequence[Recipient], org: Organisation) -> dict[str, Lookalike]:
    known_domains = [*org.internal_domains, *org.partner_domains, *COMMON_DOMAINS]
    out: dict[str, Lookalike] = {}
    for r in recipients:
        if r.cls not in (RecipientClass.UNKNOWN, RecipientClass.PARTNER) or "@" not in r.address:
            continue
        near = lookalike(r.address, lambda a: bool(index.members_by_email(a)), known_domains, org.internal_domains)
        if near is None:
            continue
        members = index.members_by_email(near.address)
        if members:
            m = index.data.members[members[0]]
            whose = f"{m.name}'s address" if m.name else f"an address of a contact of case {index.data.cases[m.case]}"
        elif near.address.rpartition("@")[2] in org.internal_domains:
            whose = "an address on the organisation's own domain"
        elif any(near.address.endswith(d.lstrip("*")) for d in org.partner_domains):
            whose = "an address on a partner agency's domain"
        else:
            whose = "an address on a common mail provider's domain"
        out[r.address] = Lookalike(near.address, whose)
    return out


def _visible(document: Document, recipients: Sequence[Recipient]) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    env = document.envelope
    if env is None:
        return ()
    shown = set(env.to) | set(env.cc)
    return tuple(
        (r.address, r.cases, is_private(r.cls, r.role))
        for r in recipients
        if r.address.lower() in shown and r.cls != RecipientClass.INTERNAL
    )
