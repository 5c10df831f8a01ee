"""The facts the recipient rules need (policy/rules_recipients.py), worked out from the case
index before the pure decision: whom the letter addresses and how each recipient stands to
them, which unknown addresses look like known ones, who can see whom in To/Cc."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from email.utils import getaddresses

from .cases import CaseContext, CaseIndex
from .cases.addressee import LetterParties
from .cases.compiled import MOVED
from .cases.match_keys import words
from .cases.matching import Attribution
from .lookalike import COMMON_DOMAINS, Near, lookalike
from .model import Document, Recipient, RecipientClass, Segment
from .policy.model import Organisation
from .policy.rules_recipients import Addressee, Lookalike, MessageFacts, PostalAddress, Shown, is_private
from .recipients import classify

_GIVEN = frozenset({"given", "email headers"})


def message_facts(document: Document, segments: Sequence[Segment], recipients: Sequence[Recipient],
                  org: Organisation, cases: CaseContext, attribution: Attribution | None = None) -> MessageFacts:
    """``attribution`` is the scan's own of ``segments``: the letter's parties are read with it."""
    index = cases if isinstance(cases, CaseIndex) else None
    # The parties of the message and of each attached letter, read once for both rules that use
    # them: an attachment's are read with an attribution of its own segments, made from the
    # scan's sightings (the matcher does not run over the attachment again).
    parties = _parties(index, document, segments, attribution) if index else []
    return MessageFacts(
        mismatched=_mismatched(index, parties, recipients) if index else {},
        lookalikes=_lookalikes(index, document, recipients, org) if index else {},
        visible=_visible(document, org, cases),
        postal=_postal(index, parties, recipients) if index else {},
    )


_Parties = list[tuple[Sequence[Segment], LetterParties]]


def _parties(index: CaseIndex, document: Document, segments: Sequence[Segment],
             attribution: Attribution | None) -> _Parties:
    """(segments, the parties read from them) for the message and for each attached document."""
    if attribution is None:
        attribution = index.attribution(segments)
    parts = [d.all_segments() for d in _documents(document)[1:]]
    read = [(segments, index.letter_parties(segments, attribution))]
    return read + [(segs, index.letter_parties(segs, index.attribution_within(attribution, segments, segs)))
                   for segs in parts]


def _documents(document: Document) -> list[Document]:
    out = [document]
    for child in document.children:
        out += _documents(child)
    return out


def _addressees(parties: _Parties) -> dict[int, str]:
    """Members the message or its attached letters address (address block, salutation)."""
    found: dict[int, str] = {}
    for _, read in parties:
        for party in read.addressees:
            if party.member is not None:
                found.setdefault(party.member, party.evidence[0].part if party.evidence else "letter")
    return found


_BLOCK_SEGMENTS = 6  # an address block spread over paragraphs or cells: its name line and what follows
_BLOCK_LINES = 6  # the name line and the address lines under it
# Where an address block ends: the date, the greeting, the reference line, a sentence.
_AFTER_BLOCK = re.compile(
    r"^\s*(?:(?:dear|hi|hello|good (?:morning|afternoon|evening)|re|ref|our ref|your ref|subject)\b|"
    r"\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\s*$|"
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*$|(?:\S+\s+){8,})",
    re.I,
)


def _block(segs: Sequence[Segment], first: int, written: str) -> Segment:
    """The address block's own lines: from the name line, the lines under it, across paragraphs
    or cells, up to the date, the greeting or a sentence. A PDF page is one segment: the rest of
    the page is the letter, not its address."""
    lines: list[str] = []
    for i in range(first, min(len(segs), first + _BLOCK_SEGMENTS)):
        text = segs[i].text
        if i == first:
            at = text.find(written)
            text = text[text.rfind("\n", 0, at) + 1 :] if at >= 0 else text
        for line in text.split("\n"):
            if (lines and (not line.strip() or _AFTER_BLOCK.match(line))) or len(lines) >= _BLOCK_LINES:
                return Segment(text="\n".join(lines), location=segs[first].location)
            lines.append(line)
    return Segment(text="\n".join(lines), location=segs[first].location)


def _postal(index: CaseIndex, parties: _Parties,
            recipients: Sequence[Recipient]) -> dict[str, tuple[PostalAddress, ...]]:
    """Per recipient: the letter's address block is an address its addressee left, or an address
    withheld from someone (which only its owner may receive)."""
    members = index.data.members
    withheld_owners = {(c, p) for m in members for c, p, d in m.withheld if d == "address"}
    found: list[tuple[PostalAddress, set[int] | None]] = []  # (what, the only humans who may receive it)
    for segs, read in parties:
        blocks = [(p, e) for p in read.addressees for e in p.evidence if e.part == "address block"]
        if not blocks:
            continue
        for party, evidence in blocks:
            # Only the block's own lines are matched again: attribution already read the rest.
            for m in index.attribution([_block(segs, evidence.segment, evidence.written)]).matches:
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


def _mismatched(index: CaseIndex, parties: _Parties,
                recipients: Sequence[Recipient]) -> dict[str, tuple[Addressee, ...]]:
    if not recipients or any(r.found_by not in _GIVEN for r in recipients):
        return {}  # the recipient was read from the letter itself
    addressed = _addressees(parties)
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


# Per case index, the known address an address looks like: the same in every message to it
# (the index and the domains decide it), and finding it tries hundreds of one-character
# variants, each a keyed-hash lookup (about a tenth of a short letter's scan). Kept while the
# index lives, in memory only, and cleared when it grows past _NEAR_MAX addresses.
_NearKey = tuple[str, tuple[str, ...], tuple[str, ...]]
_NEAR: weakref.WeakKeyDictionary[CaseIndex, dict[_NearKey, Near | None]] = weakref.WeakKeyDictionary()
_NEAR_MAX = 4096


def _near(index: CaseIndex, address: str, known_domains: Sequence[str], internal_domains: Sequence[str]) -> Near | None:
    memo = _NEAR.setdefault(index, {})
    key = (address, tuple(known_domains), tuple(internal_domains))
    if key not in memo:
        if len(memo) >= _NEAR_MAX:
            memo.clear()
        memo[key] = lookalike(address, lambda a: bool(index.members_by_email(a)), known_domains, internal_domains)
    return memo[key]


def _lookalikes(index: CaseIndex, document: Document, recipients: Sequence[Recipient],
               org: Organisation) -> dict[str, Lookalike]:
    known_domains = [*org.internal_domains, *org.partner_domains, *COMMON_DOMAINS]
    named = _misnamed(index, document, known_domains)
    out: dict[str, Lookalike] = {}
    for r in recipients:
        if r.cls == RecipientClass.INTERNAL or "@" not in r.address:
            continue
        near = None
        if r.cls in (RecipientClass.UNKNOWN, RecipientClass.PARTNER):
            near = _near(index, r.address, known_domains, org.internal_domains)
        if near is None:  # a one-character slip says more than the name it is shown under
            if r.address in named:
                out[r.address] = named[r.address]
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


# The message's own recipient headers: where a mail program writes the name it picked.
_NAMED_HEADERS = frozenset({"email header To", "email header Cc", "email header Bcc"})
# "Smith, Sarah (Children's Services)": an organisation's note after the name is not the name.
_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _header_names(document: Document) -> Iterator[tuple[str, str]]:
    """(display name, address) of every named address in the message's To/Cc/Bcc."""
    for seg in document.segments:
        if seg.location in _NAMED_HEADERS:
            for name, address in getaddresses([seg.text]):
                if name.strip() and "@" in address:
                    yield _NOTE.sub(" ", name), address.strip().lower()


