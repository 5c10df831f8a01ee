"""Macro projects (issue 13): the VBA source in vbaProject.bin is read as hidden text naming the
part and module, or reported; never passed in silence.

The projects are built here as Office writes them: an OLE2 compound file (written with the
MIT-licensed CFB writer of aspose-email-foss, a dev dependency) holding ``VBA/dir`` and one
stream per module, each compressed by MS-OVBA's algorithm (section 2.4.1.3, implemented below
for the test side only).
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from aspose.email_foss.cfb.writer import CFBDocument, CFBStorage, CFBStream, CFBWriter

from construct_fixtures import CHILD, CHILD_NHS, UNKNOWN
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.extract.context import ExtractContext
from disclosureguard.extract.vba import VbaError, decompress, vba_segments
from disclosureguard.model import Action
from legacy_fixtures import docx_bytes
from office_fixtures import letter_xlsx

# -- building a macro project ------------------------------------------------------------------


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1.3.6 compression: per 4096-byte chunk, the longest earlier match as a copy token."""
    out = bytearray(b"\x01")
    for start in range(0, max(len(data), 1), 4096):
        chunk = data[start : start + 4096]
        body = bytearray()
        pos = 0
        while pos < len(chunk):
            flag_at = len(body)
            body.append(0)
            for bit in range(8):
                if pos >= len(chunk):
                    break
                bits = max((pos - 1).bit_length(), 4)
                longest = (0xFFFF >> bits) + 3
                best, offset = 0, 0
                for candidate in range(pos - 1, -1, -1):
                    n = 0
                    while pos + n < len(chunk) and n < longest and chunk[candidate + n] == chunk[pos + n]:
                        n += 1
                    if n > best:
                        best, offset = n, pos - candidate
                if best >= 3:
                    body += (((offset - 1) << (16 - bits)) | (best - 3)).to_bytes(2, "little")
                    body[flag_at] |= 1 << bit
                    pos += best
                else:
                    body.append(chunk[pos])
                    pos += 1
        if len(body) > 4096:  # incompressible: stored as is
            out += (0x3FFF).to_bytes(2, "little") + chunk.ljust(4096, b"\0")
        else:
            out += (0xB000 | (len(body) - 1)).to_bytes(2, "little") + body
    return bytes(out)


def _record(rid: int, value: bytes) -> bytes:
    return struct.pack("<HI", rid, len(value)) + value


