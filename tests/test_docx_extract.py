"""Word documents: every place text can hide, and every way a file can fail."""

from __future__ import annotations

import io
import struct
import zipfile

import docx as python_docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from disclosureguard.extract import extract
from disclosureguard.model import Document, Segment
from docfixtures import NS, docx, p, r, story, tbl, zip_bomb


def seg(doc: Document, needle: str) -> Segment:
    found = [s for s in doc.all_segments() if needle in s.text]
    assert found, f"{needle!r} not extracted; segments: {[(s.location, s.text) for s in doc.all_segments()]}"
    return found[0]


def visible_text(doc: Document) -> str:
    return "\n".join(s.text for s in doc.all_segments() if not s.hidden)


def test_body_paragraphs_are_numbered_as_a_reader_counts_them():
    doc = extract(docx(p(r("Dear Mr Jones,")) + p() + p(r("Lily lives at 8 Seaview Terrace."))), "letter.docx")
    assert doc.problems == ()
    s = seg(doc, "Seaview")
    assert (s.location, s.kind, s.hidden) == ("body, paragraph 2", "body", False)


def test_table_cells_and_nested_tables_have_row_and_cell():
    inner = tbl([p(r("inner a")), p(r("NHS 943 476 5919"))])
    body = tbl([p(r("Name")), p(r("Lily Smith"))], [p(r("Details")) + inner])
    doc = extract(docx(body), "t.docx")
    assert seg(doc, "Lily Smith").location == "table 1, row 1, cell 2"
    nested = seg(doc, "943 476")
    assert nested.location == "table 1, row 2, cell 1, table 1, row 1, cell 2"
    assert (nested.kind, nested.hidden) == ("table", False)


def _headers_doc(title_page: bool) -> bytes:
    sect = (
        '<w:headerReference w:type="default" r:id="rH1"/><w:headerReference w:type="first" r:id="rH2"/>'
        '<w:headerReference w:type="even" r:id="rH3"/><w:footerReference w:type="default" r:id="rF1"/>'
        + ("<w:titlePg/>" if title_page else "")
    )
    parts = {
        "word/header1.xml": story("hdr", p(r("Default header CSC-2021-004512"))),
        "word/header2.xml": story("hdr", p(r("First page header Sarah Smith"))),
        "word/header3.xml": story("hdr", p(r("Even header Mark Jones"))),
        "word/footer1.xml": story("ftr", p(r("Footer JE3 8XY"))),
        "word/settings.xml": story("settings", ""),
    }
    rels = [
        ("rH1", "header", "header1.xml"),
        ("rH2", "header", "header2.xml"),
        ("rH3", "header", "header3.xml"),
        ("rF1", "footer", "footer1.xml"),
        ("rS", "settings", "settings.xml"),
    ]
    return docx(p(r("Body")), parts=parts, rels=rels, sect=sect)


def test_headers_and_footers_of_every_section_and_variant_are_read():
    doc = extract(_headers_doc(title_page=True), "h.docx")
    assert (seg(doc, "Default header").location, seg(doc, "Default header").kind) == ("header (section 1)", "header")
    first = seg(doc, "First page header")
    assert (first.location, first.hidden) == ("header (section 1, first page)", False)
    even = seg(doc, "Even header")
    # even-page headers only show when the settings turn them on
    assert (even.location, even.hidden) == ("header (section 1, even pages)", True)
    footer = seg(doc, "JE3 8XY")
    assert (footer.location, footer.kind, footer.hidden) == ("footer (section 1)", "footer", False)


def test_first_page_header_without_title_page_setting_is_hidden():
    doc = extract(_headers_doc(title_page=False), "h.docx")
    assert seg(doc, "First page header").hidden is True


def test_footnotes_and_endnotes_are_numbered_without_separators_and_separator_text_is_read_hidden():
    foot = story(
        "footnotes",
        '<w:footnote w:type="separator" w:id="-1">' + p(r("----")) + "</w:footnote>"
        '<w:footnote w:id="1">' + p(r("Mother: Sarah Smith")) + "</w:footnote>",
    )
    end = story("endnotes", '<w:endnote w:id="1">' + p(r("Born 2 March 2014")) + "</w:endnote>")
    doc = extract(
        docx(
            p(r("Body")),
            parts={"word/footnotes.xml": foot, "word/endnotes.xml": end},
            rels=[("r1", "footnotes", "footnotes.xml"), ("r2", "endnotes", "endnotes.xml")],
        ),
        "n.docx",
    )
    note = seg(doc, "Sarah Smith")
    assert (note.location, note.kind, note.hidden) == ("footnote 1", "footnote", False)
    assert (seg(doc, "2 March 2014").location, seg(doc, "2 March 2014").kind) == ("endnote 1", "endnote")
    # a separator is not a note, but text put in it is still in the file (issue 13)
    separator = seg(doc, "----")
    assert (separator.location, separator.kind, separator.hidden) == ("footnote separator", "hidden-text", True)


