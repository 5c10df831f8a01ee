"""Progress on a terminal: files done, rate, ETA and the decisions so far. Silent otherwise."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import TextIO

DECISIONS = ("block", "redact", "warn", "allow")


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, interval: float = 0.25) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.total: int | None = None
        self.done = 0  # resumed + scanned
        self.scanned = 0  # scanned in this run
        self.errors = 0
        self.decisions: Counter[str] = Counter()
        self._started = time.monotonic()
        self._last = 0.0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the clock (once the workers are ready, so the rate is the scanning rate)."""
        self._started = time.monotonic()

    def count_in_background(self, counter: Callable[[], int]) -> None:
        """Learn the total without delaying the run (only worth it when someone is watching)."""
        if not self.enabled:
            return

        def work() -> None:
            try:
                total = counter()
            except OSError:  # a source that can't be listed shows up as an error record anyway
                return
            with self._lock:
                self.total = total

        threading.Thread(target=work, name="batch-count", daemon=True).start()

    def skipped(self) -> None:
        self.done += 1
        self._maybe_draw()

    def scanned_one(self, decision: str, errors: int) -> None:
        self.done += 1
        self.scanned += 1
        self.decisions[decision] += 1
        self.errors += 1 if errors else 0
        self._maybe_draw()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = self.scanned / elapsed
        with self._lock:
            total = self.total
        parts = [f"{self.done:,}" + (f"/{total:,}" if total else "") + " files", f"{rate:,.1f}/s"]
        if total and rate > 0 and total >= self.done:
            parts.append("ETA " + _duration((total - self.done) / rate))
        parts.append(" ".join(f"{d} {self.decisions[d]:,}" for d in DECISIONS))
        if self.errors:
            parts.append(f"errors {self.errors:,}")
        return "  ".join(parts)

    def _maybe_draw(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K" + self.line() + "\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
