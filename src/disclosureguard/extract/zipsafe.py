"""Opening zip containers (archives and Office packages) without being bombed.

Sizes are checked twice: the sizes the zip declares, before anything is inflated, and
the bytes actually inflated, counted as they stream out, so a member never has to be
held whole before the limit is seen.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..errors import ExtractionError, LimitExceeded
from .context import ExtractContext

_CHUNK = 64 * 1024
# Small members are exempt from the ratio check: XML compresses 20:1 honestly, and a
# member this small cannot do harm however well it compresses.
RATIO_EXEMPT_BYTES = 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def looks_like_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise ExtractionError("corrupt", f"{name} is not a readable zip file ({e})") from e


def zip_names(data: bytes) -> list[str] | None:
    """The member names, or None when the data is not a readable zip (for sniffing)."""
    if not looks_like_zip(data):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.namelist()
    except Exception:  # a sniff only answers "is this a readable zip?": any failure is "no"
        return None


def _too_compressed(inflated: int, compressed: int, ctx: ExtractContext) -> bool:
    return inflated > RATIO_EXEMPT_BYTES and inflated > max(compressed, 1) * ctx.limits.max_compression_ratio


def check_declared(zf: zipfile.ZipFile, name: str, ctx: ExtractContext) -> list[zipfile.ZipInfo]:
    """Check member count, declared sizes and ratios before inflating anything."""
    infos = zf.infolist()
    ctx.count_part(len(infos))
    total = 0
    for info in infos:
        if _too_compressed(info.file_size, info.compress_size, ctx):
            ratio = info.file_size / max(info.compress_size, 1)
            raise LimitExceeded(
                "max_compression_ratio",
                f"{name}: member {info.filename!r} would inflate {ratio:.0f} times "
                f"({info.file_size} bytes from {info.compress_size}): a zip bomb",
            )
        total += info.file_size
    remaining = ctx.limits.max_decompressed_bytes - ctx.budget.decompressed_bytes
    if total > remaining:
        raise LimitExceeded(
            "max_decompressed_bytes",
            f"{name}: its members would inflate to {total} bytes, more than the "
            f"{ctx.limits.max_decompressed_bytes} allowed",
        )
    return infos


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ExtractContext) -> bytes:
    """Inflate one member, counting bytes as they come and stopping at a limit."""
    if info.flag_bits & 0x1:
        raise ExtractionError("encrypted", f"{info.filename} is password-protected: not scanned")
    out = bytearray()
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                ctx.count_decompressed(len(chunk))
                out += chunk
                if _too_compressed(len(out), info.compress_size, ctx):
                    raise LimitExceeded(
                        "max_compression_ratio",
                        f"member {info.filename!r} inflates more than "
                        f"{ctx.limits.max_compression_ratio:.0f} times its compressed size: a zip bomb",
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as e:  # ValueError: an offset before the file
        raise ExtractionError("corrupt", f"member {info.filename!r} is damaged ({e})") from e
    except NotImplementedError as e:  # an unsupported compression method
        raise ExtractionError("unsupported", f"member {info.filename!r}: {e}") from e
    return bytes(out)
