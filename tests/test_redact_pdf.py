"""Redaction of PDFs: the text goes from the content streams (not only covered), a box is
drawn where it stood, and annotations, metadata, embedded files and earlier revisions that
hold it are gone. Checked with pypdf, pikepdf, pdfplumber and a raw byte search."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pdfplumber
import pikepdf
import pytest
import reportlab
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from disclosureguard.extract import extract
from disclosureguard.redact import redact_values
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, WITHHELD, letter_docx, letter_pdf

VALUES = (ADDRESS, POSTCODE, PHONE, EMAIL)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _assert_no_value(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    for value in VALUES:
        assert _squash(value) not in _squash(text), value
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert value.encode(encoding) not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                raw = obj.read_bytes()
                for value in VALUES:
                    assert value.encode("latin-1") not in raw, (obj.objgen, value)


@pytest.fixture(scope="module")
def original() -> bytes:
    return letter_pdf()


@pytest.fixture(scope="module")
def redacted(original: bytes) -> bytes:
    return redact_values(original, "letter.pdf", WITHHELD).data


def test_sample_holds_the_values_in_text_annotation_info_and_embedded_file(original):
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert "/Annots" in pdf.pages[0].obj
        assert ADDRESS in str(pdf.docinfo["/Title"])
        assert "contact.txt" in pdf.attachments
    assert PHONE in PdfReader(io.BytesIO(original)).pages[0].extract_text()


def test_values_are_gone_from_page_text_streams_and_bytes(redacted):
    _assert_no_value(redacted)


def test_the_rest_of_the_letter_is_still_there(redacted):
    text = PdfReader(io.BytesIO(redacted)).pages[0].extract_text()
    assert "Re: Lily Smith" in text
    assert "Lily's mother has now moved to" in text
    assert ", so the" in text and "handover will no longer happen at the old address." in text
    assert "Phone (again):" in text


def test_annotations_metadata_info_and_embedded_files_are_dropped(redacted):
    with pikepdf.open(io.BytesIO(redacted)) as pdf:
        assert "/Annots" not in pdf.pages[0].obj
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root and "/AF" not in pdf.Root
        assert len(pdf.attachments) == 0
        assert not any(isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/EmbeddedFile" for o in pdf.objects)


def test_a_black_box_stands_exactly_where_the_address_was(original, redacted):
    with pdfplumber.open(io.BytesIO(original)) as pdf:
        where = pdf.pages[0].search("Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY")[0]
    with pdfplumber.open(io.BytesIO(redacted)) as pdf:
        boxes = [r for r in pdf.pages[0].rects if r["fill"] and r["non_stroking_color"] in ((0,), (0, 0, 0), 0)]
    assert any(
        abs(b["x0"] - where["x0"]) < 0.5 and abs(b["x1"] - where["x1"]) < 0.5 and b["top"] <= where["top"] + 1
        and b["bottom"] >= where["bottom"] - 1
        for b in boxes
    ), (where, boxes)


def test_no_text_is_left_under_our_boxes_when_scanned_again(redacted):
    document = extract(redacted, "letter-redacted.pdf")
    assert not document.all_problems()
    assert [s.kind for s in document.all_segments() if s.hidden] == []


def test_a_value_shown_by_two_operators_is_removed_from_both(redacted):
    text = PdfReader(io.BytesIO(redacted)).pages[0].extract_text()
    line = next(line for line in text.splitlines() if line.startswith("Phone (again):"))
    assert "07700" not in line and "900456" not in line


def test_earlier_revisions_holding_the_value_do_not_survive(original):
    plain = io.BytesIO()
    with pikepdf.open(io.BytesIO(letter_pdf(with_extras=False))) as pdf:
        pdf.save(plain, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    assert ADDRESS.encode() in plain.getvalue()
    writer = PdfWriter(io.BytesIO(plain.getvalue()), incremental=True)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 11 Tf 72 780 Td (This letter was withdrawn.) Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    updated = io.BytesIO()
    writer.write(updated)
    data = updated.getvalue()
    assert ADDRESS.encode() in data  # the first revision is still in the file
    result = redact_values(data, "letter.pdf", WITHHELD)
    assert ADDRESS.encode() not in result.data
    assert data.count(b"%%EOF") >= 2 and result.data.count(b"%%EOF") == 1
    _assert_no_value(result.data)


def test_embedded_truetype_font_with_to_unicode_is_redacted_in_place(tmp_path):
    font_path = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    pdfmetrics.registerFont(TTFont("Vera", font_path))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Vera", 12)
    c.drawString(72, 700, f"Her phone is {PHONE} and her email {EMAIL}, for the record.")
    c.save()
    original = buf.getvalue()
    result = redact_values(original, "vera.pdf", WITHHELD)
    _assert_no_value(result.data)
    text = PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    assert "Her phone is" in text and "for the record." in text
    with pdfplumber.open(io.BytesIO(original)) as pdf:
        where = pdf.pages[0].search(PHONE)[0]
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        boxes = pdf.pages[0].rects
    assert any(abs(b["x0"] - where["x0"]) < 0.5 and abs(b["x1"] - where["x1"]) < 0.5 for b in boxes)


def _pdf_with_unmapped_font() -> bytes:
    """Helvetica text, and a phone number in a Type0 font with no /ToUnicode map (its codes
    happen to be the characters, which pypdf reads, but nothing says so)."""
    pdf = pikepdf.new()
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/Unmapped"), DW=600,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
    ))
    unmapped = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/Unmapped"),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid_font],
    ))
    helvetica = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding,
    ))
    shown = f"Phone {PHONE}".encode("utf-16-be").hex()
    content = f"BT /F1 12 Tf 72 740 Td (Re: Lily Smith) Tj ET BT /F9 12 Tf 72 700 Td <{shown}> Tj ET".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_stream(content),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica, F9=unmapped)),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_text_in_a_font_that_cannot_be_mapped_is_removed_whole_and_said_so():
    original = _pdf_with_unmapped_font()
    assert PHONE in PdfReader(io.BytesIO(original)).pages[0].extract_text()
    result = redact_values(original, "unmapped.pdf", WITHHELD)
    _assert_no_value(result.data)
    text = PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    assert "Re: Lily Smith" in text and "Phone" not in text
    assert any("page 1: all text in fonts that cannot be mapped" in note for note in result.notes)


def test_a_bookmark_naming_a_value_is_redacted_and_the_others_kept():
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(letter_pdf(with_extras=False))) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"Mother's address: {ADDRESS}", 0))
            outline.root.append(pikepdf.OutlineItem("Contact arrangements", 0))
        pdf.save(buf)
    result = redact_values(buf.getvalue(), "letter.pdf", WITHHELD)
    _assert_no_value(result.data)
    with pikepdf.open(io.BytesIO(result.data)) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == ["Mother's address: [REDACTED]", "Contact arrangements"]
    assert any("strings outside the page text" in note for note in result.notes)


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (scripts/system-deps installs libreoffice-writer-nogui)",
)
def test_a_pdf_written_by_libreoffice_with_subset_truetype_fonts_is_redacted(tmp_path):
    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx())
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    original = (tmp_path / "letter.pdf").read_bytes()
    assert "Seaview Terrace" in PdfReader(io.BytesIO(original)).pages[0].extract_text()
    result = redact_values(original, "letter.pdf", WITHHELD)
    _assert_no_value(result.data)
    text = PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    assert "Lily's mother has now moved to" in text and "Priya Shah, Social Worker" in text
    assert not any("cannot be mapped" in note for note in result.notes)  # mapped through /ToUnicode
    assert [s.kind for s in extract(result.data, "letter.pdf").all_segments() if s.hidden] == []


def test_actual_text_of_marked_content_naming_a_value_is_redacted():
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding,
    ))
    actual = pikepdf.String(f"Mother's phone {PHONE}").unparse().decode("latin-1")
    content = (
        f"/Span <</ActualText {actual}>> BDC BT /F1 12 Tf 72 700 Td (Mother's phone {PHONE}) Tj ET EMC "
        "BT /F1 12 Tf 72 680 Td (Contact arrangements) Tj ET"
    ).encode("latin-1")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_stream(content),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica)),
    )
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    result = redact_values(buf.getvalue(), "span.pdf", WITHHELD)
    _assert_no_value(result.data)
    with pikepdf.open(io.BytesIO(result.data)) as out:
        stream = out.pages[0].obj.Contents.read_bytes()
    assert b"/ActualText (Mother's phone [REDACTED])" in stream
    assert "Contact arrangements" in PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
