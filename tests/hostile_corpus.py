"""Hostile and broken inputs, built in code: each is what an attacker or a broken mailer sends.

Every generator returns the bytes of one file; ``CORPUS`` names them with the file name they
arrive under and what the scanner must say about them. Nothing here is downloaded and
nothing is stored: the big ones (a 1 GB zip bomb, a 50 MB line) are built in well under a
second by repeating blocks, never by compressing gigabytes.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from docfixtures import docx, p, r, story, zip_of

NHS = "943 476 5919"  # Lily Smith's NHS number in the Smith case: a valid check digit
_BLOCK = 1 << 20


# -- zip bombs -------------------------------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    """A zip member given as its deflated payload, so a bomb never has to be compressed."""

    name: str
    payload: bytes
    crc: int
    size: int
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, data: bytes) -> RawMember:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def zeros_member(name: str, megabytes: int, declared_size: int | None = None) -> RawMember:
    """``megabytes`` MB of zeros in about 1 KB per MB. ``declared_size`` lets the zip lie."""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = block.compress(bytes(_BLOCK)) + block.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    size = megabytes * _BLOCK
    # The CRC of the whole is never reached: a limit (or the lie) stops reading first.
    return RawMember(name, one * megabytes + end, zlib.crc32(bytes(_BLOCK)), declared_size or size)


def raw_zip(members: list[RawMember]) -> bytes:
    """A zip file written field by field from already-deflated members."""
    body = b""
    central = b""
    for m in members:
        raw_name = m.name.encode()
        offset = len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, m.method, 0, 0, m.crc, len(m.payload), m.size, len(raw_name), 0
        )
        body += raw_name + m.payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, m.method, 0, 0, m.crc, len(m.payload), m.size, len(raw_name), 0, 0, 0, 0, 0, offset,
        ) + raw_name  # fmt: skip
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0)
    return body + central + end


def zip_bomb(gigabytes: float = 1) -> bytes:
    """A zip of one member of zeros (under 4 GB: the sizes are 32-bit fields)."""
    return raw_zip([zeros_member("zeros.bin", min(int(gigabytes * 1024), 4095))])


def zip_bomb_with_lying_sizes() -> bytes:
    """Declares 1 KB but inflates to 1 GB: only the bytes actually inflated can tell."""
    return raw_zip([zeros_member("small.txt", 1024, declared_size=1024)])


def nested_zip_bomb(width: int = 16) -> bytes:
    """42.zip in miniature: ``width`` 1 GB bombs inside one zip, ``width`` GB in all."""
    inner = zip_bomb(1)
    return zip_of({f"part{i:02d}.zip": inner for i in range(width)})


def _docx_parts() -> list[RawMember]:
    package = zipfile.ZipFile(io.BytesIO(docx(p(r("Dear Mr Jones,")))))
    return [deflated(info.filename, package.read(info)) for info in package.infolist()]


def docx_zip_bomb() -> bytes:
    """A real Word document with a 1 GB embedded object of zeros in about 1 MB."""
    return raw_zip([*_docx_parts(), zeros_member("word/embeddings/oleObject1.bin", 1024)])


def docx_xml_bomb() -> bytes:
    """The main document part itself inflates 1 GB (the declared size says so)."""
    parts = [m for m in _docx_parts() if m.name != "word/document.xml"]
    return raw_zip([*parts, zeros_member("word/document.xml", 1024)])


# -- XML attacks in Word parts ---------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def docx_billion_laughs() -> bytes:
    body = docx(p(r("&lol9;")))
    package = zipfile.ZipFile(io.BytesIO(body))
    members = {i.filename: package.read(i) for i in package.infolist()}
    document = members["word/document.xml"].decode()
    members["word/document.xml"] = (BILLION_LAUGHS + document.split("?>", 1)[-1]).encode()
    return zip_of(members)


def docx_external_entity() -> bytes:
    header = story("hdr", p(r("&xxe;"))).split("?>", 1)[-1]
    xxe = '<?xml version="1.0"?><!DOCTYPE hdr [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + header
    return docx(
        p(r("Dear Mr Jones,")),
        parts={"word/header1.xml": xxe},
        rels=[("rIdH", "header", "header1.xml")],
        sect='<w:headerReference w:type="default" r:id="rIdH"/>',
    )


def docx_external_entity_in_content_types() -> bytes:
    package = zipfile.ZipFile(io.BytesIO(docx(p(r("Dear Mr Jones,")))))
    members = {i.filename: package.read(i) for i in package.infolist()}
    types = members["[Content_Types].xml"].decode().split("?>", 1)[-1]
    members["[Content_Types].xml"] = (
        '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY x SYSTEM "http://attacker.example/x">]>' + types
    ).encode()
    return zip_of(members)


# -- PDFs --------------------------------------------------------------------------------


def raw_pdf(objects: list[bytes], *, trailer: bytes = b"/Root 1 0 R", xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object n is ``objects[n - 1]``) with a true xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, start)
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Lily Smith, NHS number 943 476 5919) Tj ET"


def pdf_page_tree_loop() -> bytes:
    """The page tree's Kids holds the tree itself: a reader that follows it never stops."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(PAGE_TEXT),
            FONT,
        ]
    )


