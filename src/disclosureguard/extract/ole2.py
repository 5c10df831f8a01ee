"""OLE2 compound files: Outlook .msg, legacy Word and PowerPoint, encrypted OOXML, OLE objects.

What a compound file is comes from the names of the streams at its root (MS-CFB), read
with olefile: ``__substg1.0_*`` is an Outlook message, ``WordDocument`` a Word 97-2003
document, ``PowerPoint Document`` a presentation (``Workbook``/``Book`` workbooks are
read by xls.py). Word and PowerPoint files are converted by LibreOffice to .docx/.pptx and
read by those extractors. An OLE object (``Package`` holding an OOXML file, or
``\\x01Ole10Native`` holding a packaged file) gives its content as a nested document. Any
other compound file is a problem saying why, never an empty document.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ExtractionError
from ..model import Document, Problem
from .context import ExtractContext
from .format import Format

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entry names are UTF-16LE; an encrypted OOXML package keeps its key data in
# a stream named EncryptionInfo next to the EncryptedPackage stream.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MIN_SIZE = 1536  # olefile refuses anything smaller: a header and two sectors


def looks_like_ole2(data: bytes) -> bool:
    return data[:8] == OLE2_MAGIC


def is_encrypted_ooxml(data: bytes) -> bool:
    return _ENCRYPTION_INFO in data and _ENCRYPTED_PACKAGE in data


@lru_cache(maxsize=1)  # the formats' sniffs ask in turn about the same file; keep no more than it
def _root_names_cached(data: bytes) -> frozenset[str] | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return frozenset(entry[0] for entry in ole.listdir(streams=True, storages=True) if len(entry) == 1)
    except Exception:  # olefile raises OSError, struct.error, IndexError... on damaged files
        return None


def root_names(data: bytes) -> frozenset[str] | None:
    """The names at the root of a compound file, or None if it is not a readable one."""
    if not looks_like_ole2(data) or len(data) < _MIN_SIZE:
        return None
    return _root_names_cached(data)


def _is_msg(data: bytes) -> bool:
    from .msg import looks_like_msg

    names = root_names(data)
    return names is not None and looks_like_msg(set(names))


def _is_doc(data: bytes) -> bool:
    names = root_names(data)
    return names is not None and "WordDocument" in names


def _is_ppt(data: bytes) -> bool:
    names = root_names(data)
    return names is not None and "PowerPoint Document" in names and "WordDocument" not in names


def _open(data: bytes, name: str):  # -> olefile.OleFileIO
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as e:
        raise ExtractionError("corrupt", f"{name}: damaged compound file ({type(e).__name__})") from e


def extract_msg_file(data: bytes, name: str, ctx: ExtractContext) -> Document:
    from .msg import extract_msg

    with _open(data, name) as ole:
        return extract_msg(ole, name, ctx)


@dataclass(frozen=True)
class _WordHeader:
    encrypted: bool
    text_chars: int  # ccpText: characters in the main document


def _word_header(data: bytes, name: str) -> _WordHeader:
    with _open(data, name) as ole:
        head = bytes(ole.openstream("WordDocument").read(0x50))
    # The FIB (MS-DOC 2.5.1): wIdent 0xA5EC, flags at 0x0A with fEncrypted in bit 8, and in
    # FibRgLw97 ccpText at 0x4C.
    if len(head) < 0x50 or struct.unpack_from("<H", head, 0)[0] != 0xA5EC:
        raise ExtractionError("corrupt", f"{name}: the WordDocument stream has no Word header")
    encrypted = struct.unpack_from("<H", head, 0x0A)[0] & 0x0100 != 0
    text_chars = int(struct.unpack_from("<i", head, 0x4C)[0])
    if text_chars < 0 and not encrypted:
        raise ExtractionError("corrupt", f"{name}: the Word header is damaged")
    return _WordHeader(encrypted, text_chars)


def _converted(data: bytes, name: str, ctx: ExtractContext, suffix: str, target: str, what: str) -> Document:
    extract = ctx.reader().extract  # passed down: the registry imports this module
    from .libreoffice import convert

    converted = convert(data, suffix, target, ctx.limits.time_limit)
    ctx.count_decompressed(len(converted))
    inner = extract(converted, f"{name} (as {target})", ctx)
    # the converted file stands for the original: same name, its segments and problems as the original's
    return Document(name=name, media_type=what, segments=inner.segments, children=inner.children,
                    problems=inner.problems)


def extract_doc(data: bytes, name: str, ctx: ExtractContext) -> Document:
    header = _word_header(data, name)
    if header.encrypted:
        problem = Problem(name, "encrypted", "encrypted Word 97-2003 document (password-protected): not scanned")
        return Document(name=name, media_type="application/msword", problems=(problem,))
    doc = _converted(data, name, ctx, ".doc", "docx", "application/msword")
    read = sum(len(s.text) for s in doc.segments if s.kind not in ("metadata", "file-name"))
    if header.text_chars > 1 and read == 0:
        # LibreOffice gives an empty document for a file it could not make sense of: not silence
        problem = Problem(name, "corrupt", f"its header says it holds {header.text_chars} characters of text, "
                                           "but none could be read")
        return Document(name=name, media_type=doc.media_type, segments=doc.segments, children=doc.children,
                        problems=(*doc.problems, problem))
    return doc


def extract_ppt(data: bytes, name: str, ctx: ExtractContext) -> Document:
    return _converted(data, name, ctx, ".ppt", "pptx", "application/vnd.ms-powerpoint")


def _object_content(data: bytes, name: str, ctx: ExtractContext) -> Document | None:
    """The file inside an OLE object's compound file, or None if it holds none."""
    from .ole1 import read_package

    extract = ctx.reader().extract  # passed down: the registry imports this module

    with _open(data, name) as ole:
        if ole.exists("Package"):  # an embedded OOXML document
            ctx.count_decompressed(ole.get_size("Package"))
            inner = bytes(ole.openstream("Package").read())
            return extract(inner, f"{name} (package)", ctx.nested())
        if ole.exists("\x01Ole10Native"):
            ctx.count_decompressed(ole.get_size("\x01Ole10Native"))
            packaged = read_package(bytes(ole.openstream("\x01Ole10Native").read()))
            if packaged is None:
                raise ExtractionError("corrupt", f"{name}: a packaged object could not be read")
            return extract(packaged.data, packaged.file_name or f"{name} (packaged file)", ctx.nested())
        if ole.exists("CONTENTS"):
            ctx.count_decompressed(ole.get_size("CONTENTS"))
            inner = bytes(ole.openstream("CONTENTS").read())
            return extract(inner, f"{name} (contents)", ctx.nested())
    return None


