"""Fuzz target: Outlook .msg files and winmail.dat (TNEF), attachments and RTF bodies too.

The first byte picks what the rest of the input becomes, so mutations reach each parser
rather than dying on the compound file's structure:

- 0: the whole input as a .msg (an OLE2 compound file, olefile's parser);
- 1: a TNEF stream: the signature, then the input as the attribute list;
- 2: a TNEF stream whose message property block (attMsgProps) is the input;
- 3: a valid .msg whose compressed RTF body is the input;
- 4: a valid .msg whose HTML body and attachment are the input.

    .venv/bin/python fuzz/fuzz_msg.py fuzz/corpus/msg fuzz/seeds/msg -max_total_time=600
"""

from __future__ import annotations

import os
import struct

import atheris
import harness

# The Outlook readers are imported on first use by the registry: instrument them (and olefile,
# compressed-rtf) here, since the harness only instruments what is imported when it loads.
if os.environ.get("FUZZ_NO_INSTRUMENT") != "1":
    with atheris.instrument_imports(include=["disclosureguard", "olefile", "compressed_rtf"]):
        import compressed_rtf  # noqa: F401
        import olefile  # noqa: F401

        from disclosureguard.extract import msg, ole1, tnef  # noqa: F401

TNEF = b"\x78\x9f\x3e\x22\x01\x00"


def _attribute(level: int, tag: int, value: bytes) -> bytes:
    return struct.pack("<BII", level, tag, len(value)) + value + struct.pack("<H", sum(value) & 0xFFFF)


def _msg(**props: bytes) -> bytes:
    from aspose.email_foss.msg import MapiMessage

    message = MapiMessage.create("Contact", "Dear Mr Jones")
    message.add_recipient("mjones@example.net")
    if "rtf" in props:
        message.set_property(0x1009, 0x0102, props["rtf"])
    if "html" in props:
        message.set_property(0x1013, 0x0102, props["html"])
        message.add_attachment("note.bin", props["html"])
    return bytes(message.to_bytes())


def one_input(data: bytes) -> None:
    if not data:
        return
    mode, rest = data[0] % 5, data[1:]
    if mode == 0:
        harness.check(rest, "saved.msg")
    elif mode == 1:
        harness.check(TNEF + rest, "winmail.dat")
    elif mode == 2:
        harness.check(TNEF + _attribute(1, 0x00069003, rest), "winmail.dat")
    elif mode == 3:
        harness.check(_msg(rtf=rest), "saved.msg")
    else:
        harness.check(_msg(html=rest), "saved.msg")


if __name__ == "__main__":
    harness.run(one_input)
