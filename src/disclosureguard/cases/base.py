"""What the rest of the scanner needs from case context, and the empty context."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..model import Finding, Recipient, Segment


@runtime_checkable
class CaseContext(Protocol):
    """Whose data a finding is, and who a recipient is, across every known case."""

    def attribute(self, segments: Sequence[Segment], findings: Sequence[Finding]) -> list[Finding]:
        """Return the findings with case/person/detail filled in where a known value matches,
        plus findings for known values the recognisers missed (exact-data match)."""
        ...

    def recipient(self, address: str) -> Recipient | None:
        """A ``case-person`` or ``case-contact`` recipient for this email address, else None."""
        ...

    def addressee(self, segments: Sequence[Segment]) -> Recipient | None:
        """The case person a letter is addressed to (salutation, address block), else None."""
        ...

    def __len__(self) -> int:
        """How many cases are known."""
        ...


class NoCases:
    """No case context: nothing is attributed and no recipient is a case person."""

    def attribute(self, segments: Sequence[Segment], findings: Sequence[Finding]) -> list[Finding]:
        return list(findings)

    def recipient(self, address: str) -> Recipient | None:
        return None

    def addressee(self, segments: Sequence[Segment]) -> Recipient | None:
        return None

    def __len__(self) -> int:
        return 0
