"""PDF: page text, failed redactions, annotations, forms, metadata and broken files."""

from __future__ import annotations

import io
import time

from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from disclosureguard.extract import extract
from disclosureguard.extract.context import ExtractContext
from disclosureguard.limits import Limits
from disclosureguard.model import Document, Segment
from docfixtures import annotation, letter_page, pdf, pdf_edit, replace_page_text, set_xmp

ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"


def seg(doc: Document, needle: str) -> Segment:
    found = [s for s in doc.all_segments() if needle in s.text]
    assert found, f"{needle!r} not extracted; segments: {[(s.location, s.text) for s in doc.all_segments()]}"
    return found[0]


def page_text(doc: Document, page: int) -> str:
    return next(s.text for s in doc.segments if s.location == f"page {page}")


def test_text_of_each_page_is_visible_with_its_page_number():
    def draw(c: Canvas) -> None:
        letter_page(c)
        c.drawString(72, 500, f"Page marker {c.getPageNumber()}")

    doc = extract(pdf(draw, pages=3), "letter.pdf")
    assert doc.problems == ()
    third = seg(doc, "Page marker 3")
    assert (third.location, third.page, third.kind, third.hidden) == ("page 3", 3, "body", False)
    assert "Re: Lily Smith, case CSC-2021-004512" in page_text(doc, 1)


def _black_box_letter(c: Canvas) -> None:
    letter_page(c)
    if c.getPageNumber() == 2:
        c.drawString(72, 640, ADDRESS)
        c.setFillColorRGB(0, 0, 0)
        c.rect(68, 634, 300, 18, fill=1, stroke=0)


def test_text_under_a_black_box_is_hidden_with_page_and_position():
    doc = extract(pdf(_black_box_letter, pages=2), "report.pdf")
    under = seg(doc, "Seaview Terrace")
    assert (under.kind, under.hidden, under.page) == ("under-box", True, 2)
    assert under.location == "page 2, under a black box at (72, 640)"
    assert under.bbox is not None and under.bbox[0] == 72
    assert "Seaview" not in page_text(doc, 2)
    assert "Dear Mr Jones" in page_text(doc, 2)


def test_box_over_part_of_a_line_hides_only_the_words_under_it():
    lead = "Her new address is: "

    def draw(c: Canvas) -> None:
        letter_page(c)
        c.drawString(72, 640, lead + ADDRESS + " until June.")
        start = 72 + c.stringWidth(lead, "Helvetica", 11)
        c.rect(start - 1, 636, c.stringWidth(ADDRESS, "Helvetica", 11) + 2, 14, fill=1, stroke=0)

    doc = extract(pdf(draw), "partial.pdf")
    under = seg(doc, "Seaview")
    assert under.text == ADDRESS
    assert under.kind == "under-box" and under.location.startswith("page 1, under a black box at (1")
    assert "Her new address is:" in page_text(doc, 1) and "until June." in page_text(doc, 1)
    assert "Seaview" not in page_text(doc, 1)


def test_white_words_inside_one_text_block_are_split_from_visible_ones():
    content = (
        b"BT /F1 11 Tf 72 700 Td (Please call the office ) Tj 1 g (or Sarah on 07700 900456) Tj 0 g"
        b"( before Friday.) Tj ET"
    )
    doc = extract(pdf_edit(pdf(letter_page), lambda w: replace_page_text(w, 0, content)), "mixed.pdf")
    white = seg(doc, "07700 900456")
    assert (white.kind, white.hidden, white.text) == ("invisible-text", True, "or Sarah on 07700 900456")
    assert white.location.startswith("page 1, white text at (1")  # after the visible words, not at 72
    assert "Please call the office" in page_text(doc, 1) and "before Friday." in page_text(doc, 1)
    assert "900456" not in page_text(doc, 1)


