"""The same letter to Marco de Sousa in the layouts letters come in, built in code.

Every layout carries the same parts (island_case): letterhead, the address block, the date,
"Dear Mr de Sousa,", the body, "Kind regards," and the social worker's sign-off, whose lines
(a name, a job title, a direct line, an office address) look like an address block too.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from island_case import ADDRESS_BLOCK, BODY, CLOSING, DATE_LINE, LETTERHEAD, SALUTATION, SIGN_OFF

WITHHELD_PHONE_LINE = "Inês asked me to say she can be reached on 07700 512345 about the handover."


def _body_lines() -> list[str]:
    return [*BODY, WITHHELD_PHONE_LINE]


# -- plain text ------------------------------------------------------------------------------


def txt_block() -> bytes:
    """Address block as consecutive lines, parts separated by blank lines."""
    parts = ["\n".join(LETTERHEAD), "\n".join(ADDRESS_BLOCK), DATE_LINE, SALUTATION, *_body_lines(), CLOSING]
    return ("\n\n".join([*parts, "\n".join(SIGN_OFF)]) + "\n").encode("utf-8")


def txt_spaced() -> bytes:
    """Every line its own paragraph (a blank line between each), CRLF line ends."""
    lines = [*LETTERHEAD, *ADDRESS_BLOCK, DATE_LINE, SALUTATION, *_body_lines(), CLOSING, *SIGN_OFF]
    return ("\r\n\r\n".join(lines) + "\r\n").encode("utf-8")


# -- Word --------------------------------------------------------------------------------------


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _letter_after_block(document: docx.document.Document) -> None:
    document.add_paragraph(DATE_LINE)
    document.add_paragraph(SALUTATION)
    for line in _body_lines():
        document.add_paragraph(line)
    document.add_paragraph(CLOSING)
    signature = document.add_paragraph()
    for i, line in enumerate(SIGN_OFF):
        run = signature.add_run(line)
        if i < len(SIGN_OFF) - 1:
            run.add_break()


def docx_line_breaks() -> bytes:
    """The issue's letter: the address block one paragraph with line breaks, the sign-off too."""
    d = docx.Document()
    for line in LETTERHEAD:
        d.add_paragraph(line)
    block = d.add_paragraph()
    for i, line in enumerate(ADDRESS_BLOCK):
        run = block.add_run(line)
        if i < len(ADDRESS_BLOCK) - 1:
            run.add_break()
    _letter_after_block(d)
    return _save(d)


def docx_paragraphs() -> bytes:
    """Every address line its own paragraph."""
    d = docx.Document()
    for line in [*LETTERHEAD, *ADDRESS_BLOCK]:
        d.add_paragraph(line)
    _letter_after_block(d)
    return _save(d)


def docx_table_cell() -> bytes:
    """A window-envelope table: the address block in the left cell, the date and reference right."""
    d = docx.Document()
    for line in LETTERHEAD:
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = ADDRESS_BLOCK[0]
    for line in ADDRESS_BLOCK[1:]:
        left.add_paragraph(line)
    right.text = "Our ref: CSC-2026-001616"
    right.add_paragraph("Please ask for: Jo Bisson")
    d.add_paragraph(SALUTATION)
    for line in _body_lines():
        d.add_paragraph(line)
    d.add_paragraph(CLOSING)
    for line in SIGN_OFF:
        d.add_paragraph(line)
    return _save(d)


def docx_header() -> bytes:
    """Letterhead and the address block in the page header (a template's window position)."""
    d = docx.Document()
    header = d.sections[0].header
    header.paragraphs[0].text = LETTERHEAD[0]
    for line in [*LETTERHEAD[1:], "", *ADDRESS_BLOCK]:
        header.add_paragraph(line)
    _letter_after_block(d)
    return _save(d)


_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<w:drawing><wp:anchor><wp:extent cx="3000000" cy="1200000"/><wp:docPr id="1" name="Address"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    "<wps:wsp><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
)


def docx_text_box() -> bytes:
    """The address block in a text box anchored in the first paragraph."""
    from docx.oxml import parse_xml

    d = docx.Document()
    anchor = d.add_paragraph(LETTERHEAD[0])
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in ADDRESS_BLOCK)
    anchor._p.append(parse_xml(_TEXT_BOX.format(paragraphs=paragraphs)))
    d.add_paragraph(LETTERHEAD[1])
    _letter_after_block(d)
    return _save(d)


# -- PDF ---------------------------------------------------------------------------------------

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _pdf(lines: list[tuple[float, float, str]]) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    pdfmetrics.registerFont(TTFont("DejaVu", _FONT))  # "Inês" and "Gonçalves" need a Unicode font
    for x, y, text in lines:
        c.setFont("DejaVu", 10)
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return out.getvalue()


def _pdf_rest(y: float) -> list[tuple[float, float, str]]:
    out = [(72, y, DATE_LINE), (72, y - 30, SALUTATION)]
    y -= 54
    for line in _body_lines():
        # a few words a line, as a PDF sets a paragraph
        words = line.split()
        for i in range(0, len(words), 12):
            out.append((72, y, " ".join(words[i : i + 12])))
            y -= 13
        y -= 8
    out.append((72, y, CLOSING))
    y -= 30
    for line in SIGN_OFF:
        out.append((72, y, line))
        y -= 13
    return out


def pdf_left_block() -> bytes:
    """Letterhead at the top right, the address block at the left, then the letter."""
    lines = [(300, 800 - 13 * i, line) for i, line in enumerate(LETTERHEAD)]
    lines += [(72, 720 - 13 * i, line) for i, line in enumerate(ADDRESS_BLOCK)]
    return _pdf(lines + _pdf_rest(640))


def pdf_right_block() -> bytes:
    """The address block at the right, beside the letterhead at the left (two columns, same lines)."""
    lines = [
        (72, 800 - 13 * i, line)
        for i, line in enumerate(["Children's Social Care", "Le Bas Centre", "St Saviour's Road", "St Helier, JE2 4RP"])
    ]
    lines += [(360, 800 - 13 * i, line) for i, line in enumerate(ADDRESS_BLOCK)]
    return _pdf(lines + _pdf_rest(680))


LAYOUTS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "txt-block": ("letter.txt", txt_block),
    "txt-spaced": ("letter.txt", txt_spaced),
    "docx-line-breaks": ("letter.docx", docx_line_breaks),
    "docx-paragraphs": ("letter.docx", docx_paragraphs),
    "docx-table-cell": ("letter.docx", docx_table_cell),
    "docx-text-box": ("letter.docx", docx_text_box),
    "docx-header": ("letter.docx", docx_header),
    "pdf-left-block": ("letter.pdf", pdf_left_block),
    "pdf-right-block": ("letter.pdf", pdf_right_block),
}

