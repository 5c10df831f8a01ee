"""Rules about who a message goes to rather than what it holds (issue 21): the letter greets
someone else (``addressee-mismatch``), an address looks like a known one (``lookalike-recipient``),
outside recipients who can see each other (``exposed-recipients``).

The facts are worked out before the decision (``recipient_facts.py``: the letter's parties from
the case index, look-alike addresses by keyed-hash lookups), so these conditions stay pure.
Messages go to the sender, as every reason does; the mail hook's replies and logs carry the
rule id only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import RecipientClass

if TYPE_CHECKING:
    from .decide import Facts, Hit
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
    suggestion: str  # the known address
    whose: str  # "Sarah Smith's address", "the organisation's domain", ...


@dataclass(frozen=True)
class PostalAddress:
    """The letter's address block is an address its addressee left, or a withheld address."""

    name: str  # whose address it is (the case file's display name)
    left: str | None  # the date they left it (ISO); None for a withheld address


@dataclass(frozen=True)
class MessageFacts:
    """What the recipient rules look at, for the whole message."""

    # Per recipient address: the addressees of the letter who are not this recipient, when no
    # recipient is the addressee. Empty when recipients were not given (read from the letter).
    mismatched: Mapping[str, tuple[Addressee, ...]] = field(default_factory=dict)
    lookalikes: Mapping[str, Lookalike] = field(default_factory=dict)
    # Outside recipients in To/Cc (not Bcc), each with its cases and whether it is private.
    visible: tuple[tuple[str, tuple[str, ...], bool], ...] = ()
    # Per recipient address: the letter's address block is an old or a withheld address.
    postal: Mapping[str, tuple[PostalAddress, ...]] = field(default_factory=dict)
    # Per recipient address: the cases whose data it gets and that never went to it before.
    new_cases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def addressee_mismatch(facts: Facts, rule: Rule) -> list[Hit]:
    from .decide import Hit

    r = facts.recipient
    hits = []
    for a in facts.message.mismatched.get(r.address, ()) if facts.message else ():
        if a.relation == "same-case":
            who = f"{r.display}, another person of the same case"
        elif a.relation == "other-case":
            who = f"{r.display}, who is of another case"
        else:
            who = f"{r.display}, and {a.name} is not among the recipients"
        hits.append(Hit(f"the {a.part} addresses {a.name}, but it goes to {who}: check the recipient"))
    return hits


def lookalike_recipient(facts: Facts, rule: Rule) -> list[Hit]:
    from .decide import Hit

    r = facts.recipient
    near = facts.message.lookalikes.get(r.address) if facts.message else None
    if near is None:
        return []
    return [Hit(f"{r.address} is not known but looks like {near.whose}: did you mean {near.suggestion}?")]


def exposed_recipients(facts: Facts, rule: Rule) -> list[Hit]:
    from .decide import Hit

    visible = facts.message.visible if facts.message else ()
    if len(visible) < 2:
        return []
    limit = rule.limit if rule.limit is not None else DEFAULT_MAX_VISIBLE
    cases = [set(c) for _, c, _ in visible if c]
    apart = any(not (a & b) for i, a in enumerate(cases) for b in cases[i + 1 :])
    private = sum(1 for *_, p in visible if p)
    if apart:
        why = "recipients of different cases"
    elif private > limit:
        why = f"{private} private addresses (more than {limit})"
    else:
        return []
    return [Hit(f"To/Cc shows {why} to each other: their own addresses are disclosed; "
                "use Bcc or separate messages")]


def old_address(facts: Facts, rule: Rule) -> list[Hit]:
    from .decide import Hit

    hits = []
    for a in facts.message.postal.get(facts.recipient.address, ()) if facts.message else ():
        if a.left is not None:
            hits.append(Hit(f"the letter is addressed to an address {a.name} left on {a.left}: "
                            "check the address in the case record"))
        else:
            hits.append(Hit(f"the letter is addressed to {a.name}'s address, which is withheld: "
                            f"only {a.name} may receive it"))
    return hits


def new_recipient(facts: Facts, rule: Rule) -> list[Hit]:
    from .decide import Hit

    r = facts.recipient
    return [Hit(f"{r.display} has never before received mail about case {case}: check it is the right address")
            for case in (facts.message.new_cases.get(r.address, ()) if facts.message else ())]


def is_private(cls: str, role: str | None) -> bool:
    """A private individual's address: a family member, or an address no one knows."""
    return cls == RecipientClass.UNKNOWN or (cls == RecipientClass.CASE_PERSON and role != "professional")


RECIPIENT_CONDITIONS: dict[str, Callable[[Facts, Rule], list[Hit]]] = {
    "addressee-mismatch": addressee_mismatch,
    "lookalike-recipient": lookalike_recipient,
    "exposed-recipients": exposed_recipients,
    "old-address": old_address,
    "new-recipient": new_recipient,
}
