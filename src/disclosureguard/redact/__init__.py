"""Redaction: a copy of a document with the chosen findings truly removed, verified.

A black box over live text is one of the breaches this product catches, so the output
never is one: values go from the text itself (and the PDF content streams), hidden
content and personal metadata go with them, and the copy is read back independently
before anyone gets it. If a removed value can still be found, nothing is returned.

Usage::

    result = redact_analysis(scanner.analyse("letter.docx", to=["mjones@example.net"]))
    write_private(result.data, "letter-redacted.docx")   # mode 0600, atomic
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import DisclosureGuardError
from ..private_files import write_private
from .dispatch import redact_bytes
from .errors import RedactionError
from .select import Removal, Selection, select_findings
from .text import Operators, OperatorSpec
from .values import Target, ValueMatcher
from .verify import Leak, VerificationFailed, Verifier

if TYPE_CHECKING:
    from ..model import Analysis

__all__ = [
    "Leak",
    "RedactionError",
    "RedactionResult",
    "Removal",
    "Selection",
    "Target",
    "VerificationFailed",
    "redact_analysis",
    "redact_values",
    "write_private",
]


@dataclass(frozen=True)
class RedactionResult:
    """The redacted bytes, what was removed (types, places, rules: never values) and the
    checks it passed. It only exists when every check passed (``verified`` is always true)."""

    data: bytes
    removed: list[Removal]
    format: str
    verified: bool
    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def audit_record(self, source: str, recipients: list[str]) -> dict[str, Any]:
        """What the audit trail keeps: never a removed value."""
        return {
            "event": "redact",
            "source": source,
            "recipients": recipients,
            "format": self.format,
            "removed": [r.to_dict() for r in self.removed],
            "types": sorted({r.entity_type for r in self.removed}),
            "verified": self.verified,
            "checks": self.checks,
            "notes": self.notes,
        }


def redact_analysis(
    analysis: Analysis,
    *,
    entities: Collection[str] | None = None,
    all: bool = False,
    operators: Mapping[str, OperatorSpec] | None = None,
) -> RedactionResult:
    """Redact what one scan found. By default the findings behind this recipient's redact or
    block reasons; ``entities`` picks entity types instead; ``all`` removes every finding.
    ``operators`` maps an entity type to replace, mask or hash (text, email and DOCX).

    Raises :class:`VerificationFailed` if the copy still holds a removed value, and
    :class:`RedactionError` if the document cannot be redacted."""
    problems = analysis.document.all_problems()
    if problems:
        parts = "; ".join(f"{p.part} ({p.cause})" for p in problems[:3])
        raise RedactionError(f"{analysis.name}: cannot redact what could not be read: {parts}")
    selection = select_findings(analysis, entities=entities, all=all)
    return redact_values(
        analysis.data,
        analysis.name,
        selection.targets,
        selection.removals,
        operators=operators,
        hidden_targets=selection.hidden_targets,
    )


def redact_values(
    data: bytes,
    name: str,
    targets: list[Target],
    removals: list[Removal] | None = None,
    *,
    operators: Mapping[str, OperatorSpec] | None = None,
    hidden_targets: list[Target] | None = None,
) -> RedactionResult:
    """Redact ``targets`` from a file's bytes and verify the copy (also usable without a scan).
    ``hidden_targets`` are removed only from what a reader does not see (see :class:`Selection`)."""
    matcher = ValueMatcher(targets)
    hidden = ValueMatcher(hidden_targets or [])
    ops = Operators(operators)
    try:
        fmt, data_out, notes = redact_bytes(data, name, matcher, ops, hidden=hidden)
    except DisclosureGuardError:
        raise
    except Exception as e:  # a damaged part the parsers choke on: a clear failure, never a partial copy
        # only the exception's type: its message could quote the document
        raise RedactionError(f"{name}: could not be redacted ({type(e).__name__}); nothing was written") from e
    if not targets and not hidden_targets:
        notes.insert(0, "nothing to remove for this decision; hidden content and metadata were still cleaned")
    if hidden_targets:
        notes.append(
            f"{len(hidden.targets)} value(s) flagged only where a reader does not see them were removed from there "
            "and kept where they are visible"
        )
    verifier = Verifier(targets, hidden_targets or [])
    try:
        checks = verifier.verify(data_out, name, fmt)
    except DisclosureGuardError:
        raise
    except Exception as e:
        raise RedactionError(f"{name}: the redacted copy could not be verified ({type(e).__name__}); "
                             "nothing was written") from e
    return RedactionResult(
        data=data_out, removed=list(removals or []), format=fmt, verified=True, checks=checks, notes=notes
    )
