"""Files made by an outside program (LibreOffice), made once per test run and shared by its
processes.

Under xdist each worker is a process of its own, so a ``functools.cache`` there still has
LibreOffice convert the same letter once per worker (seconds each). The run's workers share
the parent of their temporary folders; a conversion written there, under the hash of what
went in, is read by every other worker instead of made again. A lock per conversion makes a
second worker wait for the first rather than start LibreOffice beside it. Outside a test
session (no folder set) every call converts.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

folder: Path | None = None  # set for the session by tests/conftest.py
# openpyxl stamps the time of writing in the package's core properties; the zip writers of
# python-docx and python-pptx stamp it on every member.
_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def content_key(data: bytes) -> bytes:
    """What LibreOffice is given, less the clock: a zip package's members (not the zip's own
    timestamps) with the created and modified dates blanked; any other file as it is. The
    same letter built a second later is the same conversion."""
    if not data.startswith(b"PK\x03\x04"):
        return hashlib.sha256(data).digest()
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for member in package.infolist():
                digest.update(member.filename.encode() + b"\0" + _DATES.sub(rb"\1\2", package.read(member)) + b"\0")
    except (zipfile.BadZipFile, OSError, ValueError):
        return hashlib.sha256(data).digest()
    return digest.digest()


def shared(kind: str, data: bytes, *args: str, make: Callable[[], bytes]) -> bytes:
    """``make()``'s bytes, made once for this ``kind``, ``data`` (by :func:`content_key`) and
    ``args`` in the whole run."""
    if folder is None:
        return make()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256("\0".join((kind, *args)).encode() + b"\0" + content_key(data)).hexdigest()
    made = folder / digest
    with (folder / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if made.exists():
            return made.read_bytes()
        out = make()
        partial = folder / f"{digest}.{os.getpid()}.partial"
        partial.write_bytes(out)
        partial.replace(made)  # whole or absent: a worker never reads half a file
        return out
