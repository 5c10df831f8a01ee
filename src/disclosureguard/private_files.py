"""Files that may hold personal data: readable by their owner only, and never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``path`` with mode 0600, atomically (a temporary file renamed over it):
    a redacted copy, a case index or its key may hold personal data or protect it."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)
    return target
