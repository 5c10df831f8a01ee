"""Write small seed inputs for the fuzz targets into fuzz/seeds/<format>/ (run from anywhere).

    .venv/bin/python fuzz/make_seeds.py

Seeds are built in code, a few kilobytes each, so they can be read and regenerated; the
corpora libFuzzer grows from them go in fuzz/corpus/ and are not committed.
"""

from __future__ import annotations

import codecs
import gzip
import io
import tarfile
import zipfile
from email.message import EmailMessage
from pathlib import Path

from docx import Document as WordDocument
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SEEDS = Path(__file__).resolve().parent / "seeds"
LETTER = (
    "Dear Mr Jones,\n\nRe: Lily Smith (born 02/03/2014), NHS number 943 476 5919.\n"
    "Her mother lives at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY (07700 900456).\n\n"
    "Yours sincerely,\nJanet Cooper\n"
)


def text_seeds() -> dict[str, bytes]:
    return {
        "letter-utf8.txt": LETTER.encode(),
        "letter-cp1252.txt": (LETTER + "Café – £20\n").encode("cp1252"),
        "letter-utf16.txt": codecs.BOM_UTF16_LE + LETTER.encode("utf-16-le"),
        "letter-crlf.txt": LETTER.replace("\n", "\r\n").encode(),
        "evasion.txt": "NHS 9\u200b4\u200b3 476 59l9, QQ\u00a012 34 56 C, \uff10\uff17\uff17\uff10\uff10".encode(),
        "one-line.txt": ("x" * 2000 + " 943 476 5919 " + "y" * 2000).encode(),
    }


def _email(attach: bool, html: bool, nested: bool) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sam Worker <sam.worker@gov.je>"
    msg["To"] = "mjones@example.net, =?iso-8859-1?q?M=E9lanie?= <m@example.org>"
    msg["Subject"] = "Lily Smith 943 476 5919"
    msg.set_content(LETTER)
    if html:
        msg.add_alternative(
            '<p>Dear Mr Jones</p><p style="display:none">JE3 8XY</p><script>x()</script>', subtype="html"
        )
    if attach:
        msg.add_attachment(LETTER.encode(), maintype="text", subtype="plain", filename="notes 943 476 5919.txt")
        msg.add_attachment(_zip({"a.txt": b"07700 900456"}), maintype="application", subtype="zip", filename="a.zip")
    if nested:
        inner = EmailMessage()
        inner["From"] = "a@example.com"
        inner["Subject"] = "forwarded"
        inner.set_content("QQ 12 34 56 C")
        msg.add_attachment(inner)
    return msg.as_bytes()


def email_seeds() -> dict[str, bytes]:
    return {
        "plain.eml": _email(False, False, False),
        "alternative.eml": _email(False, True, False),
        "attachments.eml": _email(True, False, False),
        "nested.eml": _email(True, True, True),
        "latin1-headers.eml": b"From: \xe9ric <e@example.com>\r\nTo: x@example.com\r\nSubject: caf\xe9 "
        b"\xff\xfe\r\nContent-Type: text/plain; charset=unknown-8bit\r\n\r\nJE2 4AB\r\n",
        "broken-boundary.eml": b"From: a@example.com\nTo: b@example.com\nContent-Type: multipart/mixed; "
        b'boundary="X"\n\n--X\nContent-Type: text/plain\n\nhello\n--X\nContent-Type: application/pdf\n'
        b"Content-Transfer-Encoding: base64\n\nJVBERi0x!!\n",
    }


