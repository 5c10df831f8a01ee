"""The checkpoint: an SQLite database (WAL) of every item already scanned and its record.

One row per item path, committed as soon as its verdict arrives, so a run stopped at any
moment (Ctrl-C, kill -9, a power cut of the parent) resumes with everything it had: an item
whose path and fingerprint are here is not scanned again. The JSON lines report is
rebuilt from these rows, so it holds exactly one verdict per item.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import Action
from .secure import touch_private

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    path TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL,
    sha256 TEXT,
    decision TEXT NOT NULL,
    severity INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    record TEXT NOT NULL,
    scanned_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS items_seq ON items (seq);
CREATE INDEX IF NOT EXISTS items_worst ON items (severity DESC, errors DESC, path);
"""


class Checkpoint:
    """What has been scanned. Use from one thread (the runner's)."""

    def __init__(self, path: str | Path, settings: dict[str, Any]) -> None:
        self.path = Path(path)
        touch_private(self.path)  # SQLite gives its -wal and -shm files the database's mode
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        self._db.executescript(_SCHEMA)
        self._check_settings(settings)
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM items").fetchone()
        self._seq = int(row[0])

    def _check_settings(self, settings: dict[str, Any]) -> None:
        wanted = json.dumps({"schema": SCHEMA_VERSION, **settings}, sort_keys=True)
        row = self._db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta (key, value) VALUES ('settings', ?)", (wanted,))
            return
        if row[0] != wanted:
            old = json.loads(row[0])
            new = json.loads(wanted)
            differ = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            raise ConfigError(
                str(self.path), ", ".join(differ),
                "this output folder holds a run made with other settings; resume with the same "
                "settings, or use a new --out folder to start again",
            )

    def fingerprint(self, path: str) -> str | None:
        row = self._db.execute("SELECT fingerprint FROM items WHERE path = ?", (path,)).fetchone()
        return None if row is None else str(row[0])

    def is_done(self, path: str, fingerprint: str) -> bool:
        return self.fingerprint(path) == fingerprint

    def commit(self, record: dict[str, Any], fingerprint: str) -> bool:
        """Store one item's record; True when it replaced an older record of the same path."""
        decision = record["decision"]
        self._seq += 1
        replaced = self.fingerprint(record["path"]) is not None
        self._db.execute(
            "INSERT OR REPLACE INTO items (path, seq, fingerprint, size, mtime, sha256, decision, severity,"
            " errors, record, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["path"], self._seq, fingerprint, record["size"], record.get("mtime"), record.get("sha256"),
                decision, int(Action.parse(decision)), len(record.get("errors") or ()),
                json.dumps(record, ensure_ascii=False), time.time(),
            ),
        )
        return replaced

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def decision_counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT decision, COUNT(*) FROM items GROUP BY decision").fetchall()
        return {str(d): int(n) for d, n in rows}

    def worst(self) -> Action:
        row = self._db.execute("SELECT MAX(severity) FROM items").fetchone()
        return Action(row[0]) if row and row[0] is not None else Action.ALLOW

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record, in the order they were scanned, streamed."""
        yield from self._stream("SELECT record FROM items ORDER BY seq")

    def records_worst_first(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        sql = "SELECT record FROM items ORDER BY severity DESC, errors DESC, path"
        yield from self._stream(sql + (f" LIMIT {int(limit)}" if limit is not None else ""))

    def _stream(self, sql: str) -> Iterator[dict[str, Any]]:
        cursor = self._db.execute(sql)
        while rows := cursor.fetchmany(500):
            for (text,) in rows:
                yield json.loads(text)

    def close(self) -> None:
        self._db.close()
