"""``ScanService``: the one face of every way this package scans.

``Scanner`` scans in this process; ``ScanPool`` scans in worker processes killed at the time
limit (the mail hook, the batch scanner); ``IsolatedScanner`` is a one-worker pool for a CLI
scan given ``--time-limit``. A shell holds a ``ScanService`` and does not ask which it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .model import Analysis, Verdict
from .source import Source


class ScanService(Protocol):
    def scan(
        self, source: Source, to: Sequence[str] | None = None, *, name: str | None = None,
        media_type: str | None = None,
    ) -> Verdict:
        """The verdict on ``source`` (a path, bytes or a binary file object); ``to`` overrides the
        recipients. A source that could not be scanned is an error verdict, never an allow."""
        ...

    def analyse(
        self, source: Source, to: Sequence[str] | None = None, *, name: str | None = None,
        media_type: str | None = None,
    ) -> Analysis:
        """Like :meth:`scan`, keeping the document, segments and findings (for redaction)."""
        ...

    def close(self) -> None:
        """Release what the service holds (worker processes); it scans no more after this."""
        ...
