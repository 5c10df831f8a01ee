"""OLE1 embedded objects (RTF ``\\objdata``) and OLE "Package" objects (``\\x01Ole10Native``).

Both are small length-prefixed records (MS-OLEDS 2.2 and the Packager format), read here
with bounds checks: every length is checked against what is left, so a lying length is a
``None`` (the caller reports it), never a read past the end.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class NativeObject:
    class_name: str
    data: bytes  # the object's own bytes: an OLE2 compound file, or a packaged file
    file_name: str | None = None  # a packaged file's name


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def u32(self) -> int:
        if self.at + 4 > len(self.data):
            raise ValueError("cut short")
        (value,) = struct.unpack_from("<I", self.data, self.at)
        self.at += 4
        return int(value)

    def u16(self) -> int:
        if self.at + 2 > len(self.data):
            raise ValueError("cut short")
        (value,) = struct.unpack_from("<H", self.data, self.at)
        self.at += 2
        return int(value)

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise ValueError("a length points past the end")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def lp_string(self) -> str:
        return self.take(self.u32()).split(b"\0", 1)[0].decode("cp1252", "replace")

    def c_string(self, limit: int = 4096) -> str:
        end = self.data.find(b"\0", self.at, self.at + limit)
        if end < 0:
            raise ValueError("a name has no end")
        out = self.data[self.at : end].decode("cp1252", "replace")
        self.at = end + 1
        return out


def read_ole1(data: bytes) -> NativeObject | None:
    """The object inside an RTF ``\\objdata`` blob, or None if it is not a readable OLE1 object."""
    try:
        c = _Cursor(data)
        c.u32()  # OLE version
        format_id = c.u32()
        if format_id != 2:  # 1 is a link (no data inside), 5 a static picture
            return None
        class_name = c.lp_string()
        c.lp_string()  # topic
        c.lp_string()  # item
        native = c.take(c.u32())
    except ValueError:
        return None
    if class_name.lower() == "package":
        packaged = read_package(native)
        if packaged is not None:
            return packaged
    return NativeObject(class_name, native)


def read_package(data: bytes) -> NativeObject | None:
    """A file wrapped by the OLE Packager (``\\x01Ole10Native`` stream or OLE1 ``Package`` data)."""
    try:
        c = _Cursor(data)
        if len(data) >= 4 and struct.unpack_from("<I", data)[0] == len(data) - 4:
            c.u32()  # the stream form starts with its own size
        c.u16()  # signature 2
        file_name = c.c_string()
        c.c_string()  # source path
        c.u16()
        c.u16()  # type: 3 = embedded file
        c.take(c.u32())  # temporary path
        content = c.take(c.u32())
    except ValueError:
        return None
    return NativeObject("Package", content, file_name or None)