def pdf_reference_loops() -> bytes:
    """A readable page, with loops everywhere else: the outline's Next points back at itself,
    a Parent chain is circular, and an XObject draws itself."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 8 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 9 0 R >> >> >>",
            pdf_stream(PAGE_TEXT + b" /X1 Do"),
            FONT,
            b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
            b"<< /Title (loop) /Parent 6 0 R /Next 7 0 R /Prev 7 0 R /First 7 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            pdf_stream(
                b"/X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 9 0 R >> >>"
            ),
        ]
    )


def _zlib_bomb(block: bytes, megabytes: int) -> bytes:
    """A zlib stream of ``block`` repeated to ``megabytes`` MB, in about 1 KB per MB.

    After a full flush the compressor starts afresh, so every further block deflates to the
    same bytes and can be repeated. The checksum at the end is never reached: pypdf stops at
    its output limit first.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, 15)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    return first + again * (megabytes * _BLOCK // len(block) - 1) + c.flush(zlib.Z_FINISH)


def pdf_flate_bomb() -> bytes:
    """A page whose content stream inflates to 1 GB of spaces from about 1 MB."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(_zlib_bomb(b" " * _BLOCK, 1024), b"/Filter /FlateDecode"),
            FONT,
        ]
    )


def pdf_huge_object_stream() -> bytes:
    """The catalog lives in an object stream that claims ten million objects and inflates to
    1 GB; a cross-reference stream points into it, so reading the document must open it."""
    objstm = pdf_stream(
        _zlib_bomb(b"1 0 " * (_BLOCK // 4), 1024), b"/Type /ObjStm /N 10000000 /First 80000000 /Filter /FlateDecode"
    )
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    obj1 = b"1 0 obj\n" + objstm + b"\nendobj\n"
    xref_at = len(head) + len(obj1)
    # /W [1 4 2]: type, field 2 (offset or object-stream number), field 3 (generation or index)
    rows = struct.pack(">BIH", 0, 0, 65535) + struct.pack(">BIH", 1, len(head), 0)
    rows += struct.pack(">BIH", 2, 1, 0) + struct.pack(">BIH", 1, xref_at, 0)
    xref = b"3 0 obj\n" + pdf_stream(rows, b"/Type /XRef /W [1 4 2] /Index [0 4] /Size 4 /Root 2 0 R") + b"\nendobj\n"
    return head + obj1 + xref + b"startxref\n%d\n%%%%EOF\n" % xref_at


def pdf_broken_xref() -> bytes:
    """Every xref offset wrong, startxref past the end, and no objects to rebuild from."""
    good = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    head, _, _ = good.partition(b"xref\n")
    broken = b"xref\n0 3\n0000000000 65535 f \n0000099999 00000 n \n0000088888 00000 n \n"
    scrambled = head.replace(b" obj", b" jbo").replace(b"endobj", b"endjbo")
    return scrambled + broken + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"


def pdf_without_xref_or_trailer() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>"], trailer=b"", xref=False).replace(b"trailer", b"")


def pdf_slow_content(operators: int = 400_000) -> bytes:
    """A page of ``operators`` tiny text-showing operators: small on disk, seconds to parse."""
    content = b"BT /F1 1 Tf " + b"1 0 Td (x) Tj " * operators + b"ET"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(zlib.compress(content, 9), b"/Filter /FlateDecode"),
            FONT,
        ]
    )


# -- email ---------------------------------------------------------------------------------


def _message(subject: str = "Contact arrangements", body: str = "Please see attached.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "sam.worker@gov.je"
    msg["To"] = "someone@example.com"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def email_with_attachment(data: bytes, filename: str, maintype: str = "application", subtype: str = "zip") -> bytes:
    msg = _message()
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes(policy=SMTP)


def email_zip_bomb() -> bytes:
    return email_with_attachment(zip_bomb(1), "photos.zip")


def deeply_nested_attachments(levels: int = 14) -> bytes:
    """eml in zip in eml in zip ... ``levels`` containers deep, the letter at the bottom."""
    data = f"Lily Smith, NHS number {NHS}\n".encode()
    name = "letter.txt"
    for level in range(levels):
        if level % 2 == 0:
            data, name = zip_of({name: data}), f"level{level}.zip"
        else:
            data, name = email_with_attachment(data, name), f"level{level}.eml"
    return data


def mime_with_many_parts(parts: int = 10_050) -> bytes:
    boundary = "part-boundary"
    head = (
        "From: sam.worker@gov.je\r\nTo: someone@example.com\r\nSubject: many parts\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
    )
    one = f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    return (head + one * parts + f"--{boundary}--\r\n").encode()


def mime_nested_multiparts(depth: int = 3000) -> bytes:
    """A multipart inside a multipart ... ``depth`` times: recursion in every MIME walker."""
    lines = ["From: a@example.com", "To: someone@example.com", "Subject: nested", "MIME-Version: 1.0"]
    for level in range(depth):
        lines += [f'Content-Type: multipart/mixed; boundary="b{level}"', "", f"--b{level}"]
    lines += ["Content-Type: text/plain", "", f"NHS number {NHS}"]
    lines += [f"--b{level}--" for level in reversed(range(depth))]
    return "\r\n".join(lines).encode()


def email_non_utf8_headers() -> bytes:
    """Raw Latin-1 and invalid UTF-8 in headers, no encoded words: what broken mailers send."""
    return (
        b"From: Ren\xe9e Dup\xf4nt <renee@example.org>\r\n"
        b"To: someone@example.com\r\n"
        b"Subject: Lily Smith \xe9t\xe9 \xff\xfe NHS " + NHS.encode() + b"\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nVoir l'objet.\r\n"
    )


def email_with_nul_bytes() -> bytes:
    return (
        b"From: a@example.com\r\nTo: someone@example.com\r\nSubject: n\x00ul\r\n"
        b"Content-Type: text/plain\r\n\r\nLily\x00 Smith NHS " + NHS.encode() + b"\x00\x00\r\n"
    )


def html_nesting_bomb(depth: int = 100_000) -> bytes:
    """An HTML body of ``depth`` nested and as many unmatched tags: a few hundred KB."""
    msg = _message()
    msg.set_content("<div>" * depth + "</span>" * depth + f"NHS {NHS}", subtype="html")
    return msg.as_bytes(policy=SMTP)


# -- text and binary -------------------------------------------------------------------------


def single_line_text(megabytes: int = 50) -> bytes:
    """One line of ``megabytes`` MB, with an NHS number in the middle."""
    half = b"lorem ipsum dolor " * (megabytes * _BLOCK // 36)
    return half + f" NHS number {NHS} ".encode() + half


def text_with_nul_bytes() -> bytes:
    return f"Dear Mr Jones,\x00\x00 Lily Smith, NHS number {NHS}\x00".encode()


def random_bytes(size: int = 1 << 20, seed: int = 9) -> bytes:
    return random.Random(seed).randbytes(size)


def zip_named_pdf() -> bytes:
    return zip_of({"letter.txt": f"NHS number {NHS}".encode()})


# -- the corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One bad input: its name, how to build it, and the error causes it may end in."""

    id: str
    name: str
    build: Callable[[], bytes]
    causes: frozenset[str]
    limit: str | None = None  # the Limits field the error must name, if a limit stops it


def _h(id: str, name: str, build: Callable[[], bytes], *causes: str, limit: str | None = None) -> Hostile:
    return Hostile(id, name, build, frozenset(causes), limit)


CORPUS: tuple[Hostile, ...] = (
    _h("zip-bomb", "photos.zip", zip_bomb, "limit", limit="max_compression_ratio"),
    _h("zip-bomb-lying-sizes", "small.zip", zip_bomb_with_lying_sizes, "corrupt", "limit"),
    _h("nested-zip-bomb", "42.zip", nested_zip_bomb, "limit"),
    _h("docx-zip-bomb", "letter.docx", docx_zip_bomb, "limit", limit="max_compression_ratio"),
    _h("docx-xml-bomb", "letter.docx", docx_xml_bomb, "limit", limit="max_compression_ratio"),
    _h("email-zip-bomb", "message.eml", email_zip_bomb, "limit", limit="max_compression_ratio"),
    _h("docx-billion-laughs", "letter.docx", docx_billion_laughs, "unsafe-xml"),
    _h("docx-external-entity", "letter.docx", docx_external_entity, "unsafe-xml"),
    _h("docx-xxe-content-types", "letter.docx", docx_external_entity_in_content_types, "unsafe-xml"),
    _h("pdf-page-tree-loop", "report.pdf", pdf_page_tree_loop, "corrupt"),
    _h("pdf-flate-bomb", "report.pdf", pdf_flate_bomb, "limit"),
    _h("pdf-huge-object-stream", "report.pdf", pdf_huge_object_stream, "limit", "corrupt"),
    _h("pdf-broken-xref", "report.pdf", pdf_broken_xref, "corrupt"),
    _h("pdf-no-xref-no-trailer", "report.pdf", pdf_without_xref_or_trailer, "corrupt"),
    _h("deeply-nested-attachments", "message.eml", deeply_nested_attachments, "limit", limit="max_depth"),
    _h("mime-many-parts", "message.eml", mime_with_many_parts, "limit", limit="max_parts"),
    _h("mime-nested-multiparts", "message.eml", mime_nested_multiparts, "corrupt", "malformed", "limit"),
    _h("single-line-50mb", "notes.txt", single_line_text, "limit", limit="max_text_chars"),
    _h("random-named-docx", "letter.docx", random_bytes, "type-mismatch"),
    _h("random-named-pdf", "report.pdf", random_bytes, "type-mismatch"),
    _h("zip-named-pdf", "report.pdf", zip_named_pdf, "type-mismatch"),
    _h("text-with-nul-bytes", "letter.txt", text_with_nul_bytes, "type-mismatch"),
)
