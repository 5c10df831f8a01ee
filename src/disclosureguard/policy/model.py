"""A policy as data: the organisation's domains and details, and a list of rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Action

CONDITIONS = (
    "withheld-detail",
    "other-family",
    "hidden-content",
    "personal-data",
    "unscannable",
    "third-party-identifier",
    "unattributed-person",
    "addressee-mismatch",
    "lookalike-recipient",
    "exposed-recipients",
    "old-address",
    "new-recipient",
)
CONTENT_KINDS = ("child", "national-identifier", "special-category", "any")
# Recipient classes a rule may name, plus "family": a case person who is not a professional.
RECIPIENT_SELECTORS = ("internal", "case-person", "case-contact", "partner", "unknown", "family")


@dataclass(frozen=True)
class Organisation:
    name: str = ""
    internal_domains: tuple[str, ...] = ()
    partner_domains: tuple[str, ...] = ()
    own_details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: str
    action: Action
    recipients: tuple[str, ...] = ()  # empty: every recipient
    recipients_not: tuple[str, ...] = ()
    content: tuple[str, ...] = ("any",)
    description: str = ""
    limit: int | None = None  # a number the condition uses (exposed-recipients: outside private addresses)
    origin: str = "default"  # "default", or the policy file that added or changed the rule


@dataclass(frozen=True)
class Policy:
    organisation: Organisation
    rules: tuple[Rule, ...]
    min_score: float = 0.5
    source: str = "default policy"
    overridable: tuple[str, ...] = field(default=("warn",))
    disabled: tuple[Rule, ...] = ()  # default rules this policy switched off, as they were
    # Block-level default rules this policy switched off or made less strict (set by the loader).
    weakened_blocks: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """What this policy took away from the defaults, said in every verdict."""
        return tuple(f"rule {r.id} is switched off by policy {self.source}" for r in self.disabled)
