"""The desk's data: reviewers, held messages, sweep findings and reviewers' marks.

One SQLite file, created mode 0600 before SQLite opens it (SQLite gives its -wal and -shm
files the database file's mode), in WAL mode so the milter can record a hold while the desk
reads. Every call opens its own connection: the milter writes from executor threads and the
web application reads from its thread pool.

The store holds values (the verdicts of held messages, with the matched texts): only the
desk's item pages show them, and only to a signed-in reviewer.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT PRIMARY KEY,          -- the name typed, whether or not such a user exists
    count INTEGER NOT NULL,
    last REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,            -- random; the signed session cookie carries it
    user TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS held (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,       -- the Postfix queue id the sender was told
    created REAL NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,       -- JSON list
    decision TEXT NOT NULL,
    rules TEXT NOT NULL,            -- JSON list
    cases TEXT NOT NULL,            -- JSON list
    verdict TEXT NOT NULL,          -- JSON, with values
    places TEXT NOT NULL,           -- JSON: per finding, the extracted text around it
    status TEXT NOT NULL DEFAULT 'held',
    decided_by TEXT,
    decided_at REAL,
    justification TEXT,
    released_to TEXT                -- JSON list, for a release to some recipients
);
CREATE INDEX IF NOT EXISTS held_created ON held (created);
CREATE TABLE IF NOT EXISTS sweeps (
    id INTEGER PRIMARY KEY,
    outdir TEXT NOT NULL,
    imported REAL NOT NULL,
    imported_by TEXT NOT NULL,
    records INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    sweep_id INTEGER NOT NULL REFERENCES sweeps (id),
    path TEXT NOT NULL,
    folder_id INTEGER NOT NULL REFERENCES folders (id),
    decision TEXT NOT NULL,         -- the item's decision
    rules TEXT NOT NULL,            -- JSON: the rules whose reasons cite this finding
    rule TEXT NOT NULL,             -- the strictest of them ('' when none cites it)
    entity_type TEXT NOT NULL,
    recogniser TEXT NOT NULL,
    location TEXT NOT NULL,
    text TEXT,                      -- the value, when the batch ran with --values
    case_id TEXT,
    mark TEXT CHECK (mark IN ('true-breach', 'false-alarm', 'already-known')),
    note TEXT,
    marked_by TEXT,
    marked_at REAL
);
CREATE INDEX IF NOT EXISTS findings_sweep ON findings (sweep_id);
"""

MARKS = ("true-breach", "false-alarm", "already-known")
MARK_LABELS = {"true-breach": "true breach", "false-alarm": "false alarm", "already-known": "already known"}
HELD_STATUSES = ("held", "released", "returned", "partly-released")


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    role: str


