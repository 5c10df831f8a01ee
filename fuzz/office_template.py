"""What the spreadsheet, slide and OpenDocument fuzz targets share: a small valid package
built in code, and the rule that turns fuzz input into a package.

Mutating a zip byte by byte mostly breaks its checksums, so an input that starts with
``P`` (as every real package does, "PK") is read as a whole package, and any other input
replaces one XML part of the template (picked by its first byte) with the rest of the input.
"""

from __future__ import annotations

import io
import zipfile


def package_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def package_with(template: dict[str, bytes], part: str, xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, content in template.items():
            zf.writestr(name, xml if name == part else content)
    return buffer.getvalue()


def fuzzed_input(template: dict[str, bytes], parts: list[str], data: bytes) -> bytes:
    if data[:1] == b"P":
        return data
    return package_with(template, parts[data[0] % len(parts)], data[1:])