_DOMAIN = re.compile(r"@([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)
_MAX_MENTIONED = 20


def _mentioned_domains(document: Document) -> list[str]:
    """Mail domains the message itself shows (its headers, a quoted reply): where the named
    person's real address often is."""
    found: dict[str, None] = {}
    for seg in document.segments:
        for m in _DOMAIN.finditer(seg.text):
            found.setdefault(m.group(1).lower(), None)
            if len(found) >= _MAX_MENTIONED:
                return list(found)
    return list(found)


def _misnamed(index: CaseIndex, document: Document, known_domains: Sequence[str]) -> dict[str, Lookalike]:
    """Addresses shown under the full name of a case person, contact or colleague but not theirs
    (an autocomplete slip, a look-alike mailbox): what to suggest instead, saying whose."""
    out: dict[str, Lookalike] = {}
    domains: list[str] | None = None
    for name, address in _header_names(document):
        ws = words(name)
        if len(ws) < 2 or address in out:
            continue  # a first name alone is too common to say whose it is
        named = index.matcher.targets("".join(ws), "name")
        if not named:
            continue
        humans = set().union(*(_group(index, m) for m in named))
        if humans & _humans(index, address):
            continue  # their own address, or one the case file lists for them (a shared family address)
        member = index.data.members[named[0]]
        who = member.name or "a contact of a case"
        domains = domains if domains is not None else [*known_domains, *_mentioned_domains(document)]
        suggestion = _their_address(index, humans, address, ws, domains)
        out[address] = Lookalike(suggestion, f"{who}'s address" if suggestion else "", shown_as=who)
    return out


def _their_address(index: CaseIndex, humans: set[int], typed: str, ws: Sequence[str],
                   known_domains: Sequence[str]) -> str | None:
    """A known address of the named person, found by hashing the usual shapes of their name on
    the usual domains (the index keeps addresses only as keyed hashes)."""
    local, _, domain = typed.rpartition("@")
    first, last = ws[0], ws[-1]
    locals_ = [local, f"{first}.{last}", f"{first}{last}", f"{first}_{last}", f"{first}-{last}",
               f"{first[0]}.{last}", f"{first[0]}{last}", f"{last}.{first}", f"{first}.{''.join(ws[1:])}",
               first, last]
    domains = [d for d in dict.fromkeys([domain, *known_domains]) if not d.startswith("*.")]
    for d in domains:
        for lp in dict.fromkeys(locals_):
            candidate = f"{lp}@{d}"
            if candidate != typed and set(index.members_by_email(candidate)) & humans:
                return candidate
    return None


def _visible(document: Document, org: Organisation, cases: CaseContext) -> tuple[Shown, ...]:
    """Outside addresses the message's To/Cc shows to everyone who receives it, whoever the
    recipients are (a saved message forwarded with --to shows its headers too)."""
    env = document.envelope
    if env is None:
        return ()
    out = []
    for address in dict.fromkeys((*env.to, *env.cc)):
        c = classify(address, org, cases, "email headers")
        if c.cls != RecipientClass.INTERNAL:
            out.append(Shown(c.address, c.cases, is_private(c.cls, c.role)))
    return tuple(out)
