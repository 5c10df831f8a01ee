"""Real RTF, Outlook .msg, winmail.dat and .doc files built in code for the tests.

RTF is written the way Word writes it (every few characters in an ``{\\insrsidN ...}``
group, accents as ``\\'hh``, other characters as ``\\uN?``); .msg files with
aspose-email-foss (MIT); winmail.dat with a small TNEF writer following MS-OXTNEF; .doc
and .ppt by LibreOffice from .docx/.pptx made with python-docx/python-pptx.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

import conversion_cache

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "samples" / "letters"
FATHER = "mjones@example.net"
MOTHER = "sarah.smith@example.com"
WITHHELD_ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"


def letter_lines(name: str = "letter-to-father.txt") -> list[str]:
    return (LETTERS / name).read_text().splitlines()


def rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        elif ord(ch) < 256:
            out.append(f"\\'{ord(ch):02x}")
        else:
            code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
            out.append(f"\\u{code}?")
    return "".join(out)


def word_split(text: str, every: int = 5) -> str:
    """A line as Word writes it after edits: runs of a few characters, each in its own rsid group."""
    chunks = [text[i : i + every] for i in range(0, len(text), every)]
    return "".join(f"{{\\insrsid{1000 + n} {rtf_escape(chunk)}}}" for n, chunk in enumerate(chunks))


def rtf_letter(lines: list[str], *, extra: str = "") -> bytes:
    body = "".join(f"\\pard\\plain {word_split(line)}\\par\n" if line else "\\pard\\par\n" for line in lines)
    head = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\rsidtbl \\rsid1000\\rsid1001}"
        "{\\*\\generator Microsoft Word 16.0;}{\\info{\\operator Priya Shah}{\\creatim\\yr2026\\mo11\\dy14}}\n"
    )
    return (head + body + extra + "}").encode("ascii")


def docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def msg_bytes(to: list[str], body: str, subject: str = "Contact arrangements",
              attachments: list[tuple[str, bytes]] = (), embedded: list[bytes] = (),
              rtf: bytes | None = None) -> bytes:
    from aspose.email_foss.msg import MapiMessage

    message = MapiMessage.create(subject, body)
    message.set_property(0x0C1F, 0x001F, "worker@gov.je")
    message.set_property(0x0C1A, 0x001F, "Priya Shah")
    for address in to:
        message.add_recipient(address)
    for name, data in attachments:
        message.add_attachment(name, data)
    for inner in embedded:
        message.add_embedded_message_attachment(_load(inner))
    if rtf is not None:
        from compressed_rtf import compress

        message.set_property(0x1009, 0x0102, compress(rtf))
    return bytes(message.to_bytes())


def _load(data: bytes):
    from aspose.email_foss.msg import MapiMessage

    with tempfile.NamedTemporaryFile(suffix=".msg") as f:
        f.write(data)
        f.flush()
        return MapiMessage.from_file(f.name)


# -- TNEF --------------------------------------------------------------------------------

def _attribute(level: int, tag: int, value: bytes) -> bytes:
    checksum = sum(value) & 0xFFFF
    return struct.pack("<BII", level, tag, len(value)) + value + struct.pack("<H", checksum)


def _pad(raw: bytes) -> bytes:
    return raw + b"\0" * (-len(raw) % 4)


def _prop(kind: int, prop: int, value: bytes | str | int) -> bytes:
    head = struct.pack("<HH", kind, prop)
    if kind == 0x0003:
        return head + struct.pack("<i", int(value))
    raw = value.encode("utf-16-le") + b"\0\0" if isinstance(value, str) else bytes(value)  # type: ignore[arg-type]
    return head + struct.pack("<II", 1, len(raw)) + _pad(raw)


def _props(items: list[bytes]) -> bytes:
    return struct.pack("<I", len(items)) + b"".join(items)


def tnef_bytes(rtf: bytes, to: list[str], subject: str = "Contact arrangements",
               attachments: list[tuple[str, bytes]] = (), embedded: list[bytes] = ()) -> bytes:
    """A winmail.dat as Outlook sends it in rich-text mode: the body only as compressed RTF."""
    from compressed_rtf import compress

    out = [b"\x78\x9f\x3e\x22", struct.pack("<H", 0x1234)]
    out.append(_attribute(1, 0x00089006, struct.pack("<I", 0x00010000)))  # attTnefVersion
    out.append(_attribute(1, 0x00018004, subject.encode("cp1252") + b"\0"))  # attSubject
    message = _props([_prop(0x001F, 0x0037, subject), _prop(0x0102, 0x1009, compress(rtf)),
                      _prop(0x001F, 0x0C1F, "worker@gov.je")])
    out.append(_attribute(1, 0x00069003, message))  # attMsgProps
    rows = [_props([_prop(0x001F, 0x3001, a), _prop(0x001F, 0x3003, a), _prop(0x0003, 0x0C15, 1)]) for a in to]
    out.append(_attribute(1, 0x00069004, struct.pack("<I", len(rows)) + b"".join(rows)))  # attRecipTable
    for name, data in attachments:
        out.append(_attribute(2, 0x00069002, b"\0" * 14))  # attAttachRendData
        out.append(_attribute(2, 0x00018010, name.encode("cp1252") + b"\0"))  # attAttachTitle
        out.append(_attribute(2, 0x0006800F, data))  # attAttachData
        out.append(_attribute(2, 0x00069005, _props([_prop(0x001F, 0x3707, name)])))  # attAttachment
    iid_imessage = bytes.fromhex("0703020000000000c000000000000046")
    for inner in embedded:  # an attached message: a PT_OBJECT holding IID_IMessage and a TNEF stream
        out.append(_attribute(2, 0x00069002, b"\0" * 14))
        out.append(_attribute(2, 0x00069005, _props([_prop(0x000D, 0x3701, iid_imessage + inner),
                                                     _prop(0x0003, 0x3705, 5)])))
    return b"".join(out)


# -- LibreOffice ---------------------------------------------------------------------------

@cache
def convert_with_libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    program = shutil.which("soffice")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (scripts/system-deps installs it)")
        pytest.skip("LibreOffice is not installed here")

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"letter{suffix}"
            source.write_bytes(data)
            subprocess.run([program, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            target, "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=180)
            return (Path(tmp) / f"letter.{target.split(':')[0]}").read_bytes()

    return conversion_cache.shared("legacy", data, suffix, target, make=make)


def pptx_bytes(lines: list[str], notes: str = "") -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6)).text_frame
    box.text = lines[0]
    for line in lines[1:]:
        box.add_paragraph().text = line
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


# -- the Smith letter in every format of this area -----------------------------------------

FORMATS = ("rtf", "msg", "msg-attachment", "winmail.dat", "doc")
FILE_NAMES = {"rtf": "letter.rtf", "msg": "letter.msg", "msg-attachment": "letter.msg", "winmail.dat": "winmail.dat",
              "doc": "letter.doc", "ppt": "slides.ppt"}


@cache
def legacy_letter(fmt: str, to: str) -> bytes:
    """The Smith letter (to "father": it holds the mother's withheld address; to "mother": clean) in ``fmt``.

    The .msg and winmail.dat are addressed to the letter's addressee, so their recipients
    come from the file itself, as an .eml's do.
    """
    lines = letter_lines(f"letter-to-{to}.txt")
    address = FATHER if to == "father" else MOTHER
    if fmt == "rtf":
        return rtf_letter(lines)
    if fmt == "msg":
        return msg_bytes([address], "\n".join(lines))
    if fmt == "msg-attachment":
        attached = [("letter.docx", docx_bytes(lines))]
        return msg_bytes([address], "Please find the letter attached.", attachments=attached)
    if fmt == "winmail.dat":
        return tnef_bytes(rtf_letter(lines), [address])
    if fmt == "doc":
        return convert_with_libreoffice(docx_bytes(lines), ".docx", "doc")
    if fmt == "ppt":
        return convert_with_libreoffice(pptx_bytes(lines[:4], notes="\n".join(lines[4:])), ".pptx", "ppt")
    raise ValueError(fmt)
