"""Spreadsheets, slides and OpenDocument: what each extractor reads, where it says it stands,
and what it marks hidden, on files built in code (and converted by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from disclosureguard.extract import extract
from disclosureguard.extract.formats import sniff_format
from disclosureguard.extract.numfmt import format_number
from disclosureguard.model import Document, Segment
from office_fixtures import BOLD_STYLE, PNG_1X1, convert, letter, odt


def segments(doc: Document, text: str) -> list[Segment]:
    return [s for s in doc.all_segments() if text in s.text]


def one(doc: Document, text: str) -> Segment:
    found = segments(doc, text)
    assert len(found) == 1, (text, [(s.location, s.text) for s in doc.all_segments()])
    return found[0]


def workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Children"
    ws.append(["Name", "Date of birth", "NHS number"])
    ws.append(["Lily Smith", dt.datetime(2014, 3, 2), 9434765919])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["C2"].number_format = "000 000 0000"
    ws["A2"].comment = Comment("Mother now at Seaview Terrace", "Priya Shah")
    ws["D2"] = "hidden column value"
    ws.column_dimensions["D"].hidden = True
    ws["A3"] = "hidden row value"
    ws.row_dimensions[3].hidden = True
    ws["A4"] = 1234
    ws["A4"].number_format = ";;;"
    ws.oddHeader.center.text = "Smith family"
    ws.oddFooter.left.text = "Printed by Priya Shah"
    very = wb.create_sheet("Contacts")
    very.sheet_state = "veryHidden"
    very["A1"] = "Sarah Smith 07700 900456"
    wb.defined_names["MotherPhone"] = DefinedName("MotherPhone", attr_text='"07700 900456"')
    wb.properties.creator = "Priya Shah"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (9434765919, "000 000 0000", "943 476 5919"),
        (7700900456, "00000 000000", "07700 900456"),
        (41700, "dd/mm/yyyy", "02/03/2014"),
        (41700, "d mmmm yyyy", "2 March 2014"),
        (1234.5, "#,##0.00", "1,234.50"),
        (0.25, "0%", "25%"),
        (-3, "0;(0)", "(3)"),
        (12, '"£"#,##0', "£12"),
        (3.5, "General", "3.5"),
        (5, ";;;", ""),
        (5, "0.0E+00", "5"),  # scientific is not rendered: the plain number keeps every digit
    ],
)
def test_number_formats_render_what_a_reader_sees(value: float, code: str, shown: str) -> None:
    assert format_number(value, code) == shown


def test_xlsx_row_is_one_segment_with_cells_as_displayed_under_their_column_labels() -> None:
    doc = extract(workbook(), "children.xlsx")
    assert doc.problems == ()
    row = one(doc, "Lily Smith")
    assert row.location == "sheet 'Children', row 2" and not row.hidden and row.kind == "table"
    assert row.text == "Name: Lily Smith, Date of birth: 02/03/2014, NHS number: 943 476 5919"


def test_xlsx_hidden_sheet_row_column_and_format_are_hidden_segments() -> None:
    doc = extract(workbook(), "children.xlsx")
    assert one(doc, "hidden column value").hidden
    assert "not shown (columns D)" in one(doc, "hidden column value").location
    assert one(doc, "hidden row value").location == "sheet 'Children', row 3 (hidden row)"
    contacts = one(doc, "Sarah Smith 07700 900456")
    assert contacts.hidden and contacts.location == "sheet 'Contacts' (very hidden sheet), row 1"
    unseen = one(doc, "1234")
    assert unseen.hidden and "format shows nothing" in unseen.location


def test_xlsx_comments_headers_footers_defined_names_and_properties() -> None:
    doc = extract(workbook(), "children.xlsx")
    comment = one(doc, "Seaview Terrace")
    assert comment.kind == "comment" and comment.hidden and comment.author == "Priya Shah"
    assert comment.location == "sheet 'Children', comment on A2"
    assert one(doc, "Smith family").kind == "header"
    assert one(doc, "Printed by").kind == "footer"
    name = one(doc, "MotherPhone")
    assert "07700 900456" in name.text and name.hidden
    assert any(s.field == "creator" and s.text == "Priya Shah" for s in doc.segments)


def test_xlsx_formula_is_read_by_its_cached_value() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Seaview"
    ws["B1"] = '=A1&" Terrace"'
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl writes no cached values; LibreOffice computes and stores them, as Excel does
    computed = convert(buffer.getvalue(), "xlsx", "xlsx")
    doc = extract(computed, "formula.xlsx")
    assert one(doc, "Seaview Terrace").text == "Seaview, Seaview Terrace"
    assert not segments(doc, "A1&")


def test_xlsx_text_box_and_other_parts_are_read_not_skipped() -> None:
    data = workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/drawings/drawing9.xml", '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
                      'drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/'
                      '2006/main"><xdr:sp><xdr:txBody><a:p><a:r><a:t>Text box: Sarah at </a:t></a:r><a:r>'
                      '<a:t>JE3 8XY</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:wsDr>')
        zout.writestr("xl/embeddings/note.txt", "embedded note for Sarah")
        zout.writestr("xl/customXml9.xml", "<data><contact>Sarah at Seaview Terrace</contact></data>")
    doc = extract(out.getvalue(), "children.xlsx")
    box = one(doc, "JE3 8XY")
    assert box.kind == "textbox" and not box.hidden and box.location == "drawing 9, text box 1"
    assert one(doc, "Sarah at Seaview Terrace").hidden  # a part no rule reads: kept as hidden text
    assert [c.name for c in doc.children] == ["embedded note.txt"]
    assert "embedded note for Sarah" in doc.children[0].segments[0].text


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_converted_workbook_keeps_cells_formats_hidden_state_and_comments(target: str) -> None:
    doc = extract(convert(workbook(), "xlsx", target), f"children.{target}")
    assert doc.all_problems() == ()
    assert "943 476 5919" in one(doc, "Lily Smith").text and "02/03/2014" in one(doc, "Lily Smith").text
    assert not one(doc, "Lily Smith").hidden
    assert one(doc, "hidden column value").hidden
    assert one(doc, "hidden row value").hidden
    assert one(doc, "Sarah Smith 07700 900456").hidden
    assert one(doc, "Seaview Terrace").kind == "comment"
    assert one(doc, "Smith family").kind == "header"


def test_csv_rows_are_segments_and_quoted_line_breaks_stay_in_their_cell() -> None:
    data = b'Name,Address\r\n"Sarah Smith","Flat 3, 8 Seaview Terrace\nSt Brelade"\r\n'
    doc = extract(data, "contacts.csv")
    assert doc.media_type == "text/csv"
    assert [s.location for s in doc.segments] == ["row 1", "row 2"]
    assert doc.segments[1].text == "Name: Sarah Smith, Address: Flat 3, 8 Seaview Terrace\nSt Brelade"


def test_odt_value_split_by_a_bold_span_is_one_string_and_the_thumbnail_is_no_problem() -> None:
    doc = extract(letter("odt", "father"), "letter.odt")
    assert doc.all_problems() == ()
    assert "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY" in one(doc, "Seaview").text
    assert not segments(doc, "thumbnail") and not segments(doc, "config")


def test_odt_tracked_deletion_annotation_hidden_span_notes_and_meta() -> None:
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
        "<dc:creator>Priya Shah</dc:creator><dc:date>2026-11-14T10:00:00</dc:date></office:change-info>"
        "<text:p>Sarah moved to Seaview Terrace</text:p></text:deletion></text:changed-region>"
        '</text:tracked-changes><text:p><text:change text:change-id="c1"/>Dear Mr Jones,'
        "<office:annotation><dc:creator>Anne</dc:creator><text:p>check the address</text:p></office:annotation>"
        '<text:span text:style-name="Hid">secret words</text:span></text:p>'
        '<text:p>See note<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Footnote text</text:p></text:note-body></text:note></text:p>"
        '<text:p><draw:frame><svg:title>Photo of Lily</svg:title></draw:frame></text:p>'
    )
    doc = extract(odt(body, meta="<dc:title>Smith letter</dc:title>"
                      '<meta:user-defined meta:name="Case">CSC-2021-004512</meta:user-defined>'), "x.odt")
    deletion = one(doc, "Seaview Terrace")
    assert deletion.kind == "tracked-deletion" and deletion.hidden and deletion.author == "Priya Shah"
    assert one(doc, "Dear Mr Jones").text == "Dear Mr Jones," and not one(doc, "Dear Mr Jones").hidden
    annotation = one(doc, "check the address")
    assert annotation.kind == "comment" and annotation.hidden and annotation.author == "Anne"
    assert one(doc, "secret words").hidden
    assert one(doc, "Footnote text").kind == "footnote"
    assert one(doc, "Photo of Lily").kind == "alt-text"
    assert one(doc, "Smith letter").kind == "metadata"
    assert "CSC-2021-004512" in one(doc, "CSC-2021").text


def test_odt_text_outside_every_known_construct_is_still_read() -> None:
    body = "<text:p>Shown</text:p><text:unknown-thing>Sarah Smith at JE3 8XY</text:unknown-thing>"
    doc = extract(odt(body, automatic=BOLD_STYLE), "x.odt")
    leftover = one(doc, "JE3 8XY")
    assert leftover.hidden and leftover.location == "other text in content.xml"


def test_odp_slides_notes_and_hidden_slide() -> None:
    content = (
        '<office:presentation><draw:page draw:name="One"><draw:frame><draw:text-box><text:p>Slide text Lily'
        "</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>"
        "Speaker note Sarah</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>"
        '<draw:page draw:name="Two" draw:style-name="dpHidden"><draw:frame><draw:text-box><text:p>Hidden slide'
        "</text:p></draw:text-box></draw:frame></draw:page></office:presentation>"
    )
    automatic = ('<office:automatic-styles><style:style style:name="dpHidden" style:family="drawing-page">'
                 '<style:drawing-page-properties presentation:visibility="hidden"/></style:style>'
                 "</office:automatic-styles>")
    doc = extract(odt(content, automatic=automatic, mimetype="application/vnd.oasis.opendocument.presentation"),
                  "deck.odp")
    assert doc.all_problems() == ()
    assert one(doc, "Slide text Lily").location == "slide 1, text box 1" and not one(doc, "Slide text").hidden
    assert one(doc, "Speaker note Sarah").kind == "notes"
    hidden = one(doc, "Hidden slide")
    assert hidden.hidden and hidden.location.startswith("slide 2 (hidden slide)")


def deck() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    shown = presentation.slides.add_slide(presentation.slide_layouts[6])
    shown.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1)).text_frame.text = "Visible slide"
    picture_box = shown.shapes.add_textbox(Inches(1), Inches(3), Inches(4), Inches(1))
    picture_box.text_frame.text = "with alt text"
    picture_box._element.nvSpPr.cNvPr.set("descr", "Photo of Lily Smith")
    shown.notes_slide.notes_text_frame.text = "Note: mother at Seaview Terrace"
    hidden = presentation.slides.add_slide(presentation.slide_layouts[6])
    hidden.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1)).text_frame.text = "Hidden slide text"
    hidden._element.set("show", "0")
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def test_pptx_slides_notes_alt_text_and_hidden_slides() -> None:
    doc = extract(deck(), "deck.pptx")
    assert doc.all_problems() == ()
    assert one(doc, "Visible slide").location == "slide 1, text 1"
    note = one(doc, "Seaview Terrace")
    assert note.kind == "notes" and note.location == "slide 1, notes, text 1"
    alt = one(doc, "Photo of Lily Smith")
    assert alt.kind == "alt-text" and alt.hidden
    hidden = one(doc, "Hidden slide text")
    assert hidden.hidden and hidden.location.startswith("slide 2 (hidden slide)")
    assert all(s.hidden for s in doc.segments if s.kind == "template")


def test_pptx_comments_with_their_authors() -> None:
    data = deck()
    out = io.BytesIO()
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "ppt/slides/_rels/slide1.xml.rels":
                blob = blob.replace(b"</Relationships>",
                                    f'<Relationship Id="rId99" Type="{rel}" Target="../comments/comment1.xml"/>'
                                    f"</Relationships>".encode())
            zout.writestr(info, blob)
        zout.writestr("ppt/commentAuthors.xml", f'<p:cmAuthorLst xmlns:p="{p}"><p:cmAuthor id="0" '
                      'name="Priya Shah" initials="PS"/></p:cmAuthorLst>')
        zout.writestr("ppt/comments/comment1.xml", f'<p:cmLst xmlns:p="{p}"><p:cm authorId="0" '
                      'dt="2026-11-14T10:00:00"><p:text>Remove the address of Sarah</p:text></p:cm></p:cmLst>')
    doc = extract(out.getvalue(), "deck.pptx")
    comment = one(doc, "Remove the address")
    assert comment.kind == "comment" and comment.hidden and comment.author == "Priya Shah"
    assert comment.location == "slide 1, comment 1"


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "xlsx"), ("xls", "xls"), ("ods", "odf"), ("csv", "csv"),
                                           ("pptx", "pptx"), ("odt", "odf")])
def test_each_format_is_sniffed_by_content_before_the_zip_archive(fmt: str, name: str) -> None:
    data = letter(fmt, "mother")
    found = sniff_format(data, f"letter.{fmt}")
    assert found is not None and found.name == name
    if fmt != "csv":  # a CSV is told by its name; every other format by its bytes, whatever the name
        renamed = sniff_format(data, "attachment.bin")
        assert renamed is not None and renamed.name == name


@pytest.mark.parametrize("fmt", ["xlsx", "pptx", "odt"])
def test_damaged_package_is_a_problem_never_an_empty_document(fmt: str) -> None:
    data = letter(fmt, "mother")
    doc = extract(data[: len(data) // 2], f"letter.{fmt}")
    assert doc.all_problems() and not doc.all_segments()


def test_odt_with_a_dtd_is_refused() -> None:
    bomb = odt("<text:p>x</text:p>").replace(b"", b"")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bomb)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "meta.xml":
                blob = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + blob.split(b"?>", 1)[1]
            zout.writestr(info, blob)
    doc = extract(out.getvalue(), "x.odt")
    assert [p.cause for p in doc.all_problems()] == ["unsafe-xml"]


def test_a_picture_is_read_as_an_image_not_as_a_part_of_text() -> None:
    # Pictures/ are read by OCR (issue 17) as a picture of their own; a 1x1 image holds no text.
    doc = extract(odt("<text:p>Hello</text:p>", extra={"Pictures/photo.png": PNG_1X1}), "x.odt")
    assert doc.all_problems() == ()
    assert [(c.name, c.media_type, c.segments) for c in doc.children] == [("picture 1", "image/png", ())]
