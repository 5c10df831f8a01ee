"""Reports hold sensitive values: their folder is 0700 and every file 0600 from the moment it exists."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | os.PathLike[str]) -> Path:
    folder = Path(path)
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(folder, DIR_MODE)
    return folder


def private_open(path: str | os.PathLike[str], *, append: bool = False) -> IO[str]:
    """A text file opened for writing, created 0600 (and set to 0600 if it already existed)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, "a" if append else "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(fd)
        raise


def touch_private(path: str | os.PathLike[str]) -> None:
    """Create an empty 0600 file if missing (so a library that creates it later inherits the mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_private_write(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Write a 0600 file under a temporary name and move it into place only once complete."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    fh = private_open(tmp)
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
