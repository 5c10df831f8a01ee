"""What the rest of the scanner needs from case context, and the empty context."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..model import Finding, Recipient, Segment
from .matching import Attribution


@runtime_checkable
class CaseContext(Protocol):
    """Whose data a finding is, and who a recipient is, across every known case."""

    def attribution(self, segments: Sequence[Segment]) -> Attribution | None:
        """The known values in the segments, each resolved to whose it is (None without an
        index). A scan makes it once and passes it to ``attribute`` and ``addressee``."""
        ...

    def attribute(
        self, segments: Sequence[Segment], findings: Sequence[Finding], attribution: Attribution | None = None
    ) -> list[Finding]:
        """Return the findings with case/person/detail filled in where a known value matches,
        plus findings for known values the recognisers missed (exact-data match)."""
        ...

    def recipient(self, address: str) -> Recipient | None:
        """A ``case-person`` or ``case-contact`` recipient for this email address, else None."""
        ...

    def addressee(self, segments: Sequence[Segment], attribution: Attribution | None = None) -> Recipient | None:
        """The case person a letter is addressed to (salutation, address block), else None."""
        ...

    def __len__(self) -> int:
        """How many cases are known."""
        ...


class NoCases:
    """No case context: nothing is attributed and no recipient is a case person."""

    def attribution(self, segments: Sequence[Segment]) -> Attribution | None:
        return None

    def attribute(
        self, segments: Sequence[Segment], findings: Sequence[Finding], attribution: Attribution | None = None
    ) -> list[Finding]:
        return list(findings)

    def recipient(self, address: str) -> Recipient | None:
        return None

    def addressee(self, segments: Sequence[Segment], attribution: Attribution | None = None) -> Recipient | None:
        return None

    def __len__(self) -> int:
        return 0
