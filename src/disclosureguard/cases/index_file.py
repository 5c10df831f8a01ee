"""A built case index on disk: keyed hashes only, authenticated, never executable.

File layout (all integers big-endian):

    b"DGCASEIDX1\\n"            magic
    u32 header length          then the header: UTF-8 JSON (cases, members, kinds, counts)
    groups                     16-byte keyed hash, u16 kind, u32 count, then count u32 targets
    32 bytes                   HMAC-SHA256 of everything before it, under the file subkey

Nothing in it is code (no pickle): a tampered file fails the HMAC check and is refused. The
key is HMAC material, not stored in the index: it comes from the ``key`` argument, the
environment variable DISCLOSUREGUARD_INDEX_KEY, or a key file beside the index
(``INDEX.key``, created with mode 0600 on the first build and reused by later builds).
From the key two subkeys are derived: one hashes the values, one authenticates the file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import CaseFileError
from ..private_files import write_private
from .compiled import IndexData, Kind, Member, compile_cases
from .files import load_case_files

MAGIC = b"DGCASEIDX1\n"
KEY_ENV = "DISCLOSUREGUARD_INDEX_KEY"
# Format 2 adds the values' turns (compiled.py); a format 1 index is still read, and its
# scans extend runs past turns as before.
FORMAT_VERSION = 2
_READABLE_FORMATS = (1, 2)
_GROUP = struct.Struct(">16sHI")
_MAC_BYTES = 32
_MIN_KEY_CHARS = 16


@dataclass(frozen=True)
class BuildReport:
    path: Path
    key_path: Path | None  # None when the key came from the argument or the environment
    cases: int
    members: int
    values: int  # distinct keyed hashes
    bytes: int


def key_path_for(index_path: str | os.PathLike[str]) -> Path:
    return Path(str(index_path) + ".key")


def _subkeys(master: bytes) -> tuple[bytes, bytes, str]:
    values = hmac.digest(master, b"disclosureguard index values v1", hashlib.sha256)
    file = hmac.digest(master, b"disclosureguard index file v1", hashlib.sha256)
    check = hmac.digest(master, b"disclosureguard key check v1", hashlib.sha256)[:8].hex()
    return values, file, check


def _key_from_text(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < _MIN_KEY_CHARS:
        raise CaseFileError(where, "", f"an index key of at least {_MIN_KEY_CHARS} characters")
    return text.encode("utf-8")


def resolve_key(
    index_path: str | os.PathLike[str], key: str | bytes | None, *, create: bool
) -> tuple[bytes, Path | None]:
    """The master key and the key file it came from (None if given or from the environment)."""
    if key is not None:
        return (key if isinstance(key, bytes) else _key_from_text(key, "key")), None
    env = os.environ.get(KEY_ENV)
    if env:
        return _key_from_text(env, KEY_ENV), None
    kp = key_path_for(index_path)
    if kp.exists():
        mode = kp.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CaseFileError(str(kp), "", "a key file only its owner can read (chmod 600)")
        try:
            return _key_from_text(kp.read_text("utf-8"), str(kp)), kp
        except (OSError, UnicodeDecodeError) as e:
            raise CaseFileError(str(kp), "", f"a readable key file ({e})") from None
    if not create:
        raise CaseFileError(str(kp), "", f"the index key: this file, or the environment variable {KEY_ENV}")
    write_private((secrets.token_hex(32) + "\n").encode("ascii"), kp)
    return kp.read_text("utf-8").strip().encode("utf-8"), kp


def build_index(
    cases_dir: str | os.PathLike[str] | list[str | os.PathLike[str]],
    out_path: str | os.PathLike[str],
    key: str | bytes | None = None,
) -> BuildReport:
    """Validate every case file under ``cases_dir`` (all or nothing) and write the index."""
    sources = cases_dir if isinstance(cases_dir, list) else [cases_dir]
    cases = load_case_files(sources)
    master, kp = resolve_key(out_path, key, create=True)
    values_key, file_key, check = _subkeys(master)
    data = compile_cases(cases, values_key)
    content = _serialise(data, check)
    blob = content + hmac.digest(file_key, content, hashlib.sha256)
    out = Path(out_path)
    write_private(blob, out)
    return BuildReport(out, kp, len(data.cases), len(data.members), len(data.table), len(blob))


def _serialise(data: IndexData, check: str) -> bytes:
    header = {
        "format": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "key_check": check,
        "cases": data.cases,
        "kinds": [k.name for k in data.kinds],
        "members": [
            [m.case, m.id, m.role, m.name, m.contact, m.group, [list(t) for t in m.withheld]] for m in data.members
        ],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parts = [MAGIC, struct.pack(">I", len(head)), head]
    records = bytearray()
    for digest in sorted(data.table):
        for kind, targets in data.table[digest]:
            records += _GROUP.pack(digest, kind, len(targets))
            records += struct.pack(f">{len(targets)}I", *targets)
    parts.append(bytes(records))
    return b"".join(parts)


def is_index_file(path: str | os.PathLike[str]) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def load_index(path: str | os.PathLike[str], key: str | bytes | None = None) -> IndexData:
    """Read and authenticate a built index; CaseFileError if it is not one, was built with
    another key, or was changed since it was built."""
    where = str(path)
    try:
        blob = Path(path).read_bytes()
    except OSError as e:
        raise CaseFileError(where, "", f"a readable index file ({e.strerror or e})") from None
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4 + _MAC_BYTES:
        raise CaseFileError(where, "", "an index built by 'disclosureguard index build'")
    master, _ = resolve_key(path, key, create=False)
    values_key, file_key, check = _subkeys(master)
    content, mac = blob[:-_MAC_BYTES], blob[-_MAC_BYTES:]
    (head_len,) = struct.unpack_from(">I", content, len(MAGIC))
    head_start = len(MAGIC) + 4
    try:
        header = json.loads(content[head_start : head_start + head_len].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if isinstance(header, dict) and header.get("key_check") not in (None, check):
        raise CaseFileError(where, "", f"the key it was built with (from {KEY_ENV} or {key_path_for(path)})")
    if not hmac.compare_digest(mac, hmac.digest(file_key, content, hashlib.sha256)):
        raise CaseFileError(where, "", "an index unchanged since it was built (its integrity check failed)")
    if not isinstance(header, dict) or header.get("format") not in _READABLE_FORMATS:
        raise CaseFileError(where, "format", f"index format {' or '.join(map(str, _READABLE_FORMATS))}")
    return _deserialise(header, content[head_start + head_len :], values_key, where)


def _deserialise(header: dict[str, Any], records: bytes, values_key: bytes, where: str) -> IndexData:
    try:
        cases = [str(c) for c in header["cases"]]
        kinds = [Kind.of(str(k)) for k in header["kinds"]]
        members = [
            Member(
                case=int(c),
                id=pid,
                role=str(role),
                name=name,
                contact=bool(contact),
                withheld=tuple((str(a), str(b), str(d)) for a, b, d in withheld),
                group=int(group),
            )
            for c, pid, role, name, contact, group, withheld in header["members"]
        ]
    except (KeyError, TypeError, ValueError) as e:
        raise CaseFileError(where, "header", f"a well-formed index header ({type(e).__name__})") from None
    table: dict[bytes, list[tuple[int, tuple[int, ...]]]] = {}
    limit = max(len(members), len(cases))
    offset, end = 0, len(records)
    unpack_group, group_size = _GROUP.unpack_from, _GROUP.size
    while offset < end:
        if offset + group_size > end:
            raise CaseFileError(where, "records", "whole index records")
        digest, kind, count = unpack_group(records, offset)
        offset += group_size
        if offset + 4 * count > end or not count:
            raise CaseFileError(where, "records", "whole index records")
        targets = struct.unpack_from(f">{count}I", records, offset)
        offset += 4 * count
        if kind >= len(kinds) or max(targets) >= limit:
            raise CaseFileError(where, "records", "references to known kinds and members")
        table.setdefault(digest, []).append((kind, targets))
    frozen = {d: tuple(groups) for d, groups in table.items()}
    return IndexData(key=values_key, cases=cases, members=members, kinds=kinds, table=frozen,
                     turn_marks=header["format"] >= 2)
