"""Who has received mail about each case: a per-case history of recipient addresses, kept as
keyed hashes (the case index's key discipline: the key comes from DISCLOSUREGUARD_INDEX_KEY or
a 0600 key file beside the history, and no address is stored in clear).

The history is learnt from the gateway's and the CLI's own decisions (a recipient who was not
blocked received the case's data) and lets the ``new-recipient`` rule warn the first time a
case's data goes to an outside address. It is one JSON file, mode 0600, rewritten atomically
under an exclusive lock, so several scanning processes can learn into it at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from .cases.index_file import resolve_key
from .errors import CaseFileError
from .private_files import write_private

_VERSION = 1


class RecipientHistory:
    def __init__(self, path: str | os.PathLike[str], key: str | bytes | None = None) -> None:
        self.path = Path(path)
        master, _ = resolve_key(self.path, key, create=True)
        self._key = hmac.digest(master, b"disclosureguard recipient history v1", hashlib.sha256)

    def _hash(self, case: str, address: str) -> str:
        # The case is in the hash too: one address's entries in two cases cannot be linked.
        return hmac.digest(self._key, f"{case}\0{address.strip().casefold()}".encode(), hashlib.sha256)[:16].hex()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock = Path(str(self.path) + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {"version": _VERSION, "started": None, "cases": {}}
        except (OSError, ValueError) as e:
            raise CaseFileError(str(self.path), "", f"a readable recipient history ({type(e).__name__})") from None
        if not isinstance(data, dict) or data.get("version") != _VERSION or not isinstance(data.get("cases"), dict):
            raise CaseFileError(str(self.path), "", "a recipient history written by this version")
        return data

    def _write(self, data: dict[str, Any]) -> None:
        write_private(json.dumps(data, sort_keys=True, indent=1).encode("utf-8"), self.path)

    def started(self) -> date | None:
        """The day the history began learning."""
        value = self._read().get("started")
        return date.fromisoformat(value) if value else None

    def learning(self, today: date, days: int) -> bool:
        """Still in the learning period: nothing is new until it has learnt for ``days`` days."""
        start = self.started()
        return start is None or (today - start).days < days

    def known(self, case: str, address: str) -> bool:
        return self._hash(case, address) in self._read()["cases"].get(case, {})

    def learn(self, pairs: Iterable[tuple[str, str]], today: date) -> None:
        """Record that each (case, address) received that case's data today."""
        pairs = list(pairs)
        with self._locked():
            data = self._read()
            if data.get("started") is None:
                data["started"] = today.isoformat()
            if not pairs and self.path.exists():
                return
            for case, address in pairs:
                entry = data["cases"].setdefault(case, {}).setdefault(
                    self._hash(case, address), {"first": today.isoformat(), "count": 0})
                entry["count"] += 1
                entry["last"] = today.isoformat()
            self._write(data)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per case: (distinct recipient addresses, messages)."""
        return {case: (len(entries), sum(e["count"] for e in entries.values()))
                for case, entries in sorted(self._read()["cases"].items())}

    def forget(self, address: str, case: str | None = None) -> int:
        """Remove an address from one case's history or from all; how many entries went."""
        with self._locked():
            data = self._read()
            removed = 0
            for c, entries in data["cases"].items():
                if case is None or c == case:
                    removed += entries.pop(self._hash(c, address), None) is not None
            data["cases"] = {c: e for c, e in data["cases"].items() if e}
            if removed:
                self._write(data)
            return removed
