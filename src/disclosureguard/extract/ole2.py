"""OLE2 compound files: legacy Office (.doc, .xls, .ppt, .msg) and encrypted OOXML.

None of these is read. Each gives a problem saying why, so a file that could not be
scanned is never mistaken for one that held nothing.
"""

from __future__ import annotations

from ..model import Document, Problem
from .context import ExtractContext
from .formats import Format

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entry names are UTF-16LE; an encrypted OOXML package keeps its key data in
# a stream named EncryptionInfo next to the EncryptedPackage stream.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def looks_like_ole2(data: bytes) -> bool:
    return data[:8] == OLE2_MAGIC


def is_encrypted_ooxml(data: bytes) -> bool:
    return _ENCRYPTION_INFO in data and _ENCRYPTED_PACKAGE in data


def extract_ole2(data: bytes, name: str, ctx: ExtractContext) -> Document:
    if is_encrypted_ooxml(data):
        problem = Problem(name, "encrypted", "encrypted Office document (password-protected): not scanned")
    else:
        problem = Problem(name, "unsupported", "legacy Office format (OLE2 compound file): not scanned")
    return Document(name=name, media_type="application/x-ole-storage", problems=(problem,))


FORMAT = Format(
    name="ole2",
    extensions=(".doc", ".dot", ".xls", ".ppt", ".msg"),
    media_types=(
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.ms-outlook",
        "application/x-ole-storage",
    ),
    sniff=looks_like_ole2,
    extract=extract_ole2,
)

FORMATS: list[Format] = [FORMAT]