def test_text_box_is_read_once_not_twice_from_its_fallback():
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
        + p(r("Contact: 07700 900456"))
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p(r("Contact: 07700 900456"))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    doc = extract(docx(p(r("See box: "), box)), "b.docx")
    boxes = [s for s in doc.segments if "900456" in s.text]
    assert len(boxes) == 1
    assert (boxes[0].location, boxes[0].kind, boxes[0].hidden) == ("text box 1", "text-box", False)


def test_comment_is_hidden_with_its_author_and_date():
    comments = story(
        "comments",
        '<w:comment w:id="0" w:author="Anna Clarke" w:initials="AC" w:date="2024-05-14T10:00:00Z">'
        + p(r("don't let dad see this"))
        + "</w:comment>",
    )
    doc = extract(
        docx(p(r("Body")), parts={"word/comments.xml": comments}, rels=[("rC", "comments", "comments.xml")]), "c.docx"
    )
    c = seg(doc, "dad see")
    assert (c.location, c.kind, c.hidden, c.author, c.date) == (
        "comment 1",
        "comment",
        True,
        "Anna Clarke",
        "2024-05-14T10:00:00Z",
    )


def test_tracked_deletion_with_phone_number_is_hidden_with_author():
    para = p(
        r("Call Sarah on "),
        '<w:del w:id="1" w:author="Anna Clarke" w:date="2024-05-14T10:00:00Z"><w:r><w:delText>07700 900456'
        "</w:delText></w:r></w:del>",
        '<w:ins w:id="2" w:author="Tom Reed" w:date="2024-05-15T09:00:00Z">' + r("the office line") + "</w:ins>",
        r("."),
    )
    doc = extract(docx(p(r("Dear Mr Jones,")) + para), "tracked.docx")
    deleted = seg(doc, "07700 900456")
    assert (deleted.kind, deleted.hidden, deleted.author) == ("tracked-deletion", True, "Anna Clarke")
    assert deleted.location == "body, paragraph 2, tracked deletion"
    inserted = next(s for s in doc.segments if s.kind == "tracked-insertion")
    assert (inserted.text, inserted.hidden, inserted.author) == ("the office line", False, "Tom Reed")
    # the paragraph's visible text is what Word shows: insertion in, deletion out
    assert seg(doc, "Call Sarah").text == "Call Sarah on the office line."


def test_hidden_white_and_tiny_text_are_hidden_but_white_on_dark_cell_is_not():
    styles = story(
        "styles",
        '<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="MoreSecret"><w:basedOn w:val="Secret"/></w:style>',
    )
    body = (
        p(
            r("Visible. "),
            r("vanished address JE3 8XY", "<w:vanish/>"),
            r("styled hidden Flat 3", '<w:rStyle w:val="MoreSecret"/>'),
        )
        + p(r("white NHS 943 476 5919", '<w:color w:val="FFFFFF"/>'))
        + p(r("tiny Lily Smith", '<w:sz w:val="2"/>'))
        + tbl(
            [
                '<w:tcPr><w:shd w:val="clear" w:fill="000000"/></w:tcPr>'
                + p(r("Heading on black", '<w:color w:val="FFFFFF"/>'))
            ]
        )
    )
    doc = extract(docx(body, parts={"word/styles.xml": styles}, rels=[("rSt", "styles", "styles.xml")]), "h.docx")
    vanished = seg(doc, "JE3 8XY")
    assert (vanished.kind, vanished.hidden, vanished.location) == (
        "hidden-text",
        True,
        "body, paragraph 1, hidden text",
    )
    assert seg(doc, "Flat 3").hidden is True  # hidden through a style based on a hidden style
    assert seg(doc, "943 476").location == "body, paragraph 2, white text"
    assert seg(doc, "tiny Lily").location == "body, paragraph 3, tiny text"
    assert seg(doc, "Heading on black").hidden is False
    assert "JE3" not in visible_text(doc) and "943" not in visible_text(doc)


def test_field_results_are_visible_and_field_codes_hidden():
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:sarah.smith@example.org" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("email Sarah")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple = '<w:fldSimple w:instr=" MERGEFIELD ChildName ">' + r("Lily Smith") + "</w:fldSimple>"
    doc = extract(docx(p(r("Please "), field) + p(simple)), "f.docx")
    assert seg(doc, "email Sarah").hidden is False
    code = seg(doc, "mailto:sarah.smith")
    assert (code.kind, code.hidden, code.location) == ("field", True, "body, paragraph 1, field code")
    assert seg(doc, "Lily Smith").kind == "body"
    assert seg(doc, "MERGEFIELD").kind == "field"