def test_box_over_a_bold_word_after_a_font_change_hides_that_word_only():
    def draw(c: Canvas) -> None:
        text = c.beginText(72, 640)
        text.setFont("Helvetica", 11)
        text.textOut("Mother's mobile: ")
        text.setFont("Helvetica-Bold", 11)
        text.textOut("07700 900456")
        text.setFont("Helvetica", 11)
        text.textOut(" (do not share)")
        c.drawText(text)
        start = 72 + c.stringWidth("Mother's mobile: ", "Helvetica", 11)
        c.rect(start - 1, 636, c.stringWidth("07700 900456", "Helvetica-Bold", 11) + 2, 14, fill=1, stroke=0)

    doc = extract(pdf(draw), "bold.pdf")
    under = seg(doc, "900456")
    assert (under.text, under.kind) == ("07700 900456", "under-box")
    assert "Mother's mobile:" in page_text(doc, 1) and "(do not share)" in page_text(doc, 1)


def test_white_text_on_dark_bar_drawn_first_is_visible():
    def draw(c: Canvas) -> None:
        c.setFillColorRGB(0.1, 0.1, 0.3)
        c.rect(60, 770, 400, 30, fill=1, stroke=0)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 780, "Children's Services header")
        c.setFillColorRGB(0, 0, 0)
        c.drawString(72, 700, "Body text")

    doc = extract(pdf(draw), "bar.pdf")
    assert "Children's Services header" in page_text(doc, 1)
    assert not any(s.hidden for s in doc.segments if s.kind != "metadata")


def test_white_text_and_render_mode_3_text_are_invisible_text():
    def draw(c: Canvas) -> None:
        letter_page(c)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 560, "Mother's mobile 07700 900456")
        c.setFillColorRGB(0, 0, 0)
        text = c.beginText(72, 540)
        text.setTextRenderMode(3)
        text.textLine("NHS 943 476 5919")
        c.drawText(text)

    doc = extract(pdf(draw), "hidden.pdf")
    white = seg(doc, "07700 900456")
    assert (white.kind, white.hidden, white.location) == ("invisible-text", True, "page 1, white text at (72, 560)")
    invisible = seg(doc, "943 476 5919")
    assert (invisible.kind, invisible.hidden, invisible.page) == ("invisible-text", True, 1)
    assert invisible.location.startswith("page 1, invisible text (render mode 3)")
    assert "900456" not in page_text(doc, 1) and "5919" not in page_text(doc, 1)


def _image() -> ImageReader:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 200).save(buffer, format="PNG")
    return ImageReader(io.BytesIO(buffer.getvalue()))


def test_ocr_text_layer_under_a_scan_image_is_visible_body_text():
    def draw(c: Canvas) -> None:
        c.drawImage(_image(), 50, 400, width=500, height=400)
        text = c.beginText(72, 700)
        text.setTextRenderMode(3)
        text.textLine("Scanned letter to Mark Jones")
        c.drawText(text)

    doc = extract(pdf(draw), "ocr.pdf")
    assert doc.problems == ()
    assert (seg(doc, "Mark Jones").kind, seg(doc, "Mark Jones").hidden) == ("body", False)


def test_scanned_page_without_text_layer_is_a_problem():
    def draw(c: Canvas) -> None:
        if c.getPageNumber() == 3:
            c.drawImage(_image(), 50, 50, width=500, height=700)
        else:
            letter_page(c)

    doc = extract(pdf(draw, pages=3), "scan.pdf", ExtractContext(limits=Limits(ocr_max_pages=0)))  # OCR off
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("no-text-layer", "page 3 has no text layer (a scan?): not scanned")
    ]


