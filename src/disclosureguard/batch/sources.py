"""What a batch run scans: every file of folders, zip archives and mbox files, found lazily.

A source is enumerated one item at a time, so a million files never sit in memory. Each item
says where it is (``path``, the name the reports use), which file on disk holds it
(``container``, for a link), and a ``fingerprint`` that changes when its content may have
changed: a resumed run skips an item whose path and fingerprint are already in the checkpoint
without reading it.

Item paths: a file is its absolute path; a zip member is ``/abs/archive.zip!/member/path``;
an mbox message is ``/abs/mail.mbox#N`` (N counts from 1).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ZIP_SEPARATOR = "!/"
MBOX_SEPARATOR = "#"
MBOX_SUFFIXES = (".mbox", ".mbx")
MBOX_NAMES = ("mbox",)

Opener = Callable[[], IO[bytes]]


class ItemReadError(Exception):
    """An item that could not be read; ``cause`` is a Problem cause code."""

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause
        super().__init__(message)


@dataclass(frozen=True)
class Item:
    path: str
    container: str
    member: str | None
    size: int
    mtime: float | None
    fingerprint: str
    opener: Opener

    def read(self, max_bytes: int) -> bytes | None:
        """The item's bytes, ``None`` when larger than ``max_bytes``; ItemReadError when unreadable."""
        try:
            with self.opener() as fh:
                data = fh.read(max_bytes + 1)
        except ItemReadError:
            raise
        except Exception as e:
            raise _read_error(e) from None
        return None if len(data) > max_bytes else data


PathLike = str | os.PathLike[str]


def iter_items(sources: Iterable[PathLike], exclude: Iterable[PathLike] = ()) -> Iterator[Item]:
    """Every item of every source, in a stable order (names sorted within each folder)."""
    skip = {os.path.abspath(p) for p in exclude}
    for source in sources:
        path = os.path.abspath(source)
        if os.path.isdir(path):
            yield from _folder_items(path, skip)
        else:
            yield from _file_items(path)


def count_items(sources: Iterable[PathLike], exclude: Iterable[PathLike] = ()) -> int:
    """How many items :func:`iter_items` will give (reads zip directories and mbox separators only)."""
    return sum(1 for _ in iter_items(sources, exclude))


def is_mbox_name(path: str) -> bool:
    name = os.path.basename(path).lower()
    return name.endswith(MBOX_SUFFIXES) or name in MBOX_NAMES


def is_zip_name(path: str) -> bool:
    return path.lower().endswith(".zip")


def _folder_items(folder: str, skip: set[str]) -> Iterator[Item]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield _unreadable(folder, e)
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.path in skip:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _folder_items(entry.path, skip)
            elif entry.is_file():
                yield from _file_items(entry.path)
        except OSError as e:
            yield _unreadable(entry.path, e)


def _file_items(path: str) -> Iterator[Item]:
    try:
        st = os.stat(path)
    except OSError as e:
        yield _unreadable(path, e)
        return
    if is_zip_name(path) and zipfile.is_zipfile(path):
        yield from _zip_items(path, st)
    elif is_mbox_name(path):
        yield from _mbox_items(path)
    else:
        yield Item(path, path, None, st.st_size, st.st_mtime, f"file:{st.st_size}:{st.st_mtime_ns}",
                   lambda: open(path, "rb"))  # noqa: SIM115 - closed by Item.read


def _zip_items(path: str, st: os.stat_result) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        # The archive as a whole is one item that could not be read.
        yield Item(path, path, None, st.st_size, st.st_mtime, f"file:{st.st_size}:{st.st_mtime_ns}",
                   _raiser(_read_error(e)))
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            mtime = float(calendar.timegm((*info.date_time, 0, 0, 0)))
            yield Item(
                f"{path}{ZIP_SEPARATOR}{info.filename}",
                path,
                info.filename,
                info.file_size,
                mtime,
                f"zip:{info.file_size}:{info.CRC:08x}:{mtime:.0f}",
                _member_opener(archive, info),
            )


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Opener:
    # Read while the generator still holds the archive open: the runner reads an item
    # before asking for the next one.
    return lambda: archive.open(info)


def _mbox_items(path: str) -> Iterator[Item]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, the generator may be abandoned
    except OSError as e:
        yield _unreadable(path, e)
        return
    with fh:
        for n, message in enumerate(_split_mbox(fh), start=1):
            digest = hashlib.sha256(message).hexdigest()
            yield Item(
                f"{path}{MBOX_SEPARATOR}{n}",
                path,
                f"message {n}",
                len(message),
                None,
                f"mbox:{len(message)}:{digest}",
                _bytes_opener(message),
            )


def _split_mbox(fh: io.BufferedReader) -> Iterator[bytes]:
    """Each message of an mbox, without its ``From `` separator line.

    Like the standard library's ``mailbox.mbox``, every line starting ``From `` begins a
    message; the blank line before it belongs to the separator. One message at a time.
    """
    lines: list[bytes] = []
    started = False
    for line in fh:
        if line.startswith(b"From "):
            if started:
                yield _message_bytes(lines)
            lines = []
            started = True
            continue
        if started:
            lines.append(line)
    if started:
        yield _message_bytes(lines)


def _message_bytes(lines: list[bytes]) -> bytes:
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]
    return b"".join(lines)


def _bytes_opener(data: bytes) -> Opener:
    return lambda: io.BytesIO(data)


def _raiser(error: ItemReadError) -> Opener:
    def opener() -> io.BytesIO:
        raise error

    return opener


def _unreadable(path: str, error: OSError) -> Item:
    return Item(path, path, None, 0, None, "unreadable", _raiser(_read_error(error)))


def _read_error(e: BaseException) -> ItemReadError:
    """A read failure as a Problem cause and a message that holds no content."""
    if isinstance(e, ItemReadError):
        return e
    if isinstance(e, RuntimeError) and "encrypted" in str(e):
        return ItemReadError("encrypted", "the archive member is encrypted: not read")
    if isinstance(e, zipfile.BadZipFile | zlib.error | EOFError):
        return ItemReadError("corrupt", f"the archive could not be read ({type(e).__name__}: {str(e)[:120]})")
    if isinstance(e, NotImplementedError):
        return ItemReadError("unsupported", f"the archive member uses an unsupported compression ({e})")
    if isinstance(e, PermissionError):
        return ItemReadError("unreadable", "permission denied")
    if isinstance(e, OSError):
        return ItemReadError("unreadable", f"cannot be read ({e.strerror or type(e).__name__})")
    return ItemReadError("unreadable", f"cannot be read ({type(e).__name__})")


def container_uri(container: str) -> str:
    """A file:// link to the file on disk that holds an item."""
    return Path(container).as_uri()
