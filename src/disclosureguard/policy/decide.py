"""The decision: findings + recipients + problems + policy → a decision per recipient, with reasons.

A pure function: no I/O, no model. Every message is for the sender (a social worker) and
never quotes a matched value; it names the person, the kind of detail and where to look.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ..entities import CHILD_IDENTIFIERS, DETAIL_LABELS, IDENTIFYING, NATIONAL_IDENTIFIERS, PERSONAL_DATA, label
from ..model import Action, Finding, Problem, Reason, Recipient, RecipientClass, RecipientVerdict
from ..published_judgment import PUBLIC_RECORD
from .model import Policy, Rule
from .rules_recipients import RECIPIENT_CONDITIONS, MessageFacts, RecipientCondition

_MAX_PLACES = 3
# The roles of roles.py that name no identifiable private individual.
_NOT_PRIVATE_ROLES = frozenset({"professional", "anonymised", "cited-case", "organisation"})
# Special-category words are about a person when the person stands within this many characters
# (about a sentence either side): "Sarah Smith ... refuge" in one paragraph, not a name on page 1
# and "neglect" in a service's statistics on page 9.
_CLOSE = 200


@dataclass(frozen=True)
class Fired:
    """One reason a condition fired: a message and the findings behind it."""

    message: str
    findings: tuple[int, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What the conditions look at for one recipient."""

    recipient: Recipient
    findings: Sequence[Finding]
    problems: Sequence[Problem]
    today: date
    message: MessageFacts | None = None  # who the letter addresses, look-alikes, To/Cc (issue 21)


def is_addressing(f: Finding) -> bool:
    """An address in an addressing header: who the message goes to, not content about someone."""
    return f.is_addressing


def is_professional(f: Finding) -> bool:
    return f.person_role == "professional"


def is_about_no_private_person(f: Finding) -> bool:
    """A professional in role, an anonymised party, a reported case's party or a mailbox
    (roles.py marks the ones no case file knows)."""
    return is_professional(f) or (f.case is None and f.person_role in _NOT_PRIVATE_ROLES)


def is_public_record(f: Finding) -> bool:
    """A name a published judgment heard in public states: public record, so not "personal data"
    on its own; it still makes special-category text about an identifiable person, and a case
    file's person never has this role."""
    return f.case is None and f.person_role == PUBLIC_RECORD


def _content(facts: Facts) -> list[tuple[int, Finding]]:
    """Personal data that counts as content: not addressing, not professionals' work details."""
    return [
        (i, f)
        for i, f in enumerate(facts.findings)
        if f.entity_type in PERSONAL_DATA and not is_addressing(f) and not is_about_no_private_person(f)
    ]


def _places(findings: Sequence[Finding], indices: Sequence[int]) -> str:
    places: list[str] = []
    for i in indices:
        loc = findings[i].location
        if loc not in places:
            places.append(loc)
    more = len(places) - _MAX_PLACES
    text = "; ".join(places[:_MAX_PLACES])
    return f"{text} (and {more} more)" if more > 0 else text


def _whose(f: Finding) -> str:
    if f.person_name:
        return f"{f.person_name}'s"
    return "someone's"


def _detail(f: Finding) -> str:
    return DETAIL_LABELS.get(f.detail or "", label(f.entity_type).removeprefix("a ").removeprefix("an "))


def _group(facts: Facts, items: Sequence[tuple[int, Finding]], key: Callable[[Finding], object]) -> list[list[int]]:
    groups: dict[object, list[int]] = {}
    for i, f in items:
        groups.setdefault(key(f), []).append(i)
    return list(groups.values())


def withheld_detail(facts: Facts, rule: Rule) -> list[Fired]:
    r = facts.recipient
    items = [
        (i, f)
        for i, f in enumerate(facts.findings)
        if f.case and f.person and f.detail and (f.case, f.person, f.detail) in r.withheld
    ]
    hits = []
    for group in _group(facts, items, lambda f: (f.case, f.person, f.detail)):
        f = facts.findings[group[0]]
        hits.append(
            Fired(
                f"{_whose(f)} {_detail(f)} is withheld from {r.display}: {_places(facts.findings, group)}",
                tuple(group),
            )
        )
    return hits


# The message's own recipient list: judged by exposed-recipients (rules_recipients.py), so that
# one message says one thing. An attached email's headers stay content.
_RECIPIENT_LIST_LOCATIONS = frozenset({"email header To", "email header Cc", "email header Bcc"})


