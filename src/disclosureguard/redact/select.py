"""Which findings a redaction removes, and under which rule."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import Action, Finding
from .values import Target, alnum_key

if TYPE_CHECKING:
    from ..scanner import Analysis

# An email's addressing headers stay as they are: they say where the message goes.
ADDRESSING_FIELDS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
RULE_ENTITIES = "requested: entity types"
RULE_ALL = "requested: all findings"


@dataclass(frozen=True)
class Removal:
    """One finding removed: its type, where it stood and the rule that asked for it (never its value)."""

    entity_type: str
    location: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity_type": self.entity_type, "location": self.location, "rule": self.rule}


def is_addressing(f: Finding) -> bool:
    return f.kind == "email-header" and f.location.rsplit(" ", 1)[-1].lower() in ADDRESSING_FIELDS


def select_findings(
    analysis: Analysis, *, entities: Collection[str] | None = None, all: bool = False
) -> tuple[list[Removal], list[Target]]:
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
    for i in sorted(rules):
        f = findings[i]
        if is_addressing(f) or len(alnum_key(f.text)) < 2:
            continue
        removals.append(Removal(f.entity_type, f.location, ", ".join(rules[i])))
        targets.append(Target(f.text, f.entity_type))
    return removals, targets
