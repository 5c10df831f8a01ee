"""The CLI's isolated scanner: ``Scanner.scan`` in one killable worker process.

For a command given ``--time-limit``: the file is read here (within max_bytes) and scanned
there; past the time limit the worker is killed and the verdict is a ``timeout`` error.
"""

from __future__ import annotations

from .judge import ScannerConfig
from .pool import ScanPool


class IsolatedScanner(ScanPool):
    """A one-worker :class:`ScanPool` whose time limit is the configuration's ``time_limit``."""

    def __init__(self, config: ScannerConfig) -> None:
        super().__init__(config, workers=1, time_limit=config.limits.time_limit)
