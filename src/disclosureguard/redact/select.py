"""Which findings a redaction removes, and under which rule."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..masking import folded_values, place_words
from ..model import Action, Finding
from .values import Target, ValueMatcher, alnum_key

if TYPE_CHECKING:
    from ..model import Analysis

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


def stays(f: Finding) -> bool:
    """A finding no redaction removes: an address in an addressing header (it says where the
    message goes) or a value too short to find again."""
    return f.is_addressing or len(alnum_key(f.text)) < 2


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
        if stays(f):
            continue
        removals.append(Removal(f.entity_type, place_words(f.place, withheld), ", ".join(rules[i])))
        target = Target(f.text, f.entity_type)
        matcher = ValueMatcher([target])
        if rules[i] == [HIDDEN_CONTENT] and f.hidden and any(matcher.search(t) for t in visible):
            hidden_only.append(target)
        else:
            targets.append(target)
    everywhere = {alnum_key(t.value) for t in targets}
    return Selection(removals, targets, [t for t in hidden_only if alnum_key(t.value) not in everywhere])
