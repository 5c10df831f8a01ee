"""Archives (.zip, .tar, .gz): every member read by the same extractors, recursively.

A member that cannot be read (encrypted, damaged) is a problem of its own and the rest
are still read; a limit stops the archive there, keeping what was read before it.
"""

from __future__ import annotations

import io
import tarfile
import zlib
from pathlib import PurePosixPath

from ..errors import ExtractionError, LimitExceeded
from ..model import Document, Problem, Segment
from .context import ExtractContext
from .format import Format
from .zipsafe import RATIO_EXEMPT_BYTES, check_declared, looks_like_zip, open_zip, read_member

_CHUNK = 64 * 1024


def _extract_member(data: bytes, member: str, ctx: ExtractContext) -> Document:
    extract = ctx.reader().extract  # passed down: the registry imports this module

    return extract(data, member, ctx.nested())


def _name_segment(member: str, number: int) -> Segment:
    # A member's name is what a recipient sees first when they open the archive.
    return Segment(text=member, location=f"archive member name {number}", kind="file-name")


def extract_zip(data: bytes, name: str, ctx: ExtractContext) -> Document:
    zf = open_zip(data, name)
    infos = check_declared(zf, name, ctx)
    segments: list[Segment] = []
    children: list[Document] = []
    problems: list[Problem] = []
    members = [i for i in infos if not i.filename.endswith("/")]  # is_dir() fails on an empty name
    for number, info in enumerate(members, 1):
        ctx.count_text(len(info.filename))
        segments.append(_name_segment(info.filename, number))
        try:
            blob = read_member(zf, info, ctx)
        except LimitExceeded as e:
            problems.append(Problem(f"{name}: {info.filename}", "limit", str(e)))
            break
        except ExtractionError as e:
            problems.append(Problem(f"{name}: {info.filename}", e.cause, str(e)))
            continue
        children.append(_extract_member(blob, info.filename, ctx))
    return Document(
        name=name,
        media_type="application/zip",
        segments=tuple(segments),
        children=tuple(children),
        problems=tuple(problems),
    )


def _looks_like_tar(data: bytes) -> bool:
    return data[257:262] == b"ustar"


def extract_tar(data: bytes, name: str, ctx: ExtractContext) -> Document:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
            return _read_tar(tf, name, ctx)
    except (tarfile.TarError, EOFError) as e:
        raise ExtractionError("corrupt", f"{name} is not a readable tar archive ({e})") from e


def _read_tar(tf: tarfile.TarFile, name: str, ctx: ExtractContext) -> Document:
    members = tf.getmembers()
    ctx.count_part(len(members))
    segments: list[Segment] = []
    children: list[Document] = []
    problems: list[Problem] = []
    for number, member in enumerate((m for m in members if m.isfile()), 1):
        ctx.count_text(len(member.name))
        segments.append(_name_segment(member.name, number))
        try:
            ctx.count_decompressed(member.size)
            stream = tf.extractfile(member)
            blob = stream.read() if stream is not None else b""
        except LimitExceeded as e:
            problems.append(Problem(f"{name}: {member.name}", "limit", str(e)))
            break
        except (tarfile.TarError, EOFError, OSError) as e:
            problems.append(Problem(f"{name}: {member.name}", "corrupt", f"member is damaged ({e})"))
            continue
        children.append(_extract_member(blob, member.name, ctx))
    return Document(
        name=name,
        media_type="application/x-tar",
        segments=tuple(segments),
        children=tuple(children),
        problems=tuple(problems),
    )


def _looks_like_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def gunzip(data: bytes, name: str, ctx: ExtractContext) -> bytes:
    """Inflate a gzip stream in bounded steps, counting every byte against the limits."""
    inflater = zlib.decompressobj(wbits=31)
    out = bytearray()
    pending = data
    try:
        while pending:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            ctx.count_decompressed(len(chunk))
            out += chunk
            if len(out) > RATIO_EXEMPT_BYTES and len(out) > len(data) * ctx.limits.max_compression_ratio:
                raise LimitExceeded(
                    "max_compression_ratio",
                    f"{name} inflates more than {ctx.limits.max_compression_ratio:.0f} times its size: a bomb",
                )
            if inflater.eof or not chunk:
                break
    except zlib.error as e:
        raise ExtractionError("corrupt", f"{name} is not a readable gzip stream ({e})") from e
    if not inflater.eof:
        raise ExtractionError("corrupt", f"{name} is truncated: the gzip stream ends early")
    return bytes(out)


def extract_gzip(data: bytes, name: str, ctx: ExtractContext) -> Document:
    inner = gunzip(data, name, ctx)
    path = PurePosixPath(name)
    if path.suffix.lower() == ".tgz":
        inner_name = str(path.with_suffix(".tar"))
    elif path.suffix.lower() == ".gz":
        inner_name = str(path.with_suffix(""))
    else:
        inner_name = f"{name} (decompressed)"
    child = _extract_member(inner, inner_name, ctx)
    return Document(name=name, media_type="application/gzip", children=(child,))


FORMATS: list[Format] = [
    Format(
        name="zip",
        extensions=(".zip",),
        media_types=("application/zip", "application/x-zip-compressed"),
        sniff=looks_like_zip,
        extract=extract_zip,
    ),
    Format(
        name="gzip",
        extensions=(".gz", ".tgz"),
        media_types=("application/gzip", "application/x-gzip"),
        sniff=_looks_like_gzip,
        extract=extract_gzip,
    ),
    Format(
        name="tar",
        extensions=(".tar",),
        media_types=("application/x-tar",),
        sniff=_looks_like_tar,
        extract=extract_tar,
    ),
]