def other_family(facts: Facts, rule: Rule) -> list[Fired]:
    r = facts.recipient
    # Only a recipient who is part of some case can be "not part of" another one; partners
    # and unknown recipients have rules of their own.
    if r.cls not in (RecipientClass.CASE_PERSON, RecipientClass.CASE_CONTACT):
        return []
    items = [
        (i, f)
        for i, f in enumerate(facts.findings)
        if f.case and f.case not in r.cases and not is_professional(f) and f.entity_type in PERSONAL_DATA
        and f.location not in _RECIPIENT_LIST_LOCATIONS
    ]
    hits = []
    for group in _group(facts, items, lambda f: f.case):
        f = facts.findings[group[0]]
        hits.append(
            Fired(
                f"data of another family (case {f.case}), which {r.display} is not part of: "
                f"{_places(facts.findings, group)}",
                tuple(group),
            )
        )
    return hits


_EMAIL_TAIL = re.compile(r"[^\s/:<>]+@[^\s/:<>]+$")


def _comparable(f: Finding) -> str:
    """A value as a reader sees it: a link target "mailto:x@y" (or a path ending so) as "x@y"."""
    text = " ".join(f.text.casefold().split())
    if f.entity_type == "EMAIL_ADDRESS":
        tail = _EMAIL_TAIL.search(text)
        return tail.group() if tail else text
    return text


def _shown_elsewhere(facts: Facts) -> set[tuple[str, str]]:
    return {(f.entity_type, _comparable(f)) for f in facts.findings if not f.hidden}


def _is_recipients_own(f: Finding, r: Recipient) -> bool:
    return f.case is not None and f.case in r.cases and f.person is not None and f.person == r.person


def hidden_content(facts: Facts, rule: Rule) -> list[Fired]:
    """Hidden AND not for this recipient: a link target that is its visible text, or the
    recipient's own name in the document title, is not hidden from them."""
    shown = _shown_elsewhere(facts)
    r = facts.recipient
    items = [
        (i, f)
        for i, f in _content(facts)
        if f.hidden and (f.entity_type, _comparable(f)) not in shown and not _is_recipients_own(f, r)
    ]
    hits = []
    for group in _group(facts, items, lambda f: f.location):
        f = facts.findings[group[0]]
        hits.append(
            Fired(
                f"{_hidden_what(facts, group)} in {f.location}: a reader would not see it, "
                f"but it is still in the file {r.display} receives",
                tuple(group),
            )
        )
    return hits


def _hidden_what(facts: Facts, group: Sequence[int]) -> str:
    """ "Mark Jones's name", "someone's phone number": whose and what, never the value."""
    parts: list[str] = []
    for i in group:
        f = facts.findings[i]
        part = f"{_whose(f)} {_detail(f)}"
        if part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _dob_is_childs(f: Finding, today: date) -> bool:
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", f.text)]
    if not years:
        short = re.findall(r"(?<!\d)(\d{2})(?!\d)\s*$", f.text)
        years = [2000 + int(y) if int(y) <= today.year % 100 else 1900 + int(y) for y in short]
    return any(today.year - 18 <= y <= today.year for y in years)


def _is_childs(f: Finding, today: date) -> bool:
    if f.person_role == "child" or f.entity_type in CHILD_IDENTIFIERS:
        return True
    return f.entity_type == "DATE_OF_BIRTH" and _dob_is_childs(f, today)


def _close(a: Finding, b: Finding) -> bool:
    """In the same passage and within about a sentence of each other."""
    if a.segment != b.segment:
        return False
    gap = max(a.start, b.start) - min(a.end, b.end)
    return gap <= _CLOSE


def _special_with_person(facts: Facts, content: list[tuple[int, Finding]]) -> list[int]:
    """Special-category words close to an identifiable private individual: a person of a case or
    an unknown private person (professionals, anonymised parties and mailboxes are not in
    ``content``; places and organisations are not PERSON findings)."""
    people = [(j, g) for j, g in content if g.entity_type in IDENTIFYING]
    special: set[int] = set()
    for i, f in enumerate(facts.findings):
        if f.entity_type != "SPECIAL_CATEGORY":
            continue
        near = [j for j, g in people if _close(f, g)]
        if near:
            special.add(i)
            special.update(near)
    return sorted(special)


def personal_data(facts: Facts, rule: Rule) -> list[Fired]:
    content = _content(facts)
    kinds = set(rule.content)
    chosen: set[int] = set()
    what: list[str] = []
    plain = [i for i, f in content if not is_public_record(f)]
    if "any" in kinds and plain:
        chosen.update(plain)
        what.append("personal data")
    if "child" in kinds:
        found = [i for i, f in content if _is_childs(f, facts.today)]
        if found:
            chosen.update(found)
            what.append("a child's details")
    if "national-identifier" in kinds:
        found = [i for i, f in content if f.entity_type in NATIONAL_IDENTIFIERS]
        if found:
            chosen.update(found)
            what.append(", ".join(sorted({label(facts.findings[i].entity_type) for i in found})))
    if "special-category" in kinds:
        found = _special_with_person(facts, content)
        if found:
            chosen.update(found)
            what.append("special-category information about an identifiable person")
    if not chosen:
        return []
    r = facts.recipient
    ordered = sorted(chosen)
    return [Fired(f"{_recipient_phrase(r)}, and the content holds {'; '.join(what)}: "
                f"{_places(facts.findings, ordered)}", tuple(ordered))]