class Store:
    """``Store(path)`` creates the file (0600) and its tables if they are missing."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        os.chmod(self.path, 0o600)  # an existing file too: it holds values
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA foreign_keys=ON")
        try:
            yield db
        finally:
            db.close()

    # Users -----------------------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, role: str) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                       "role = excluded.role", (name, password_hash, role, time.time()))

    def user(self, name: str) -> User | None:
        with self.connect() as db:
            row = db.execute("SELECT name, password_hash, role FROM users WHERE name = ?", (name,)).fetchone()
        return User(row["name"], row["password_hash"], row["role"]) if row else None

    def users(self) -> list[User]:
        with self.connect() as db:
            rows = db.execute("SELECT name, password_hash, role FROM users ORDER BY name").fetchall()
        return [User(r["name"], r["password_hash"], r["role"]) for r in rows]

    def set_password_hash(self, name: str, password_hash: str) -> None:
        with self.connect() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))

    def locked_until(self, name: str) -> float:
        with self.connect() as db:
            row = db.execute("SELECT locked_until FROM login_failures WHERE name = ?", (name,)).fetchone()
        return float(row["locked_until"]) if row else 0.0

    def record_failure(self, name: str, now: float, limit: int, window: float, lock_for: float) -> int:
        """Count a failed login; at ``limit`` failures within ``window`` seconds, lock the name."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT count, last FROM login_failures WHERE name = ?", (name,)).fetchone()
            count = 1 if row is None or now - float(row["last"]) > window else int(row["count"]) + 1
            locked = now + lock_for if count >= limit else 0.0
            db.execute("INSERT INTO login_failures (name, count, last, locked_until) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET count = excluded.count, last = excluded.last, "
                       "locked_until = excluded.locked_until", (name, 0 if locked else count, now, locked))
            db.execute("COMMIT")
        return count

    def clear_failures(self, name: str) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM login_failures WHERE name = ?", (name,))

    def new_session(self, user: str) -> str:
        sid = secrets.token_urlsafe(32)
        with self.connect() as db:
            db.execute("INSERT INTO sessions (id, user, created) VALUES (?, ?, ?)", (sid, user, time.time()))
        return sid

    def session_user(self, sid: str, max_age: float) -> str | None:
        with self.connect() as db:
            row = db.execute("SELECT user, created FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None or time.time() - float(row["created"]) > max_age:
            return None
        return str(row["user"])

    def end_session(self, sid: str) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (sid,))

    def secret(self, key: str) -> str:
        """A random secret made on first use and kept (signing keys survive a restart)."""
        with self.connect() as db:
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, secrets.token_urlsafe(48)))
            return str(db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()[0])

    # Held mail -------------------------------------------------------------------------

    def record_hold(self, ref: str, sender: str, recipients: list[str], decision: str, rules: list[str],
                    cases: list[str], verdict: dict[str, Any], places: list[dict[str, Any]]) -> int:
        with self.connect() as db:
            cur = db.execute(
                "INSERT INTO held (ref, created, sender, recipients, decision, rules, cases, verdict, places) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ref) DO UPDATE SET created = excluded.created, "
                "verdict = excluded.verdict, places = excluded.places, status = 'held'",
                (ref, time.time(), sender, json.dumps(recipients), decision, json.dumps(rules), json.dumps(cases),
                 json.dumps(verdict), json.dumps(places)))
            return int(cur.lastrowid or 0)

    def held_list(self, rule: str | None = None, case: str | None = None, status: str | None = None) -> list[
            dict[str, Any]]:
        """Held messages, newest first, without their verdicts (no values)."""
        query = "SELECT id, ref, created, sender, recipients, decision, rules, cases, status, decided_by FROM held"
        with self.connect() as db:
            rows = db.execute(query + " ORDER BY created DESC, id DESC").fetchall()
        items = [_held_row(r) for r in rows]
        return [i for i in items if (not rule or rule in i["rules"]) and (not case or case in i["cases"])
                and (not status or i["status"] == status)]

    def held_item(self, item_id: int) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM held WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        item = _held_row(row)
        item["verdict"] = json.loads(row["verdict"])
        item["places"] = json.loads(row["places"])
        item["justification"] = row["justification"]
        item["released_to"] = json.loads(row["released_to"]) if row["released_to"] else []
        return item

    def decide_held(self, item_id: int, status: str, user: str, justification: str,
                    released_to: list[str] | None = None) -> bool:
        """Mark a held message decided; False when someone else decided it first."""
        with self.connect() as db:
            cur = db.execute(
                "UPDATE held SET status = ?, decided_by = ?, decided_at = ?, justification = ?, released_to = ? "
                "WHERE id = ? AND status = 'held'",
                (status, user, time.time(), justification, json.dumps(released_to or []), item_id))
            return cur.rowcount == 1

    def held_decisions(self) -> list[dict[str, Any]]:
        """Decided held messages: status, rules and when (no values)."""
        with self.connect() as db:
            rows = db.execute("SELECT status, rules, decided_at FROM held WHERE status != 'held' "
                              "ORDER BY decided_at").fetchall()
        return [{"status": r["status"], "rules": json.loads(r["rules"]), "decided_at": r["decided_at"]} for r in rows]

    # Sweeps ----------------------------------------------------------------------------

    def add_sweep(self, outdir: str, user: str, records: list[dict[str, Any]]) -> tuple[int, int]:
        """Load a batch run's records; (sweep id, findings loaded)."""
        from .sweeps import finding_rows

        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            cur = db.execute("INSERT INTO sweeps (outdir, imported, imported_by, records) VALUES (?, ?, ?, ?)",
                             (outdir, time.time(), user, len(records)))
            sweep_id = int(cur.lastrowid or 0)
            count = 0
            for row in finding_rows(records):
                db.execute("INSERT OR IGNORE INTO folders (path) VALUES (?)", (row["folder"],))
                folder_id = db.execute("SELECT id FROM folders WHERE path = ?", (row["folder"],)).fetchone()[0]
                db.execute(
                    "INSERT INTO findings (sweep_id, path, folder_id, decision, rules, rule, entity_type, recogniser, "
                    "location, text, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (sweep_id, row["path"], folder_id, row["decision"], json.dumps(row["rules"]), row["rule"],
                     row["entity_type"], row["recogniser"], row["location"], row["text"], row["case"]))
                count += 1
            db.execute("COMMIT")
        return sweep_id, count

    def folders(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            return [dict(r) for r in db.execute("SELECT id, path FROM folders ORDER BY path").fetchall()]

    def findings(self, decision: str | None = None, rule: str | None = None, case: str | None = None,
                 folder: int | None = None, mark: str | None = None) -> list[dict[str, Any]]:
        clauses, args = [], []
        for column, value in (("f.decision", decision), ("f.rule", rule), ("f.case_id", case),
                              ("f.folder_id", folder)):
            if value not in (None, ""):
                clauses.append(f"{column} = ?")
                args.append(value)
        if mark == "unmarked":
            clauses.append("f.mark IS NULL")
        elif mark:
            clauses.append("f.mark = ?")
            args.append(mark)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.connect() as db:
            rows = db.execute(f"SELECT f.*, d.path AS folder FROM findings f JOIN folders d ON d.id = f.folder_id "
                              f"{where} ORDER BY f.rule = '', f.id", args).fetchall()  # findings behind a rule first
        return [_finding_row(r) for r in rows]

    def finding(self, finding_id: int) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT f.*, d.path AS folder FROM findings f JOIN folders d ON d.id = f.folder_id "
                             "WHERE f.id = ?", (finding_id,)).fetchone()
        return _finding_row(row) if row else None

    def mark(self, finding_id: int, mark: str, note: str, user: str, when: float | None = None) -> bool:
        if mark not in MARKS:
            raise ValueError(f"a mark is one of {', '.join(MARKS)}")
        with self.connect() as db:
            cur = db.execute("UPDATE findings SET mark = ?, note = ?, marked_by = ?, marked_at = ? WHERE id = ?",
                             (mark, note, user, time.time() if when is None else when, finding_id))
            return cur.rowcount == 1

    def marked(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = db.execute("SELECT f.*, d.path AS folder FROM findings f JOIN folders d ON d.id = f.folder_id "
                              "WHERE f.mark IS NOT NULL ORDER BY f.marked_at").fetchall()
        return [_finding_row(r) for r in rows]

    def filter_values(self) -> dict[str, list[str]]:
        """The choices the sweep filters offer."""
        with self.connect() as db:
            def distinct(column: str) -> list[str]:
                return [r[0] for r in db.execute(
                    f"SELECT DISTINCT {column} FROM findings WHERE {column} IS NOT NULL AND {column} != '' "
                    f"ORDER BY 1").fetchall()]
            return {"decision": distinct("decision"), "rule": distinct("rule"), "case": distinct("case_id")}


def _held_row(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"], "ref": row["ref"], "created": row["created"], "sender": row["sender"],
        "recipients": json.loads(row["recipients"]), "decision": row["decision"], "rules": json.loads(row["rules"]),
        "cases": json.loads(row["cases"]), "status": row["status"], "decided_by": row["decided_by"],
    }


def _finding_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["rules"] = json.loads(d["rules"])
    return d