def test_annotations_sticky_note_link_and_unapplied_redaction():
    def edit(w: PdfWriter) -> None:
        w.add_annotation(
            0,
            annotation(
                "/Text",
                (400, 700, 420, 720),
                Contents="Dad must not know JE3 8XY",
                T="Anna Clarke",
                M="D:20240514100000Z",
            ),
        )
        w.add_annotation(0, annotation("/Link", (72, 600, 200, 612)))
        link = w.pages[0]["/Annots"][-1].get_object()
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        link[NameObject("/A")] = DictionaryObject(
            {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("mailto:sarah@example.org")}
        )
        w.add_annotation(
            0, annotation("/Redact", (68, 740, 400, 760), OverlayText="WITHHELD", Contents="remove case number")
        )
        w.add_annotation(0, annotation("/FreeText", (300, 300, 500, 320), Contents="Visible note to Mark"))
        # "Dear Mr Jones," at y=762 covered by a filled square annotation
        w.add_annotation(0, annotation("/Square", (68, 758, 200, 774), IC=[0, 0, 0]))

    doc = extract(pdf_edit(pdf(letter_page), edit), "annotated.pdf")
    note = seg(doc, "Dad must not know")
    assert (note.kind, note.hidden, note.author, note.page) == ("annotation", True, "Anna Clarke", 1)
    assert note.location == "page 1, sticky note 1 at (400, 700)"
    assert seg(doc, "mailto:sarah").location == "page 1, link address"
    overlay = seg(doc, "WITHHELD")
    assert (overlay.hidden, overlay.location) == (True, "page 1, unapplied redaction mark at (68, 740), overlay text")
    under = seg(doc, "CSC-2021-004512")  # the line "Re: Lily Smith, case ..." at y=744
    assert (under.kind, under.hidden) == ("under-box", True)
    assert under.location.startswith("page 1, under a redaction mark that was never applied at (72, ")
    assert seg(doc, "Visible note").hidden is False
    boxed = seg(doc, "Dear Mr Jones")
    assert (boxed.kind, boxed.hidden) == ("under-box", True)
    assert boxed.location.startswith("page 1, under a black box drawn as an annotation at (72, 762)")


def test_form_field_values_are_read():
    def draw(c: Canvas) -> None:
        c.drawString(72, 700, "Child's name:")
        c.acroForm.textfield(name="child_name", value="Lily Smith", x=180, y=690, width=200, height=20)

    doc = extract(pdf(draw), "form.pdf")
    field = seg(doc, "Lily Smith")
    assert (field.kind, field.hidden, field.location, field.field) == (
        "form-field",
        False,
        "form field 'child_name'",
        "child_name",
    )


def test_document_info_xmp_and_bookmarks_are_hidden():
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Sarah Smith'
        b"</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )

    def edit(w: PdfWriter) -> None:
        set_xmp(w, xmp)
        w.add_outline_item(title="Lily Smith - contact plan", page_number=0)

    doc = extract(pdf_edit(pdf(letter_page, author="Tom Reed", keywords="CSC-2021-004512"), edit), "m.pdf")
    author = seg(doc, "Tom Reed")
    assert (author.location, author.kind, author.hidden, author.field) == (
        "document property: author",
        "metadata",
        True,
        "author",
    )
    assert [s.location for s in doc.segments if s.text == "CSC-2021-004512"] == ["document property: keywords"]
    creator = seg(doc, "Sarah Smith")
    assert (creator.location, creator.hidden) == ("XMP metadata: creator", True)
    bookmark = seg(doc, "contact plan")
    assert (bookmark.location, bookmark.kind, bookmark.hidden) == ("bookmark 1", "outline", True)


def test_xmp_with_entity_declarations_is_unsafe_and_never_expanded():
    xmp = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    doc = extract(pdf_edit(pdf(letter_page), lambda w: set_xmp(w, xmp)), "xmp.pdf")
    assert [p.cause for p in doc.problems] == ["unsafe-xml"]
    assert "Dear Mr Jones" in page_text(doc, 1)  # the rest of the file is still read


def test_embedded_files_are_nested_documents():
    def edit(w: PdfWriter) -> None:
        w.add_attachment("contact-notes.txt", b"Mark Jones, 07700 900456")

    doc = extract(pdf_edit(pdf(letter_page), edit), "with-attachment.pdf")
    assert [c.name for c in doc.children] == ["contact-notes.txt"]
    found = seg(doc, "07700 900456")
    assert (found.container, found.location) == (("contact-notes.txt",), "body, paragraph 1")
    name = seg(doc, "contact-notes.txt")
    assert (name.kind, name.location) == ("file-name", "embedded file name")


