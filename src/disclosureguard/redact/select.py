"""Which findings a redaction removes, and under which rule."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..masking import folded_values, mask
from ..model import Action, Finding
from .values import Target, ValueMatcher, alnum_key

if TYPE_CHECKING:
    from ..model import Analysis

# An email's addressing headers stay as they are: they say where the message goes.
ADDRESSING_FIELDS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
RULE_ENTITIES = "requested: entity types"
RULE_ALL = "requested: all findings"
HIDDEN_CONTENT = "hidden-content"


class Removal(NamedTuple):
    """One finding removed: its type, where it stood and the rule that asked for it (never its
    value). A named tuple, so ``for entity_type, location, rule in result.removed`` works."""

    entity_type: str
    location: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity_type": self.entity_type, "location": self.location, "rule": self.rule}


def is_addressing(f: Finding) -> bool:
    return f.kind == "email-header" and f.location.rsplit(" ", 1)[-1].lower() in ADDRESSING_FIELDS


@dataclass(frozen=True)
class Selection:
    """What to remove. ``targets`` go wherever they appear. ``hidden_targets`` were flagged
    only for standing where a reader does not see them (an author field, a comment) while
    the same value is also in the visible text, where no rule asked for its removal (the
    social worker who wrote and signed the letter): they go with the hidden content only."""

    removals: list[Removal]
    targets: list[Target]
    hidden_targets: list[Target]


def select_findings(
    analysis: Analysis, *, entities: Collection[str] | None = None, all: bool = False
) -> Selection:
    """The findings to remove: by default those behind a redact or block reason; ``entities``
    picks entity types instead; ``all`` takes every finding. Addressing headers are kept."""
    findings = analysis.findings
    rules: dict[int, list[str]] = {}
    if all:
        for i in range(len(findings)):
            rules[i] = [RULE_ALL]
    elif entities:
        wanted = {e.strip().upper() for e in entities if e.strip()}
        for i, f in enumerate(findings):
            if f.entity_type in wanted:
                rules[i] = [RULE_ENTITIES]
    else:
        for reason in analysis.verdict.reasons:
            if reason.action >= Action.REDACT:
                for i in reason.findings:
                    if 0 <= i < len(findings) and reason.rule not in rules.setdefault(i, []):
                        rules[i].append(reason.rule)
    removals: list[Removal] = []
    targets: list[Target] = []
    hidden_only: list[Target] = []
    visible = [s.text for s in analysis.segments if not s.hidden]
    # Removals go to the audit trail: a place named after a value must not carry it there.
    withheld = folded_values(f.text for f in findings)
    for i in sorted(rules):
        f = findings[i]
        if is_addressing(f) or len(alnum_key(f.text)) < 2:
            continue
        removals.append(Removal(f.entity_type, mask(f.location, withheld), ", ".join(rules[i])))
        target = Target(f.text, f.entity_type)
        matcher = ValueMatcher([target])
        if rules[i] == [HIDDEN_CONTENT] and f.hidden and any(matcher.search(t) for t in visible):
            hidden_only.append(target)
        else:
            targets.append(target)
    everywhere = {alnum_key(t.value) for t in targets}
    return Selection(removals, targets, [t for t in hidden_only if alnum_key(t.value) not in everywhere])