def dir_stream(modules: list[tuple[str, str, int]], project_doc: str = "") -> bytes:
    """The decompressed VBA/dir records of MS-OVBA 2.3.4.2 for (name, stream, text offset) modules."""
    rows = [
        _record(0x01, struct.pack("<I", 1)),  # PROJECTSYSKIND: 32-bit Windows
        _record(0x02, struct.pack("<I", 0x0409)),  # PROJECTLCID
        _record(0x14, struct.pack("<I", 0x0409)),  # PROJECTLCIDINVOKE
        _record(0x03, struct.pack("<H", 1252)),  # PROJECTCODEPAGE
        _record(0x04, b"Project"),  # PROJECTNAME
        _record(0x05, project_doc.encode("cp1252")) + _record(0x40, project_doc.encode("utf-16-le")),
        _record(0x06, b"") + _record(0x3D, b""),  # PROJECTHELPFILEPATH
        _record(0x07, struct.pack("<I", 0)),  # PROJECTHELPCONTEXT
        _record(0x08, struct.pack("<I", 0)),  # PROJECTLIBFLAGS
        struct.pack("<HIIH", 0x09, 4, 1, 0),  # PROJECTVERSION: Size says 4, six bytes follow
        _record(0x0C, b"") + _record(0x3C, b""),  # PROJECTCONSTANTS
        _record(0x0F, struct.pack("<H", len(modules))),  # PROJECTMODULES
        _record(0x13, struct.pack("<H", 0xFFFF)),  # PROJECTCOOKIE
    ]
    for name, stream, offset in modules:
        rows += [
            _record(0x19, name.encode("cp1252")),
            _record(0x47, name.encode("utf-16-le")),
            _record(0x1A, stream.encode("cp1252")),
            _record(0x32, stream.encode("utf-16-le")),
            _record(0x1C, b"") + _record(0x48, b""),  # MODULEDOCSTRING
            _record(0x31, struct.pack("<I", offset)),
            _record(0x1E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
            _record(0x2C, struct.pack("<H", 0xFFFF)),  # MODULECOOKIE
            _record(0x21, b""),  # MODULETYPE: procedural
            _record(0x2B, b""),  # terminator
        ]
    rows.append(_record(0x10, b""))
    return b"".join(rows)


def vba_project(sources: dict[str, str], *, extra: dict[str, bytes] | None = None, project_doc: str = "",
                dir_bytes: bytes | None = None) -> bytes:
    """A vbaProject.bin: one module per (name, source), each stream a p-code area then the source."""
    pcode = b"\x01\x16\x03\x00" + b"\x00" * 60  # stands for the compiled code before the source
    vba = CFBStorage("VBA")
    modules = []
    for name, source in sources.items():
        vba.add_stream(CFBStream(name, pcode + compress(source.encode("cp1252"))))
        modules.append((name, name, len(pcode)))
    vba.add_stream(CFBStream("_VBA_PROJECT", b"\xcc\x61\xff\xff\x00\x00\x00"))
    vba.add_stream(CFBStream("dir", dir_bytes if dir_bytes is not None else compress(dir_stream(modules, project_doc))))
    document = CFBDocument(CFBStorage("Root Entry"))
    document.root.add_storage(vba)
    project = "ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n" + "".join(
        f"Module={name}\r\n" for name in sources) + 'Name="Project"\r\nCMG="0705D8E3D8EDDBF1DBF1DBF1DBF1"\r\n'
    document.root.add_stream(CFBStream("PROJECT", project.encode("cp1252")))
    for stream, data in (extra or {}).items():
        document.root.add_stream(CFBStream(stream, data))
    return CFBWriter.to_bytes(document)


def docm(project: bytes, body_text: str = "Minutes of the meeting.") -> bytes:
    """A Word file with a macro project, as Word saves a .docm (part, relationship, content type)."""
    base = zipfile.ZipFile(io.BytesIO(docx_bytes([body_text])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                    b'vnd.ms-office.vbaProject"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.'
                                    b'microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            z.writestr(info, data)
        z.writestr("word/vbaProject.bin", project)
    return out.getvalue()


MACRO = f'Sub AutoOpen()\r\n    \' reminder for the file\r\n    MsgBox "{CHILD}"\r\nEnd Sub\r\n'


# -- decompression -----------------------------------------------------------------------------


def test_the_worked_examples_of_the_specification_decompress():
    # MS-OVBA 3.2: an uncompressible run, and one with copy tokens
    assert decompress(b"\x01\x19\xb0\x00abcdefgh\x00ijklmnop\x00qrstuv.") == b"abcdefghijklmnopqrstuv."
    packed = bytes.fromhex("012fb000236161616263646582660070616768696a01380861 6b6c00306d6e6f7006710270"
                           "0410727374757610 7778797a003c".replace(" ", ""))
    assert decompress(packed) == b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"


def test_compression_round_trips_across_chunks_and_repeats():
    text = ("Sub Main()\r\n" + "    Debug.Print \"Lily Smith 943 476 5919\"\r\n" * 300 + "End Sub\r\n").encode()
    assert len(text) > 3 * 4096
    assert decompress(compress(text)) == text


# no signature; cut short; a copy token before its chunk; a chunk of copies past 4096 bytes
_BODY = b"\xfea" + b"\xff\x0f" * 7  # a literal, then copies of it 4098 bytes long each
_RUNAWAY = b"\x01" + (0xB000 | (len(_BODY) - 1)).to_bytes(2, "little") + _BODY


@pytest.mark.parametrize("damaged", [b"", b"\x00\x19\xb0", b"\x01\x2f\xb0\x00\x23\x61\xff\xff", b"\x01\x01",
                                     b"\x01\x03\xb0\x01\x01\x00", _RUNAWAY])
def test_damaged_compressed_streams_are_an_error_not_a_guess(damaged: bytes):
    with pytest.raises(VbaError):
        decompress(damaged)
    if damaged is _RUNAWAY:
        with pytest.raises(VbaError, match="more than 4096 bytes"):
            decompress(damaged)


# -- extraction --------------------------------------------------------------------------------


def test_the_module_source_of_a_docm_is_hidden_text_naming_the_part_and_module():
    doc = extract(docm(vba_project({"NewMacros": MACRO})), "minutes.docm")
    held = [s for s in doc.segments if CHILD_NHS in s.text]
    assert [(s.location, s.hidden) for s in held] == [
        ("macro project word/vbaProject.bin, module 1 (NewMacros), source", True)]
    assert 'MsgBox "Lily Smith' in held[0].text and "Sub AutoOpen()" in held[0].text
    assert doc.problems == ()


def test_a_userform_caption_and_the_project_description_are_read_too():
    designer = b"\x00\x02\x18\x00" + "Lily Smith".encode("utf-16-le") + b"\x00\x00" + b"Caption NHS 943 476 5919\x00"
    project = vba_project({"Module1": "Sub A()\r\nEnd Sub\r\n"}, extra={"UserForm1": designer},
                          project_doc="Forms for the Smith family")
    doc = extract(docm(project), "form.docm")
    text = {s.location: s.text for s in doc.segments if s.location.startswith("macro project")}
    assert "Lily Smith" in text["macro project word/vbaProject.bin, other stream UserForm1"]
    assert "943 476 5919" in text["macro project word/vbaProject.bin, other stream UserForm1"]
    assert text["macro project word/vbaProject.bin, project description"] == "Forms for the Smith family"
    properties = text["macro project word/vbaProject.bin, project properties"]
    assert "Module=Module1" in properties and "CMG=" not in properties  # protection hashes are not text


def test_a_damaged_module_list_is_incomplete_never_silence():
    project = vba_project({"NewMacros": MACRO}, dir_bytes=b"\x01\x05\xb0\x00\x09\x00\x04")
    doc = extract(docm(project), "minutes.docm")
    assert [(p.part, p.cause) for p in doc.problems] == [
        ("minutes.docm: macro project word/vbaProject.bin", "incomplete")]
    assert "module list could not be read" in doc.problems[0].message


def test_a_macro_part_that_is_not_a_compound_file_is_incomplete():
    doc = extract(docm(b"not an OLE file at all" * 100), "minutes.docm")
    assert [p.cause for p in doc.problems] == ["incomplete"]


def test_the_childs_nhs_number_in_a_macro_string_is_not_allowed_to_an_unknown_address(
        patterns_scanner: Scanner):
    verdict = patterns_scanner.scan(docm(vba_project({"NewMacros": MACRO})), [UNKNOWN], name="minutes.docm")
    assert verdict.decision == Action.BLOCK
    nhs = [f for f in verdict.findings if f.entity_type == "UK_NHS"]
    assert nhs and all(f.hidden and "module 1 (NewMacros)" in f.location for f in nhs)
    assert {"unknown-recipient", "hidden-content"} <= {r.rule for r in verdict.reasons}


def test_the_macro_project_of_a_workbook_is_read_the_same_way():
    base = zipfile.ZipFile(io.BytesIO(letter_xlsx("father")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in base.infolist():
            z.writestr(info, base.read(info.filename))
        z.writestr("xl/vbaProject.bin", vba_project({"Module1": MACRO}))
    doc = extract(out.getvalue(), "book.xlsm")
    held = [s for s in doc.all_segments() if CHILD_NHS in s.text]
    assert [s.location for s in held] == ["macro project xl/vbaProject.bin, module 1 (Module1), source"]
    assert all(s.hidden for s in held)


def test_the_macro_text_counts_against_the_text_limit():
    from disclosureguard.errors import LimitExceeded
    from disclosureguard.limits import Limits

    ctx = ExtractContext(limits=Limits(max_text_chars=20))
    with pytest.raises(LimitExceeded):
        vba_segments(vba_project({"NewMacros": MACRO}), "word/vbaProject.bin", ctx)


def test_a_module_or_stream_name_holding_a_number_is_not_repeated_in_the_location():
    project = vba_project({"Lily9434765919": MACRO}, extra={"UserForm1": b"Caption Lily Smith\x00"})
    doc = extract(docm(project), "minutes.docm")
    locations = [s.location for s in doc.segments if s.location.startswith("macro project")]
    assert "macro project word/vbaProject.bin, module 1 (a module with an unusual name), source" in locations
    assert not any("9434765919" in loc for loc in locations)
    assert "macro project word/vbaProject.bin, other stream UserForm1" in locations
