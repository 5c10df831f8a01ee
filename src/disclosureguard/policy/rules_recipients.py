"""Rules about who a message goes to rather than what it holds (issue 21): the letter greets
someone else (``addressee-mismatch``), an address looks like a known one (``lookalike-recipient``),
outside recipients who can see each other (``exposed-recipients``).

The facts are worked out before the decision (``recipient_facts.py``: the letter's parties from
the case index, look-alike addresses by keyed-hash lookups), so these conditions stay pure.
Each takes the recipient, the message's facts and the rule, and returns the reasons' messages:
``decide.py`` wraps them as conditions, so this module needs nothing from it (no import cycle).
Messages go to the sender, as every reason does; the mail hook's replies and logs carry the
rule id only.

Exposure of the recipient list is this module's alone: an address in the message's own To/Cc
is judged here (``exposed-recipients``), never as content by ``other-family``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Recipient, RecipientClass

if TYPE_CHECKING:
    from .model import Rule

DEFAULT_MAX_VISIBLE = 5  # outside private addresses one To/Cc may show each other
DEFAULT_LEARNING_DAYS = 14  # new-recipient: days the history learns before anything is new


@dataclass(frozen=True)
class Addressee:
    """A person the letter addresses, and how they stand to one recipient."""

    name: str  # the case file's display name
    part: str  # "address block" or "salutation"
    relation: str  # "same-case" (another person of the recipient's case), "other-case", "outside"


@dataclass(frozen=True)
class Lookalike:
    suggestion: str | None  # the known address (None: the named person's address was not found)
    whose: str  # "Sarah Smith's address", "the organisation's domain", ...
    shown_as: str | None = None  # the case file's name of the person the address is shown under


@dataclass(frozen=True)
class PostalAddress:
    """The letter's address block is an address its addressee left, or a withheld address."""

    name: str  # whose address it is (the case file's display name)
    left: str | None  # the date they left it (ISO); None for a withheld address


@dataclass(frozen=True)
class Shown:
    """An outside address in the message's To/Cc."""

    address: str
    cases: tuple[str, ...]  # the cases it belongs to (a person or contact of each)
    private: bool  # a family member or an address no one knows


@dataclass(frozen=True)
class MessageFacts:
    """What the recipient rules look at, for the whole message."""

    # Per recipient address: the addressees of the letter who are not this recipient, when no
    # recipient is the addressee. Empty when recipients were not given (read from the letter).
    mismatched: Mapping[str, tuple[Addressee, ...]] = field(default_factory=dict)
    lookalikes: Mapping[str, Lookalike] = field(default_factory=dict)
    # Outside addresses the message's own To/Cc shows to whoever receives it (a Bcc header left
    # in a saved copy is not shown: mail programs send without it), with cases and privacy.
    visible: tuple[Shown, ...] = ()
    # Per recipient address: the letter's address block is an old or a withheld address.
    postal: Mapping[str, tuple[PostalAddress, ...]] = field(default_factory=dict)
    # Per recipient address: the cases whose data it gets and that never went to it before.
    new_cases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def addressee_mismatch(r: Recipient, message: MessageFacts, rule: Rule) -> list[str]:
    hits = []
    for a in message.mismatched.get(r.address, ()):
        if a.relation == "same-case":
            who = f"{r.display}, another person of the same case"
        elif a.relation == "other-case":
            who = f"{r.display}, who is of another case"
        else:
            who = f"{r.display}, and {a.name} is not among the recipients"
        hits.append(f"the {a.part} addresses {a.name}, but it goes to {who}: check the recipient")
    return hits


def lookalike_recipient(r: Recipient, message: MessageFacts, rule: Rule) -> list[str]:
    near = message.lookalikes.get(r.address)
    if near is None:
        return []
    if near.shown_as is not None:
        said = f"{r.address} is shown as {near.shown_as} but is not {near.shown_as}'s address"
        if near.suggestion is None:
            return [f"{said}: check the address in the case record"]
        return [f"{said}: did you mean {near.suggestion} ({near.whose})?"]
    return [f"{r.address} is not known but looks like {near.whose}: did you mean {near.suggestion}?"]


def exposed_recipients(r: Recipient, message: MessageFacts, rule: Rule) -> list[str]:
    """To/Cc shows families to each other, shows this recipient (of a case) another family's
    address, or shows more private addresses than the limit."""
    shown = message.visible
    cases = [set(s.cases) for s in shown if s.cases]
    if any(not (a & b) for i, a in enumerate(cases) for b in cases[i + 1 :]):
        return ["To/Cc shows recipients of different cases to each other: their own addresses are disclosed; "
                "use Bcc or separate messages"]
    if r.cls in (RecipientClass.CASE_PERSON, RecipientClass.CASE_CONTACT):
        foreign = sorted({c for s in shown if s.cases and not set(s.cases) & set(r.cases) for c in s.cases})
        if foreign:
            return [f"To/Cc shows the address of someone of case {', '.join(foreign)}, which {r.display} is not "
                    "part of: use Bcc or separate messages"]
    limit = rule.limit if rule.limit is not None else DEFAULT_MAX_VISIBLE
    private = sum(1 for s in shown if s.private)
    if len(shown) >= 2 and private > limit:
        return [f"To/Cc shows {private} private addresses (more than {limit}) to each other: their own addresses "
                "are disclosed; use Bcc or separate messages"]
    return []


def old_address(r: Recipient, message: MessageFacts, rule: Rule) -> list[str]:
    hits = []
    for a in message.postal.get(r.address, ()):
        if a.left is not None:
            hits.append(f"the letter is addressed to an address {a.name} left on {a.left}: "
                        "check the address in the case record")
        else:
            hits.append(f"the letter is addressed to {a.name}'s address, which is withheld: "
                        f"only {a.name} may receive it")
    return hits


def new_recipient(r: Recipient, message: MessageFacts, rule: Rule) -> list[str]:
    return [f"{r.display} has never before received mail about case {case}: check it is the right address"
            for case in message.new_cases.get(r.address, ())]


def is_private(cls: str, role: str | None) -> bool:
    """A private individual's address: a family member, or an address no one knows."""
    return cls == RecipientClass.UNKNOWN or (cls == RecipientClass.CASE_PERSON and role != "professional")


# Each: (recipient, the message's facts, rule) -> the reasons' messages.
RecipientCondition = Callable[[Recipient, MessageFacts, "Rule"], list[str]]
RECIPIENT_CONDITIONS: dict[str, RecipientCondition] = {
    "addressee-mismatch": addressee_mismatch,
    "lookalike-recipient": lookalike_recipient,
    "exposed-recipients": exposed_recipients,
    "old-address": old_address,
    "new-recipient": new_recipient,
}