def test_text_removed_by_an_incremental_update_is_an_earlier_revision():
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 11)
        c.drawString(72, 780, "Dear Mr Jones,")
        c.drawString(72, 760, f"Sarah now lives at {ADDRESS}.")

    original = pdf(draw)
    revised = pdf_edit(
        original,
        lambda w: replace_page_text(w, 0, b"BT /F1 11 Tf 72 780 Td (Dear Mr Jones,) Tj ET"),
        incremental=True,
    )
    assert revised.startswith(original[: len(original) - 64])  # the old bytes are still there
    doc = extract(revised, "revised.pdf")
    assert "Seaview" not in page_text(doc, 1)
    earlier = seg(doc, "Seaview Terrace")
    assert (earlier.kind, earlier.hidden, earlier.page) == ("earlier-revision", True, 1)
    assert earlier.location == "earlier version (revision 1 of 2), page 1"
    assert not any(s.kind == "earlier-revision" and "Dear Mr Jones" in s.text for s in doc.segments)


def test_five_thousand_page_pdf_is_a_limit_problem_before_any_page_is_read():
    writer = PdfWriter()
    for _ in range(5000):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    ctx = ExtractContext()
    doc = extract(out.getvalue(), "huge.pdf", ctx)
    assert ctx.budget.parts <= 1  # the page count is judged from the page tree: no page was opened
    assert [p.cause for p in doc.problems] == ["limit"]
    assert "5000 pages" in doc.problems[0].message and "max_pages" in doc.problems[0].message


def test_page_limit_follows_the_setting():
    doc = extract(pdf(letter_page, pages=3), "three.pdf", ExtractContext(limits=Limits(max_pages=2)))
    assert [p.cause for p in doc.problems] == ["limit"]


def test_password_protected_pdf_is_encrypted():
    def edit(w: PdfWriter) -> None:
        w.encrypt(user_password="open-sesame", owner_password="owner", algorithm="AES-128")

    doc = extract(pdf_edit(pdf(letter_page), edit), "locked.pdf")
    assert [p.cause for p in doc.problems] == ["encrypted"]
    assert doc.segments == ()


def test_pdf_with_only_an_owner_password_is_read():
    def edit(w: PdfWriter) -> None:
        w.encrypt(user_password="", owner_password="owner", algorithm="AES-128")

    doc = extract(pdf_edit(pdf(letter_page), edit), "restricted.pdf")
    assert doc.problems == ()
    assert "Dear Mr Jones" in page_text(doc, 1)


def test_truncated_pdf_is_corrupt():
    data = pdf(letter_page, pages=3)
    doc = extract(data[: int(len(data) * 0.6)], "cut.pdf")
    assert "corrupt" in [p.cause for p in doc.problems]


def _best_of_five(data: bytes) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        extract(data, "letter.pdf")
        times.append(time.perf_counter() - start)
    return min(times)


def test_extraction_time_grows_in_step_with_the_pages_not_faster():
    # A ratio of two timings taken together measures the code, not the machine's load (the
    # absolute figures are in bench/bench_documents.py): linear work gives about 4 for four
    # times the pages; work that grows with the square of the pages would give about 16.
    short, long = pdf(letter_page, pages=3), pdf(letter_page, pages=12)
    extract(short, "warm.pdf")
    ratio = _best_of_five(long) / _best_of_five(short)
    assert ratio < 8, f"12 pages took {ratio:.1f} times as long as 3"


def test_sample_report_has_the_withheld_address_under_a_black_box():
    from pathlib import Path

    sample = Path(__file__).parent.parent / "samples" / "documents" / "report-with-black-box.pdf"
    doc = extract(sample.read_bytes(), sample.name)
    under = seg(doc, ADDRESS)
    assert (under.kind, under.hidden, under.page) == ("under-box", True, 1)
    assert under.location.startswith("page 1, under a black box at (")
    assert under.bbox is not None and 86 <= under.bbox[0] <= 96
    assert ADDRESS not in page_text(doc, 1)
