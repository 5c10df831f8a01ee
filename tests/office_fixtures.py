"""Spreadsheets, slides and OpenDocument files built in code for the tests.

xlsx is written by openpyxl, pptx by python-pptx, odt by hand (a zip of XML parts, so the
bold span that splits a value is plain to see); xls and ods are the xlsx converted by
LibreOffice headless with a private profile, as a department's own files would be.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest

import conversion_cache

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "samples" / "letters"
WITHHELD_ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
# A real 1x1 PNG, as LibreOffice puts in Thumbnails/thumbnail.png.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffffff7f0009fb03fd2a86e38a0000000049454e44ae426082"
)
FORMATS = ("xlsx", "xls", "ods", "csv", "pptx", "odt")


def letter_lines(to: str) -> list[str]:
    """The paragraphs of the Smith letter to ``father`` (with the mother's withheld address)
    or ``mother`` (clean); the lines of a paragraph (the address block, the signature) stay
    together, separated by line breaks, as a writer keeps them in one cell or paragraph."""
    text = (LETTERS / f"letter-to-{to}.txt").read_text()
    return [chunk.strip("\n") for chunk in text.split("\n\n") if chunk.strip()]


def _address_split(line: str) -> list[str]:
    """The withheld-address line as a row: its words before the address, then the address's parts."""
    if WITHHELD_ADDRESS not in line:
        return [line]
    before, after = line.split(WITHHELD_ADDRESS)
    return [before.strip(), "Flat 3, 8 Seaview Terrace", "St Brelade", "JE3 8XY", after.strip(" ,")]


def letter_xlsx(to: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Letter"
    for line in letter_lines(to):
        ws.append(_address_split(line))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def letter_csv(to: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in letter_lines(to):
        writer.writerow(_address_split(line))
    return buffer.getvalue().encode()


def letter_pptx(to: str) -> bytes:
    """The address block and greeting on the slide; the rest of the letter in the speaker notes."""
    from pptx import Presentation
    from pptx.util import Inches

    lines = letter_lines(to)
    start = next(i for i, line in enumerate(lines) if line.startswith("Dear"))
    deck = Presentation()
    # python-pptx's template names its author as the last to modify it: not part of this letter
    deck.core_properties.last_modified_by = ""
    deck.core_properties.comments = ""
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(5)).text_frame
    box.text = lines[0]
    for line in lines[1 : start + 1]:
        box.add_paragraph().text = line
    notes = slide.notes_slide.notes_text_frame
    notes.text = lines[start + 1]
    for line in lines[start + 2 :]:
        notes.add_paragraph().text = line
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)
BOLD_STYLE = (
    '<office:automatic-styles><style:style style:name="T1" style:family="text">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Hid" style:family="text"><style:text-properties text:display="none"/>'
    "</style:style></office:automatic-styles>"
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def odt_paragraph(line: str) -> str:
    """One paragraph; the withheld address has its street name in a bold span."""
    def lines(text: str) -> str:
        return "<text:line-break/>".join(_escape(part) for part in text.split("\n"))

    if "Seaview" in line:
        before, after = line.split("Seaview", 1)
        return (f"<text:p>{lines(before)}<text:span text:style-name=\"T1\">Seaview</text:span>"
                f"{lines(after)}</text:p>")
    return f"<text:p>{lines(line)}</text:p>"


def odt(body: str, *, meta: str = "", styles: str = "", automatic: str = BOLD_STYLE,
        mimetype: str = "application/vnd.oasis.opendocument.text", extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument package: ``body`` is the inside of office:text (or the whole office:body
    child when it starts with ``<office:``)."""
    inner = body if body.startswith("<office:") else f"<office:text>{body}</office:text>"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.3">'
               f"{automatic}<office:body>{inner}</office:body></office:document-content>")
    meta_xml = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS}><office:meta>'
                f"<meta:generator>LibreOffice/7.4</meta:generator>{meta}</office:meta></office:document-meta>")
    styles_xml = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}>{styles}'
                  "</office:document-styles>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
                f'manifest:media-type="{mimetype}"/>'
                + "".join(f'<manifest:file-entry manifest:full-path="{part}" manifest:media-type="{kind}"/>'
                          for part, kind in (("content.xml", "text/xml"), ("styles.xml", "text/xml"),
                                             ("meta.xml", "text/xml"), ("settings.xml", "text/xml"),
                                             ("Thumbnails/thumbnail.png", "image/png")))
                + "</manifest:manifest>")
    settings = ('<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"><office:settings>'
                '<config:config-item-set config:name="ooo:view-settings"><config:config-item '
                'config:name="ShowRedlineChanges" config:type="boolean">true</config:config-item>'
                "</config:config-item-set></office:settings></office:document-settings>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("styles.xml", styles_xml)
        zf.writestr("meta.xml", meta_xml)
        zf.writestr("settings.xml", settings)
        zf.writestr("Thumbnails/thumbnail.png", PNG_1X1)
        zf.writestr("META-INF/manifest.xml", manifest)
        for name, blob in (extra or {}).items():
            zf.writestr(name, blob)
    return buffer.getvalue()


def letter_odt(to: str) -> bytes:
    return odt("".join(odt_paragraph(line) for line in letter_lines(to)),
               meta="<meta:initial-creator>Priya Shah</meta:initial-creator>")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def convert(data: bytes, source_ext: str, target_ext: str) -> bytes:
    """``data`` (a .source_ext file) converted by LibreOffice headless to target_ext."""
    program = soffice()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (scripts/system-deps installs it)")
        pytest.skip("LibreOffice is not installed here")

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="lo-convert-") as tmp:
            folder = Path(tmp)
            source = folder / f"in.{source_ext}"
            source.write_bytes(data)
            profile = folder / "profile"
            subprocess.run([program, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", target_ext, str(source), "--outdir", str(folder / "out")],
                           check=True, capture_output=True, timeout=180)
            return (folder / "out" / f"in.{target_ext}").read_bytes()

    return conversion_cache.shared("office", data, source_ext, target_ext, make=make)


def letter(fmt: str, to: str) -> bytes:
    """The Smith letter to ``to`` ("father" or "mother") in format ``fmt``."""
    if fmt == "xlsx":
        return letter_xlsx(to)
    if fmt in ("xls", "ods"):
        return convert(letter_xlsx(to), "xlsx", fmt)
    if fmt == "csv":
        return letter_csv(to)
    if fmt == "pptx":
        return letter_pptx(to)
    if fmt == "odt":
        return letter_odt(to)
    raise ValueError(fmt)


# Ten children in care: names, dates of birth (typed dates) and NHS numbers (numbers shown
# through the format 000 000 0000). The NHS numbers pass the modulus-11 check.
def nhs_numbers(count: int) -> list[int]:
    out = []
    base = 401_023_213
    while len(out) < count:
        digits = [int(c) for c in str(base)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            out.append(base * 10 + check)
        base += 7919
    return out


CHILDREN = ["Amelia Carter", "Noah Williams", "Isla Thompson", "Oliver Bennett", "Ava Robinson",
            "Leo Harrison", "Mia Fletcher", "Jack Porter", "Freya Mitchell", "Harry Dawson"]


def children_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Children in care"
    ws.append(["Name", "Date of birth", "NHS number", "Placement"])
    for n, (name, nhs) in enumerate(zip(CHILDREN, nhs_numbers(10), strict=True)):
        ws.append([name, dt.datetime(2012 + n % 6, 1 + n, 3 + n), nhs, "Foster care"])
        row = ws.max_row
        ws.cell(row, 2).number_format = "dd/mm/yyyy"
        ws.cell(row, 3).number_format = "000 000 0000"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