def extract_ole2(data: bytes, name: str, ctx: ExtractContext) -> Document:
    if is_encrypted_ooxml(data):
        problem = Problem(name, "encrypted", "encrypted Office document (password-protected): not scanned")
        return Document(name=name, media_type="application/x-ole-storage", problems=(problem,))
    if root_names(data) is None:
        raise ExtractionError("corrupt", f"{name}: damaged compound file")
    child = _object_content(data, name, ctx)
    if child is not None:
        return Document(name=name, media_type="application/x-ole-storage", children=(child,))
    problem = Problem(name, "unsupported", "an OLE2 compound file of a kind not read: not scanned")
    return Document(name=name, media_type="application/x-ole-storage", problems=(problem,))


MSG = Format(
    name="msg",
    extensions=(".msg",),
    media_types=("application/vnd.ms-outlook", "application/x-msg"),
    sniff=_is_msg,
    extract=extract_msg_file,
    # a damaged one is still a compound file; some mail tools save a MIME message as .msg
    compatible=("ole2", "email"),
)
DOC = Format(
    name="doc",
    extensions=(".doc", ".dot"),
    media_types=("application/msword",),
    sniff=_is_doc,
    extract=extract_doc,
    compatible=("ole2",),  # a damaged one is still a compound file: the name is right
)
PPT = Format(
    name="ppt",
    extensions=(".ppt", ".pps", ".pot"),
    media_types=("application/vnd.ms-powerpoint",),
    sniff=_is_ppt,
    extract=extract_ppt,
    compatible=("ole2",),  # a damaged one is still a compound file: the name is right
)
FORMAT = Format(
    name="ole2",
    extensions=(),
    media_types=("application/x-ole-storage",),
    sniff=looks_like_ole2,
    extract=extract_ole2,
)
# The fallback for any other compound file; registered after the workbooks of xls.py.
FORMATS: list[Format] = [FORMAT]
