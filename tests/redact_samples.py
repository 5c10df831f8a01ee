"""Sample letters about the Smith family (shared/spec/case-file.md), built in code, for the
redaction tests: each holds Sarah Smith's withheld address, phone and email."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import docx
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from disclosureguard.redact.values import Target

ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
POSTCODE = "JE3 8XY"
PHONE = "07700 900456"
EMAIL = "sarah.smith@example.com"
NHS = "943 476 5919"

WITHHELD = [
    Target(ADDRESS, "ADDRESS"),
    Target(POSTCODE, "UK_POSTCODE"),
    Target(PHONE, "PHONE_NUMBER"),
    Target(EMAIL, "EMAIL_ADDRESS"),
]
WITHHELD_VALUES = [t.value for t in WITHHELD]

LETTER_LINES = [
    "Children's Social Care",
    "Le Bas Centre, St Saviour's Road, St Helier, JE2 4RP",
    "",
    "Mr Mark Jones",
    "4 Clos de la Mare, St Clement, JE2 6QN",
    "",
    "Dear Mr Jones,",
    "",
    "Re: Lily Smith",
    "",
    "I am writing to confirm the arrangements we agreed for your contact with Lily.",
    f"Lily's mother has now moved to {ADDRESS}, so the",
    "handover will no longer happen at the old address.",
    f"If the handover changes she can be reached on {PHONE} or",
    f"{EMAIL}.",
    "",
    "Yours sincerely,",
    "Priya Shah, Social Worker",
]


def letter_text() -> str:
    return "\n".join(LETTER_LINES) + "\n"


def letter_pdf(*, with_extras: bool = True) -> bytes:
    """A one-page letter drawn with reportlab (Helvetica, standard encoding). With extras: an
    annotation, document info and an embedded file that name the values too."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setAuthor("Priya Shah")
    c.setTitle(f"Letter about {ADDRESS}")
    c.setFont("Helvetica", 11)
    y = 780
    for line in LETTER_LINES:
        c.drawString(72, y, line)
        y -= 16
    # the phone number again, drawn in two pieces on one line (two text-show operators)
    c.drawString(72, y - 10, "Phone (again): 07700")
    c.drawString(72 + c.stringWidth("Phone (again): 07700 ", "Helvetica", 11), y - 10, "900456")
    c.showPage()
    c.save()
    data = buf.getvalue()
    if not with_extras:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[400, 700, 420, 720],
                Contents=pikepdf.String(f"Mother's phone: {PHONE}"),
            )
        )
        page.obj["/Annots"] = pikepdf.Array([annot])
        spec = pikepdf.AttachedFileSpec(pdf, f"Sarah Smith, {ADDRESS}\n".encode(), filename="contact.txt")
        pdf.attachments["contact.txt"] = spec
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _add_run(paragraph, text: str, *, bold: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.bold = bold
    return run


def _add_hyperlink(paragraph, url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = etree.SubElement(paragraph._p, qn("w:hyperlink"))
    link.set(qn("r:id"), rid)
    run = etree.SubElement(link, qn("w:r"))
    etree.SubElement(run, qn("w:t")).text = text


def letter_docx() -> bytes:
    """A Word letter that holds the values in every way Word allows: split across runs with
    different formatting, in the page header, a mailto: link, a comment, a tracked deletion,
    hidden text and a custom property (and the letter writer's name in the author field)."""
    document = docx.Document()
    document.core_properties.author = "Priya Shah"
    document.core_properties.last_modified_by = "Priya Shah"
    document.core_properties.title = "Contact arrangements"
    document.sections[0].header.paragraphs[0].text = f"Contact arrangements - mother at {POSTCODE}"
    for line in LETTER_LINES[:11]:
        document.add_paragraph(line)
    p = document.add_paragraph()
    _add_run(p, "Lily's mother has now moved to Flat 3, 8 Seaview ")
    _add_run(p, "Terrace, St Brelade, JE3 ", bold=True)
    _add_run(p, "8XY, so the handover will no longer happen at the old address.")
    p = document.add_paragraph()
    run = _add_run(p, f"She can be reached on {PHONE}.")
    document.add_comment(run, text=f"Her email is {EMAIL}", author="Priya Shah", initials="PS")
    p = document.add_paragraph("Or write to her (")
    _add_hyperlink(p, f"mailto:{EMAIL}", "by email")
    _add_run(p, ").")
    p = document.add_paragraph("Contact will take place every other Saturday.")
    hidden = _add_run(p, f" Note: {EMAIL}")
    hidden.font.hidden = True
    hidden.font.size = Pt(11)
    p = document.add_paragraph("The handover will be at the family centre")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    deletion = etree.fromstring(
        f'<w:del xmlns:w="{w}" w:id="901" w:author="Priya Shah" w:date="2026-11-14T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve"> or at {ADDRESS}</w:delText></w:r></w:del>'
    )
    insertion = etree.fromstring(
        f'<w:ins xmlns:w="{w}" w:id="902" w:author="Priya Shah" w:date="2026-11-14T10:00:00Z">'
        f'<w:r><w:t xml:space="preserve"> on Saturdays</w:t></w:r></w:ins>'
    )
    p._p.append(deletion)
    p._p.append(insertion)
    _add_run(p, ".")
    for line in LETTER_LINES[-3:]:
        document.add_paragraph(line)
    assert p._p.find(qn("w:del")) is not None
    buf = io.BytesIO()
    document.save(buf)
    return _with_custom_property(buf.getvalue(), "Mother's email", EMAIL)


def _with_custom_property(data: bytes, name: str, value: str) -> bytes:
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
    )
    rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    ctype = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "_rels/.rels":
                blob = blob.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdCustom" Type="{rel_type}" Target="docProps/custom.xml"/>'
                    "</Relationships>".encode(),
                )
            elif info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"</Types>",
                    f'<Override PartName="/docProps/custom.xml" ContentType="{ctype}"/></Types>'.encode(),
                )
            zout.writestr(info, blob)
        zout.writestr("docProps/custom.xml", custom)
    return out.getvalue()


def letter_email(*, attachments: bool = True) -> bytes:
    """An email to Mark Jones whose body names the values, with the letter attached as DOCX and PDF."""
    msg = EmailMessage()
    msg["From"] = "priya.shah@gov.je"
    msg["To"] = "mjones@example.net"
    msg["Subject"] = "Contact arrangements for Lily"
    msg["Message-ID"] = "<redact-sample-1@gov.je>"
    msg.set_content(letter_text())
    msg.add_alternative(
        "<html><body><p>Lily's mother has moved to <b>Flat 3, 8 Seaview Terrace</b>, St Brelade, "
        f"JE3&nbsp;8XY.</p><p>Phone {PHONE}, <a href=\"mailto:{EMAIL}\">{EMAIL}</a></p></body></html>",
        subtype="html",
    )
    if attachments:
        msg.add_attachment(
            letter_docx(),
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename="letter.docx",
        )
        msg.add_attachment(letter_pdf(with_extras=False), maintype="application", subtype="pdf", filename="letter.pdf")
    return msg.as_bytes()
