"""An append-only, hash-chained audit log (JSON lines).

Each record carries ``prev``: the SHA-256 of the previous line as written (the first
record's ``prev`` is 64 zeros), so deleting, reordering or editing a line breaks the chain
at that line. Records are appended under an exclusive ``flock`` with one ``write`` on an
``O_APPEND`` descriptor and an ``fsync``, so several processes can share one log. The file
is created mode 0600: it names senders and recipients.

Records never hold a matched value: callers pass entity types and locations only
(:func:`findings_summary` builds that part from a verdict).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .masking import folded_values, place_words
from .model import Finding

GENESIS = "0" * 64
_TAIL_READ = 1 << 16  # bytes read back from the end to find the last line


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    records: int  # lines checked and found sound
    line: int | None = None  # 1-based line number of the first break
    message: str = ""


def line_hash(line: bytes) -> str:
    """The hash that the next record's ``prev`` must hold (of the line without its newline)."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


class AuditLog:
    """``AuditLog(path).append({...})`` adds one chained record and returns it as written."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # flock is per open file; this orders threads of one process

    def append(self, record: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                full: dict[str, Any] = {"time": _now(), **record, "prev": _last_hash(self.path)}
                line = json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(f"{self.path}: short write to the audit log ({written} of {len(line)} bytes)")
                os.fsync(fd)
                return full
            finally:
                os.close(fd)  # closing releases the flock


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _last_hash(path: Path) -> str:
    """The hash of the last complete line of ``path``, or the genesis value for an empty log."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return GENESIS
        start = max(0, size - _TAIL_READ)
        while True:
            fh.seek(start)
            tail = fh.read(size - start)
            body = tail.rstrip(b"\n")
            cut = body.rfind(b"\n")
            if cut >= 0 or start == 0:
                return line_hash(body[cut + 1:])
            start = max(0, start - _TAIL_READ)  # a line longer than the window: read further back


def verify(path: str | os.PathLike[str]) -> VerifyResult:
    """Check every line parses and chains to the one before it."""
    try:
        with Path(path).open("rb") as fh:
            return _verify_lines(fh)
    except OSError as e:
        return VerifyResult(False, 0, None, f"{path}: cannot be read ({e.strerror or type(e).__name__})")


def _verify_lines(lines: Iterable[bytes]) -> VerifyResult:
    prev = GENESIS
    count = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.endswith(b"\n"):
            return VerifyResult(False, count, number, "the last line is incomplete (no newline)")
        try:
            record = json.loads(raw)
        except ValueError:
            return VerifyResult(False, count, number, "not a JSON record")
        if not isinstance(record, dict):
            return VerifyResult(False, count, number, "not a JSON object")
        if record.get("prev") != prev:
            return VerifyResult(False, count, number, "prev does not match the hash of the previous line")
        prev = line_hash(raw)
        count += 1
    return VerifyResult(True, count)


def findings_summary(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as type, location and whose case: never the matched text, nor a hash of it,
    nor an attachment name that holds it."""
    listed = list(findings)
    hidden = folded_values(f.text for f in listed)
    return [
        {"type": f.entity_type, "location": place_words(f.place, hidden), "hidden": f.hidden, "case": f.case,
         "detail": f.detail}
        for f in listed
    ]