def test_image_alt_text_is_hidden():
    image = (
        '<w:r><w:drawing><wp:inline><wp:docPr id="3" name="Picture 3" descr="Photo of Lily Smith at school"/>'
        "</wp:inline></w:drawing></w:r>"
    )
    doc = extract(docx(p(r("Photo: "), image)), "i.docx")
    alt = seg(doc, "Photo of Lily")
    assert (alt.kind, alt.hidden, alt.location) == ("alt-text", True, "body, paragraph 1, image alt text")


def test_core_app_and_custom_properties_are_hidden_metadata():
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Anna Clarke</dc:creator>'
        "<cp:lastModifiedBy>Sarah Smith</cp:lastModifiedBy><dc:title>Letter to Mr Jones</dc:title>"
        "<dc:subject>Contact</dc:subject><cp:keywords>CSC-2021-004512</cp:keywords>"
        "<dc:description>address withheld JE3 8XY</dc:description></cp:coreProperties>"
    )
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Company>Children's Services</Company><Pages>1</Pages></Properties>"
    )
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="ChildNHS">'
        "<vt:lpwstr>943 476 5919</vt:lpwstr></property></Properties>"
    )
    base = "http://schemas.openxmlformats.org"
    doc = extract(
        docx(
            p(r("Body")),
            parts={"docProps/core.xml": core, "docProps/app.xml": app, "docProps/custom.xml": custom},
            package_rels=[
                ("rP1", f"{base}/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
                ("rP2", f"{base}/officeDocument/2006/relationships/extended-properties", "docProps/app.xml"),
                ("rP3", f"{base}/officeDocument/2006/relationships/custom-properties", "docProps/custom.xml"),
            ],
        ),
        "m.docx",
    )
    by_location = {s.location: s for s in doc.segments if s.kind == "metadata"}
    assert by_location["document property: author"].text == "Anna Clarke"
    assert by_location["document property: last modified by"].text == "Sarah Smith"
    assert by_location["document property: title"].text == "Letter to Mr Jones"
    assert by_location["document property: subject"].text == "Contact"
    assert by_location["document property: keywords"].text == "CSC-2021-004512"
    assert by_location["document property: comments"].text == "address withheld JE3 8XY"
    assert by_location["document property: company"].text == "Children's Services"
    assert by_location["custom property: ChildNHS"].text == "943 476 5919"
    assert all(s.hidden for s in by_location.values())
    assert "1" not in {s.text for s in by_location.values()}  # statistics are not text


def test_embedded_files_are_read_as_nested_documents():
    inner = docx(p(r("Embedded: Mark Jones, 07700 900456")))
    doc = extract(
        docx(
            p(r("Body")),
            parts={
                "word/embeddings/Microsoft_Word_Document.docx": inner,
                "word/embeddings/notes.txt": b"NHS 943 476 5919",
            },
        ),
        "outer.docx",
    )
    assert [c.name for c in doc.children] == ["embedded Microsoft_Word_Document.docx", "embedded notes.txt"]
    nested = seg(doc, "Mark Jones")
    assert (nested.container, nested.location) == (("embedded Microsoft_Word_Document.docx",), "body, paragraph 1")
    assert seg(doc, "943 476").container == ("embedded notes.txt",)


def test_hyperlink_address_is_a_hidden_link_segment():
    link = '<w:hyperlink r:id="rL">' + r("write to Sarah") + "</w:hyperlink>"
    doc = extract(docx(p(link), external_rels=[("rL", "hyperlink", "mailto:sarah.smith@example.org")]), "l.docx")
    address = seg(doc, "mailto:")
    assert (address.kind, address.hidden, address.location) == ("link", True, "link address (body)")
    assert seg(doc, "write to Sarah").hidden is False


def test_document_made_by_python_docx_reads_headers_comments_and_properties():
    d = python_docx.Document()
    d.core_properties.author = "Anna Clarke"
    para = d.add_paragraph("Lily Smith was born on 2 March 2014.")
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "CONFIDENTIAL CSC-2021-004512"
    section.footer.paragraphs[0].text = "Page footer Sarah Smith"
    d.add_comment(para.runs, text="check her NHS 943 476 5919", author="Tom Reed", initials="TR")
    out = io.BytesIO()
    d.save(out)
    doc = extract(out.getvalue(), "made.docm")
    assert doc.problems == ()
    assert seg(doc, "born on").location == "body, paragraph 1"
    assert seg(doc, "CONFIDENTIAL").location == "header (section 1, first page)"
    assert seg(doc, "Page footer").location == "footer (section 1)"
    comment = seg(doc, "943 476")
    assert (comment.kind, comment.hidden, comment.author) == ("comment", True, "Tom Reed")
    assert seg(doc, "Anna Clarke").location == "document property: author"


def test_encrypted_docx_is_an_encrypted_problem_not_a_type_mismatch(tmp_path):
    plain = io.BytesIO(docx(p(r("secret"))))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("Passw0rd", encrypted)
    doc = extract(encrypted.getvalue(), "locked.docx")
    assert [pr.cause for pr in doc.problems] == ["encrypted"]
    assert doc.segments == ()


def test_damaged_legacy_word_file_is_a_problem_not_silence():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    doc = extract(ole2, "old.doc")
    assert [pr.cause for pr in doc.problems] == ["corrupt"]
    assert "damaged compound file" in doc.problems[0].message


def test_truncated_docx_is_corrupt():
    data = docx(p(r("Dear Mr Jones")))
    doc = extract(data[: len(data) // 2], "cut.docx")
    assert [pr.cause for pr in doc.problems] == ["corrupt"]


def test_billion_laughs_dtd_is_unsafe_xml_and_never_expanded():
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{laughs}]><w:document {NS}><w:body>'
        + p(r("&lol9;"))
        + "</w:body></w:document>"
    )
    doc = extract(docx("", parts={"word/document.xml": document}), "laughs.docx")
    assert [pr.cause for pr in doc.problems] == ["unsafe-xml"]
    assert doc.segments == ()


def test_external_entity_in_a_header_part_is_unsafe_xml():
    header = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + story("hdr", p(r("&xxe;"))).split("?>", 1)[1]
    )
    doc = extract(
        docx(p(r("Body")), parts={"word/header1.xml": header}, rels=[("rH", "header", "header1.xml")]), "xxe.docx"
    )
    assert [pr.cause for pr in doc.problems] == ["unsafe-xml"]


