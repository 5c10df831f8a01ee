"""The macro project of an Office file (``vbaProject.bin`` in docm/xlsm/pptm): the source text of
each VBA module, read as hidden text, since a macro's string literals and comments can hold
anything ("MsgBox "Lily Smith 943 476 5919"").

The project is an OLE2 compound file (olefile, BSD, already read for .msg and .doc). Its ``VBA/dir``
stream lists the modules: the stream of each and where its compressed source starts. Streams
are compressed with MS-OVBA's own LZ77 scheme (section 2.4.1), implemented here: the only
library that reads it, oletools (BSD), brings a dozen analysis tools and their dependencies
(pyparsing, colorclass, easygui, pcodedmp...) for about sixty lines of decompression and record
reading. The designer streams of a UserForm (captions of its controls) and anything else in the
container are read as runs of printable text, so a string that is not module source is not
left out either. What cannot be read is a problem (``incomplete``), never silence.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import LimitExceeded
from ..model import Problem, Segment
from .context import ExtractContext

_CHUNK = 4096
# dir stream record ids (MS-OVBA 2.3.4.2)
_PROJECTCODEPAGE = 0x0003
_PROJECTDOCSTRING = 0x0005
_PROJECTVERSION = 0x0009  # its Size field says 4, but 6 bytes follow
_MODULENAME = 0x0019
_MODULESTREAMNAME = 0x001A
_MODULEDOCSTRING = 0x001C
_MODULE_TERMINATOR = 0x002B
_MODULEOFFSET = 0x0031
_STREAMNAME_UNICODE = 0x0032
_DOCSTRING_UNICODE = (0x0040, 0x0048)
_MODULENAME_UNICODE = 0x0047
_DIR_TERMINATOR = 0x0010
# Runs of printable text in binary streams: ASCII (or cp1252 letters) and UTF-16LE.
_ASCII_RUN = re.compile(rb"[\x20-\x7e\x80-\xff]{4,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00){4,}")
# Module and stream names are the sender's to choose: only plain ones are repeated in a location
# (a name with a long digit run could carry a value into the verdict).
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z_]{0,39}\d{0,2}")
# PROJECT stream lines that are identifiers and protection hashes in hex, not text.
_PROTECTION = re.compile(r"^\s*(?:ID|CMG|DPB|GC)\s*=", re.I)


class VbaError(ValueError):
    """The macro project could not be read: says which structure, never its content."""


def decompress(data: bytes, ctx: ExtractContext | None = None) -> bytes:
    """An MS-OVBA compressed container (2.4.1) decompressed."""
    if not data or data[0] != 0x01:
        raise VbaError("a compressed stream does not start with its signature byte")
    out = bytearray()
    pos = 1
    n = len(data)
    while pos < n:
        if pos + 2 > n:
            raise VbaError("a compressed chunk is cut short")
        header = data[pos] | data[pos + 1] << 8
        chunk_end = pos + (header & 0x0FFF) + 3
        if chunk_end > n or (not header & 0x8000 and pos + 2 + _CHUNK > n):
            raise VbaError("a compressed chunk is cut short")
        pos += 2
        start = len(out)
        if not header & 0x8000:  # stored: 4096 bytes as they are
            out += data[pos : pos + _CHUNK]
            pos += _CHUNK
        else:
            while pos < chunk_end:
                flags = data[pos]
                pos += 1
                for bit in range(8):
                    if pos >= chunk_end:
                        break
                    if not flags >> bit & 1:
                        if len(out) - start >= _CHUNK:
                            raise VbaError("a chunk decompresses to more than 4096 bytes")
                        out.append(data[pos])
                        pos += 1
                        continue
                    if pos + 2 > chunk_end:
                        raise VbaError("a copy token is cut short")
                    token = data[pos] | data[pos + 1] << 8
                    pos += 2
                    done = len(out) - start
                    bits = max((done - 1).bit_length(), 4)
                    offset = (token >> (16 - bits)) + 1
                    length = (token & (0xFFFF >> bits)) + 3
                    if offset > done:
                        raise VbaError("a copy token points before its chunk")
                    if done + length > _CHUNK:
                        raise VbaError("a chunk decompresses to more than 4096 bytes")
                    for _ in range(length):  # byte by byte: a copy may overlap what it writes
                        out.append(out[-offset])
        if ctx is not None:
            ctx.count_decompressed(len(out) - start)
    return bytes(out)


@dataclass
class Module:
    name: str
    stream: str
    offset: int
    doc: str = ""


@dataclass
class Project:
    codepage: str
    modules: list[Module]
    doc: str


def _codec(codepage: int) -> str:
    name = f"cp{codepage}" if codepage not in (65001, 1200) else ("utf-8" if codepage == 65001 else "utf-16-le")
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


def parse_dir(dir_data: bytes) -> Project:
    """The modules of a decompressed ``VBA/dir`` stream."""
    pos = 0
    n = len(dir_data)
    codepage = "cp1252"
    modules: list[Module] = []
    current: dict[str, object] = {}
    doc = ""
    while pos + 6 <= n:
        rid, size = struct.unpack_from("<HI", dir_data, pos)
        pos += 6
        if rid == _PROJECTVERSION:
            size = 6
        if pos + size > n:
            raise VbaError("a record of the module list is cut short")
        value = dir_data[pos : pos + size]
        pos += size
        if rid == _PROJECTCODEPAGE and size >= 2:
            codepage = _codec(struct.unpack_from("<H", value)[0])
        elif rid == _PROJECTDOCSTRING:
            doc = value.decode(codepage, "replace")
        elif rid == _DOCSTRING_UNICODE[0]:
            doc = value.decode("utf-16-le", "replace") or doc
        elif rid == _MODULENAME:
            current = {"name": value.decode(codepage, "replace")}
        elif rid == _MODULENAME_UNICODE:
            current["name"] = value.decode("utf-16-le", "replace") or current.get("name", "")
        elif rid == _MODULESTREAMNAME:
            current["stream"] = value.decode(codepage, "replace")
        elif rid == _STREAMNAME_UNICODE:
            current["stream"] = value.decode("utf-16-le", "replace") or current.get("stream", "")
        elif rid == _MODULEDOCSTRING:
            current["doc"] = value.decode(codepage, "replace")
        elif rid == _DOCSTRING_UNICODE[1]:
            current["doc"] = value.decode("utf-16-le", "replace") or current.get("doc", "")
        elif rid == _MODULEOFFSET and size >= 4:
            current["offset"] = struct.unpack_from("<I", value)[0]
        elif rid == _MODULE_TERMINATOR:
            if "stream" not in current or "offset" not in current:
                raise VbaError("a module record has no stream name or source offset")
            modules.append(Module(str(current.get("name", "")), str(current["stream"]), int(str(current["offset"])),
                                  str(current.get("doc", ""))))
            current = {}
        elif rid == _DIR_TERMINATOR:
            return Project(codepage, modules, doc)
    raise VbaError("the module list has no end record")


def _plain(name: str, what: str) -> str:
    parts = name.split("/")
    return name if all(_PLAIN_NAME.fullmatch(p) for p in parts) else f"a {what} with an unusual name"


def vba_segments(data: bytes, part: str, ctx: ExtractContext) -> tuple[list[Segment], list[Problem]]:
    """Every module's source, the project's descriptions and the other streams' printable text,
    as hidden segments named by the part and module; or a problem saying what was not read."""
    import olefile

    where = f"macro project {part}"
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises OSError, struct.error, IndexError... on damaged files
        return [], [Problem(where, "incomplete", "the macro project is not a readable compound file: not scanned")]
    segments: list[Segment] = []
    problems: list[Problem] = []

    def emit(text: str, location: str) -> None:
        text = text.replace("\x00", "").strip()
        if text:
            ctx.count_text(len(text))
            segments.append(Segment(text=text, location=location, kind="hidden-text", hidden=True))

    try:
        with ole:
            _read_project(ole, where, emit, problems, ctx)
    except LimitExceeded:
        raise
    except Exception:  # olefile on a damaged sector chain or directory (OSError, OverflowError...)
        problems.append(Problem(where, "incomplete", "the macro project is damaged: not all of it was read"))
    return segments, problems


def _read_project(ole: Any, where: str, emit: Callable[[str, str], None], problems: list[Problem],
                  ctx: ExtractContext) -> None:
    """The modules, descriptions and other streams of an open project."""
    streams = ["/".join(entry) for entry in ole.listdir(streams=True, storages=False)]
    by_upper = {s.upper(): s for s in streams}
    read: set[str] = set()
    dir_path = next((s for s in streams if s.upper().endswith("VBA/DIR")), None)
    if dir_path is None:
        problems.append(Problem(where, "incomplete", "the macro project has no module list: modules not read"))
    else:
        read.add(dir_path)
        folder = dir_path.rsplit("/", 1)[0]
        try:
            project = parse_dir(decompress(ole.openstream(dir_path).read(), ctx))
        except VbaError as e:
            project = None
            problems.append(Problem(where, "incomplete", f"the project's module list could not be read ({e})"))
        if project is not None:
            emit(project.doc, f"{where}, project description")
            for number, module in enumerate(project.modules, 1):
                label = f"{where}, module {number} ({_plain(module.name, 'module')})"
                path = by_upper.get(f"{folder}/{module.stream}".upper())
                if path is None:
                    problems.append(Problem(where, "incomplete", f"module {number}: its stream is missing"))
                    continue
                read.add(path)
                emit(module.doc, f"{label}, description")
                stream = ole.openstream(path).read()
                try:
                    source = decompress(stream[module.offset :], ctx)
                except VbaError as e:
                    problems.append(Problem(where, "incomplete", f"module {number}: source not read ({e})"))
                    continue
                emit(source.decode(project.codepage, "replace"), f"{label}, source")
    for path in streams:
        if path in read:
            continue
        blob = ole.openstream(path).read()
        if path.upper() == "PROJECT":  # the project's properties, as text
            lines = blob.decode("cp1252", "replace").splitlines()
            emit("\n".join(ln for ln in lines if not _PROTECTION.match(ln)), f"{where}, project properties")
            continue
        # _VBA_PROJECT and SRP caches, UserForm designers (control captions): their text runs
        runs = [m.group().decode("cp1252", "replace") for m in _ASCII_RUN.finditer(blob)]
        runs += [m.group().decode("utf-16-le") for m in _UTF16_RUN.finditer(blob)]
        emit("\n".join(runs), f"{where}, other stream {_plain(path, 'stream')}")