def _recipient_phrase(r: Recipient) -> str:
    if r.cls == RecipientClass.UNKNOWN:
        return f"{r.display} is not a known recipient for any case"
    if r.cls == RecipientClass.PARTNER:
        return f"{r.display} is a partner agency but not a listed contact of this case"
    return f"{r.display} ({r.cls})"


def unscannable(facts: Facts, rule: Rule) -> list[Fired]:
    return [
        Fired(f"the part {p.part!r} could not be checked ({p.message}), "
            + (f"so it cannot go to {facts.recipient.display} unchecked" if rule.action == Action.BLOCK
               else f"so check it yourself before it goes to {facts.recipient.display}"))
        for p in facts.problems
    ]


def third_party_identifier(facts: Facts, rule: Rule) -> list[Fired]:
    r = facts.recipient
    items = [
        (i, f)
        for i, f in _content(facts)
        if f.entity_type in NATIONAL_IDENTIFIERS
        and not (f.case in r.cases and (f.person == r.person or f.person_role == "child"))
    ]
    hits = []
    for group in _group(facts, items, lambda f: (f.case, f.person, f.entity_type)):
        f = facts.findings[group[0]]
        whose = f"{f.person_name}'s" if f.person_name else "someone else's"
        hits.append(
            Fired(
                f"{whose} {label(f.entity_type).removeprefix('an ').removeprefix('a ')} goes to {r.display}, "
                f"who is not its owner: {_places(facts.findings, group)}",
                tuple(group),
            )
        )
    return hits


def unattributed_person(facts: Facts, rule: Rule) -> list[Fired]:
    items = [(i, f) for i, f in _content(facts) if f.case is None and not is_public_record(f)]
    if not items:
        return []
    indices = [i for i, _ in items]
    kinds = sorted({label(f.entity_type) for _, f in items})
    return [
        Fired(
            f"{', '.join(kinds)} that {'matches' if len(kinds) == 1 else 'match'} no one in the case of "
            f"{facts.recipient.display} "
            f"(a possible third party): {_places(facts.findings, indices)}",
            tuple(indices),
        )
    ]


def _recipient_condition(check: RecipientCondition) -> Callable[[Facts, Rule], list[Fired]]:
    """A recipient rule (rules_recipients.py) as a condition: its messages as hits."""

    def condition(facts: Facts, rule: Rule) -> list[Fired]:
        return [Fired(m) for m in check(facts.recipient, facts.message, rule)] if facts.message else []

    return condition


CONDITION_FUNCTIONS: dict[str, Callable[[Facts, Rule], list[Fired]]] = {
    "withheld-detail": withheld_detail,
    "other-family": other_family,
    "hidden-content": hidden_content,
    "personal-data": personal_data,
    "unscannable": unscannable,
    "third-party-identifier": third_party_identifier,
    "unattributed-person": unattributed_person,
    **{when: _recipient_condition(check) for when, check in RECIPIENT_CONDITIONS.items()},
}


def _selects(selectors: Sequence[str], r: Recipient) -> bool:
    return any(s == r.cls or (s == "family" and r.is_family) for s in selectors)


def applies_to(rule: Rule, r: Recipient) -> bool:
    if rule.recipients and not _selects(rule.recipients, r):
        return False
    return not (rule.recipients_not and _selects(rule.recipients_not, r))


def decide(
    findings: Sequence[Finding],
    recipients: Sequence[Recipient],
    problems: Sequence[Problem],
    policy: Policy,
    today: date | None = None,
    message: MessageFacts | None = None,
) -> tuple[tuple[RecipientVerdict, ...], tuple[Reason, ...]]:
    today = today or date.today()
    verdicts: list[RecipientVerdict] = []
    reasons: list[Reason] = []
    for r in recipients:
        facts = Facts(recipient=r, findings=findings, problems=problems, today=today, message=message)
        action = Action.ALLOW
        for rule in policy.rules:
            if not applies_to(rule, r):
                continue
            for hit in CONDITION_FUNCTIONS[rule.when](facts, rule):
                reasons.append(Reason(rule.id, rule.action, r.address, hit.message, hit.findings))
                action = max(action, rule.action)
        if problems and action == Action.ALLOW:
            # Whatever a policy says, content that could not be read never yields allow.
            action = Action.WARN
            reasons.append(
                Reason("unscannable", Action.WARN, r.address, "some parts could not be read: see errors")
            )
        verdicts.append(RecipientVerdict(r, action))
    return tuple(verdicts), tuple(reasons)
