"""What was made of a package part, kept by the digest of the part's bytes (a bounded number).

A department's documents come from a few templates, and a template's styles, theme, settings
and font table are the same bytes in every document made from it: what depends on those bytes
alone (that a part has nothing to read, the styles' run properties) is worked out for the
first document and known by a BLAKE2b digest for the rest. Safe to share between threads.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PartMemo(Generic[T]):
    """``made(data, make)``: what ``make()`` made of bytes equal to ``data`` before, else
    ``make()``'s answer, kept unless it is None. Past ``kept`` answers the oldest goes."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._made: dict[bytes, T] = {}
        self._lock = threading.Lock()

    def made(self, data: bytes, make: Callable[[], T | None]) -> T | None:
        digest = hashlib.blake2b(data, digest_size=16).digest()
        with self._lock:
            known = self._made.get(digest)
        if known is not None:
            return known
        answer = make()  # outside the lock: two threads may both make it, and keep one
        if answer is not None:
            with self._lock:
                if len(self._made) >= self.kept and digest not in self._made:
                    self._made.pop(next(iter(self._made)))
                self._made[digest] = answer
        return answer

    def __len__(self) -> int:
        return len(self._made)

    def clear(self) -> None:
        with self._lock:
            self._made.clear()