def test_zip_bomb_part_inside_docx_is_a_limit_problem():
    bomb = zip_bomb(1, name="word/media/image1.png")
    combined = docx(p(r("Body")))
    doc = extract(_merge_zips(combined, bomb), "bomb.docx")
    assert [pr.cause for pr in doc.problems] == ["limit"]
    assert "zip bomb" in doc.problems[0].message


def _merge_zips(first: bytes, second: bytes) -> bytes:
    """Append the (pre-compressed) members of ``second`` to ``first`` without inflating them."""
    a = zipfile.ZipFile(io.BytesIO(first))
    b = zipfile.ZipFile(io.BytesIO(second))
    local_a = first[: a.start_dir]
    local_b = second[: b.start_dir]
    central_a = first[a.start_dir : first.rindex(b"PK\x05\x06")]
    central_b = bytearray(second[b.start_dir : second.rindex(b"PK\x05\x06")])
    # shift the local header offsets of the second zip's central records
    pos = 0
    while pos < len(central_b):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", central_b, pos + 28)
        (offset,) = struct.unpack_from("<I", central_b, pos + 42)
        struct.pack_into("<I", central_b, pos + 42, offset + len(local_a))
        pos += 46 + name_len + extra_len + comment_len
    central = central_a + bytes(central_b)
    count = len(a.infolist()) + len(b.infolist())
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local_a) + len(local_b), 0)
    return local_a + local_b + central + end


@pytest.mark.parametrize("name", ["x.docm", "x.dotx"])
def test_macro_and_template_variants_are_read_the_same(name):
    doc = extract(docx(p(r("Template text for Lily Smith"))), name)
    assert doc.problems == ()
    assert seg(doc, "Lily Smith").location == "body, paragraph 1"


def test_sample_letter_keeps_deleted_phone_and_comment_as_hidden_segments():
    from pathlib import Path

    sample = Path(__file__).parent.parent / "samples" / "documents" / "letter-tracked-changes.docx"
    doc = extract(sample.read_bytes(), sample.name)
    deleted = seg(doc, "07700 900456")
    assert (deleted.kind, deleted.hidden, deleted.author) == ("tracked-deletion", True, "Priya Shah")
    comment = seg(doc, "don't let dad see this")
    assert (comment.kind, comment.hidden, comment.author) == ("comment", True, "Sarah Smith")
    assert "07700" not in visible_text(doc)


def test_chart_labels_and_unused_headers_are_read():
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich><a:p><a:r>'
        "<a:t>School attendance of Lily Smith</a:t></a:r></a:p></c:rich></c:tx></c:title></c:chart></c:chartSpace>"
    )
    orphan = story("hdr", p(r("Old header: Sarah Smith, JE3 8XY")))
    doc = extract(
        docx(
            p(r("Body")),
            parts={"word/charts/chart1.xml": chart, "word/header9.xml": orphan},
            rels=[("rH9", "header", "header9.xml")],
        ),
        "c.docx",
    )
    label = seg(doc, "School attendance")
    assert (label.location, label.hidden) == ("chart 1", False)
    old = seg(doc, "Old header")
    assert (old.location, old.kind, old.hidden) == ("header (not used by any section)", "header", True)
