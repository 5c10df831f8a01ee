"""Builders for Word, PDF and zip test files, made in code so every test shows its input."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def tbl(*rows: list[str]) -> str:
    body = "".join("<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{body}</w:tbl>"


def docx(
    body: str,
    *,
    parts: dict[str, str | bytes] | None = None,
    rels: list[tuple[str, str, str]] | None = None,
    package_rels: list[tuple[str, str, str]] | None = None,
    sect: str = "",
    external_rels: list[tuple[str, str, str]] | None = None,
) -> bytes:
    """A minimal .docx: ``body`` is the inside of w:body; ``parts`` are extra package parts;
    ``rels`` are (id, type suffix, target) relationships of the main document part."""
    doc_rels = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{rtype}" Target="{target}"/>' for rid, rtype, target in rels or []
    )
    doc_rels += "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{rtype}" Target="{target}" TargetMode="External"/>'
        for rid, rtype, target in external_rels or []
    )
    pkg_rels = f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>' + "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>' for rid, rtype, target in package_rels or []
    )
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>'
        ),
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{pkg_rels}</Relationships>",
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}'
        f"<w:sectPr>{sect}</w:sectPr></w:body></w:document>",
        "word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{doc_rels}</Relationships>',
    }
    files.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def story(root: str, inner: str) -> str:
    """A header, footer, footnotes or comments part."""
    return f'<?xml version="1.0" encoding="UTF-8"?><w:{root} {NS}>{inner}</w:{root}>'


def pdf(draw: Callable[[canvas.Canvas], None], pages: int = 1, **meta: str) -> bytes:
    """A PDF drawn with reportlab; ``draw`` is called once per page."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for key, value in meta.items():
        getattr(c, f"set{key.capitalize()}")(value)
    for _ in range(pages):
        draw(c)
        c.showPage()
    c.save()
    return out.getvalue()


def letter_page(c: canvas.Canvas) -> None:
    c.setFont("Helvetica", 11)
    lines = [
        "Children's Services, Jersey",
        "Dear Mr Jones,",
        "Re: Lily Smith, case CSC-2021-004512",
        "Following the review meeting on 14 May, I am writing to set out the arrangements",
        "for contact between you and Lily over the summer. Contact will take place at the",
        "family centre on Saturdays between 10am and 12 noon, supervised by a worker.",
        "Please confirm by reply that these arrangements suit you.",
        "Yours sincerely, Anna Clarke, Social Worker",
    ]
    y = 780.0
    for line in lines:
        c.drawString(72, y, line)
        y -= 18


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_bomb(gigabytes: int = 1, name: str = "zeros.bin") -> bytes:
    """A zip holding ``gigabytes`` GB of zeros in about 1 MB, built without compressing it.

    Deflate output for a full-flushed block of zeros is the same every time, so one block
    is compressed and repeated; the CRC of the zeros is computed by combining.
    """
    block_size = 1 << 20
    blocks = gigabytes * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(block_size)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    payload = block * blocks + final
    size = block_size * blocks
    crc = 0
    zeros = bytes(block_size)
    for _ in range(min(blocks, 4)):  # the CRC is never reached: the limit stops reading first
        crc = zlib.crc32(zeros, crc)
    raw_name = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), size, len(raw_name), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(payload),
        size,
        len(raw_name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    local_record = local + raw_name
    central_record = central + raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central_record), len(local_record) + len(payload), 0)
    return local_record + payload + central_record + end


def pdf_edit(data: bytes, edit: Callable[[PdfWriter], None], *, incremental: bool = False) -> bytes:
    """Change a PDF with pypdf; ``incremental`` appends the change as an update."""
    writer = PdfWriter(io.BytesIO(data), incremental=True) if incremental else PdfWriter(clone_from=io.BytesIO(data))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def annotation(subtype: str, rect: tuple[float, float, float, float], **fields: str | list[float]) -> DictionaryObject:
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        }
    )
    for key, value in fields.items():
        if isinstance(value, list):
            annot[NameObject(f"/{key}")] = ArrayObject([FloatObject(v) for v in value])
        else:
            annot[NameObject(f"/{key}")] = TextStringObject(value)
    return annot


def set_xmp(writer: PdfWriter, xml: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(xml)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)


def replace_page_text(writer: PdfWriter, page: int, content: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(content)
    writer.pages[page].replace_contents(stream)
