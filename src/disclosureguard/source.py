"""Reading what is to be scanned: a path, bytes or a binary file object, within max_bytes."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .limits import Limits
from .masking import path_words
from .model import Problem

Source = str | os.PathLike[str] | bytes | BinaryIO


def read_source(source: Source, name: str | None, limits: Limits) -> tuple[bytes | None, str]:
    """The bytes to scan and the name to show; ``None`` bytes when over the size limit."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        return (data if len(data) <= limits.max_bytes else None), name or "<bytes>"
    if isinstance(source, str | os.PathLike):
        if isinstance(source, str) and not name and not looks_like_path(source):
            # Text passed where a path was expected: never repeat it (it may be a letter).
            raise InputError(f"the string given ({len(source)} characters) is not a path to a file: "
                             "to scan text, use Scanner.scan_text(text)")
        path = Path(source)
        display = name or str(source)
        try:
            if path.is_dir():
                raise InputError(f"{path_words(display)}: is a folder, not a file")
            with path.open("rb") as fh:
                return _read_bounded(fh, limits), display
        except FileNotFoundError:
            # The error line goes to stderr and logs: the path is masked (it may name the child).
            raise InputError(f"{path_words(display)}: no such file") from None
        except PermissionError:
            raise InputError(f"{path_words(display)}: permission denied") from None
        except OSError as e:
            raise InputError(f"{path_words(display)}: cannot be read ({e.strerror or type(e).__name__})") from None
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        display = name or str(getattr(source, "name", "") or "<stream>")
        return _read_bounded(source, limits), display
    raise InputError(f"cannot scan a {type(source).__name__}: give a path, bytes or a binary file object")


def oversize_problem(display: str, limits: Limits) -> Problem:
    """Why a source that :func:`read_source` left unread (over max_bytes) was not scanned."""
    return Problem(display, "limit", f"larger than max_bytes={limits.max_bytes}: not read")


def looks_like_path(value: str) -> bool:
    """A string that could name a file; text (a letter, a sentence) could not."""
    if not value or len(value) > 4096 or any(c in value for c in "\n\r\t\0"):
        return False
    path = Path(value)
    if path.exists():
        return True
    # Not there: a path if it reads like one (a separator, or a short name with an extension).
    return "/" in value or os.sep in value or (bool(path.suffix) and value.count(" ") <= 3
                                               and not value.rstrip().endswith((".", "...")))


def _read_bounded(fh: BinaryIO, limits: Limits) -> bytes | None:
    data = fh.read(limits.max_bytes + 1)
    if isinstance(data, str):
        raise InputError("the file object is open in text mode: open it with 'rb'")
    return None if len(data) > limits.max_bytes else data