def _pdf(draw_white: bool = False, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setTitle("Report on Lily Smith")
    c.setAuthor("Janet Cooper")
    for _ in range(pages):
        c.drawString(72, 750, "Dear Mr Jones,")
        c.drawString(72, 730, "Lily Smith, NHS number 943 476 5919")
        c.rect(70, 708, 200, 16, fill=1)
        c.drawString(72, 712, "JE3 8XY under a box")
        if draw_white:
            c.setFillColorRGB(1, 1, 1)
            c.drawString(72, 690, "white 07700 900456")
            c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _pdf_with_extras(base: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 600, 92, 620)]),
            NameObject("/Contents"): TextStringObject("call 07700 900456"),
            NameObject("/T"): TextStringObject("Janet"),
        }
    )
    writer.add_annotation(0, note)
    writer.add_attachment("notes.txt", LETTER.encode())
    writer.add_outline_item(title="Lily Smith", page_number=0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_incremental(base: bytes) -> bytes:
    writer = PdfWriter(io.BytesIO(base), incremental=True)
    writer.add_metadata({"/Subject": "edited"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_page(content: bytes, build: object = None) -> bytes:
    """One page of ``content`` in Helvetica /F1; ``build(pdf, page)`` adds what the seed is about."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.Pdf.new()
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = Dictionary(Type=Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_stream(content),
                      Resources=Dictionary(Font=Dictionary(F1=helv)))
    pdf.pages.append(pikepdf.Page(page))
    if callable(build):
        build(pdf, pdf.pages[0].obj)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def _stamp(pdf: object, page: object) -> None:
    """A stamp annotation whose text is only in its appearance stream."""
    from pikepdf import Array, Dictionary, Name

    look = pdf.make_stream(b"BT /F1 9 Tf 4 12 Td (NHS 943 476 5919) Tj ET")  # type: ignore[attr-defined]
    look.Type, look.Subtype, look.BBox = Name.XObject, Name.Form, [0, 0, 300, 30]
    look.Resources = page.Resources  # type: ignore[attr-defined]
    stamp = Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=[72, 600, 372, 630], AP=Dictionary(N=look))
    page.Annots = Array([pdf.make_indirect(stamp)])  # type: ignore[attr-defined]


def _layer_off(pdf: object, page: object) -> None:
    from pikepdf import Array, Dictionary, Name, String

    ocg = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Notes")))  # type: ignore[attr-defined]
    page.Resources.Properties = Dictionary(L1=ocg)  # type: ignore[attr-defined]
    pdf.Root.OCProperties = Dictionary(OCGs=Array([ocg]), D=Dictionary(OFF=Array([ocg])))  # type: ignore[attr-defined]


def _odd_utf16_field(pdf: object, page: object) -> None:
    from pikepdf import Array, Dictionary, Name, String

    value = String(b"\xfe\xff" + "Lily Smith".encode("utf-16-be") + b"\x00")
    widget = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("n"),  # type: ignore[attr-defined]
                                          V=value, Rect=[72, 600, 372, 630]))
    page.Annots = Array([widget])  # type: ignore[attr-defined]
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))  # type: ignore[attr-defined]


def pdf_construct_seeds() -> dict[str, bytes]:
    """The issue-13 constructs and every way of moving text, so mutations start from them.
    (No Type3 seed: its page goes to OCR, seconds a run, which starves the fuzzer.)"""
    moves = (b"BT /F1 11 Tf 14 TL 72 700 Td (Lily Smith) Tj (943 476) ' 1 2 (5919) \" ET "
             b"q 0 1 -1 0 400 100 cm BT /F1 12 Tf 80 Tz 1 Tc 3 Ts [(07700) -120 (900456)] TJ ET Q "
             b"BT /F1 11 Tf 700 500 Td (off the page) Tj ET 0 g 70 695 80 16 re f")
    return {
        "moves-and-box.pdf": _pdf_page(moves),
        "stamp-appearance.pdf": _pdf_page(b"", _stamp),
        "layer-off.pdf": _pdf_page(b"/OC /L1 BDC BT /F1 11 Tf 72 700 Td (Lily Smith) Tj ET EMC", _layer_off),
        "odd-utf16-field.pdf": _pdf_page(b"", _odd_utf16_field),
    }


def pdf_seeds() -> dict[str, bytes]:
    base = _pdf()
    return {
        **pdf_construct_seeds(),
        "letter.pdf": base,
        "white-text.pdf": _pdf(draw_white=True),
        "two-pages.pdf": _pdf(pages=2),
        "extras.pdf": _pdf_with_extras(base),
        "incremental.pdf": _pdf_incremental(base),
        "tiny.pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1"
        b">>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]/Contents 4 0 R>>endobj 4 0 obj<</Length 8>>"
        b"stream\nBT ET q Q\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    }


def _word() -> bytes:
    doc = WordDocument()
    doc.core_properties.author = "Janet Cooper"
    doc.sections[0].header.paragraphs[0].text = "CSC-2021-004512"
    doc.add_paragraph("Dear Mr Jones,")
    run = doc.add_paragraph().add_run("NHS 943 476 5919")
    run.font.hidden = True
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Address"
    table.cell(0, 1).text = "JE3 8XY"
    paragraph = doc.add_paragraph("see note")
    doc.add_comment(paragraph.runs, text="phone 07700 900456", author="Janet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_seeds() -> dict[str, bytes]:
    # Part seeds: the first byte picks the part in fuzz_docx.FUZZED_PARTS (index 2 = document.xml).
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (
        f"<w:document {w}><w:body><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>943 476 5919</w:t></w:r>"
        f'<w:del w:author="A"><w:r><w:delText>JE3 8XY</w:delText></w:r></w:del>'
        f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>07700 900456</w:t></w:r></w:p>'
        f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    header = f"<w:hdr {w}><w:p><w:r><w:t>CSC-2021-004512</w:t></w:r></w:p></w:hdr>"
    return {
        "python-docx.docx": _word(),
        "part-document.xml": b"\x02" + body.encode(),
        "part-header.xml": b"\x03" + header.encode(),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tf.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def zip_seeds() -> dict[str, bytes]:
    inner = _zip({"letter.txt": LETTER.encode()})
    return {
        "flat.zip": _zip({"letter.txt": LETTER.encode(), "mail.eml": _email(False, False, False)}),
        "nested.zip": _zip({"inner.zip": inner, "empty/": b""}),
        "letter.tar.gz": gzip.compress(_tar({"letter.txt": LETTER.encode()})),
        "structured": b"\x00\x02letter.txt\x00\x01" + LETTER.encode(),
    }


def html_seeds() -> dict[str, bytes]:
    return {
        "body.html": b"<!DOCTYPE html><html><head><title>Notes</title><body><p>Lily Smith &#57;43 <span>476</span>"
        b" 5919</p><input value='JE3 8XY'><img alt='Sarah Smith' title='t'></body></html>",
        "outlook.html": b"<html><head><style>p.x::before{content:\"943 \\34 76\"}</style></head><body>"
        b"<!--[if mso]><p>Flat 3, 8 Seaview Terrace</p><![endif]--><noscript>02/03/2014</noscript>"
        b"<p class=x style='display:none'>hidden</p><template><p>tpl</p></template></body></html>",
        "broken.html": b"<table><tr><td>Lily<td>Smith</table></b></i><p>unclosed <div hidden>943 476 5919",
        "nested.html": b"<div>" * 600 + b"deep" + b"</div>" * 600,
        "utf16.html": codecs.BOM_UTF16_LE + "<p>Lily Smith</p>".encode("utf-16-le"),
    }


def main() -> None:
    for fmt, seeds in (
        ("text", text_seeds()),
        ("email", email_seeds()),
        ("pdf", pdf_seeds()),
        ("docx", docx_seeds()),
        ("zip", zip_seeds()),
        ("html", html_seeds()),
    ):
        folder = SEEDS / fmt
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (folder / name).write_bytes(data)
        print(f"{fmt}: {len(seeds)} seeds in {folder}")


if __name__ == "__main__":
    main()
