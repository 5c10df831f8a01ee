"""Word closed world (issue 13): text in any construct of the package is read, or reported.

Each construct of the issue hides the child's details, or the mother's withheld address,
and nothing else in the file gives them away: the verdict must come from that construct.
What Word and LibreOffice render is checked in tests/test_rendered_constructs.py.
"""

from __future__ import annotations

import pytest
from lxml import etree

from construct_fixtures import (
    ADDRESS,
    CHILD,
    CHILD_NHS,
    DOCX_CONSTRUCTS,
    FATHER,
    UNKNOWN,
    assert_child_blocked,
    assert_withheld_address_blocked,
)
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.extract.context import ExtractContext
from disclosureguard.extract.docx_audit import collect_other_text, count_check
from disclosureguard.extract.docx_story import StoryWalker, Styles
from docfixtures import NS, docx, p, r

CONSTRUCTS = sorted(DOCX_CONSTRUCTS)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_child_details_only_in_the_construct_are_blocked_to_an_unknown_address(
    construct: str, patterns_scanner: Scanner
):
    verdict = patterns_scanner.scan(DOCX_CONSTRUCTS[construct](CHILD), [UNKNOWN], name="notes.docx")
    assert_child_blocked(verdict)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_mothers_withheld_address_only_in_the_construct_is_blocked_to_the_father(
    construct: str, patterns_scanner: Scanner
):
    verdict = patterns_scanner.scan(DOCX_CONSTRUCTS[construct](ADDRESS), [FATHER], name="notes.docx")
    assert_withheld_address_blocked(verdict)


@pytest.mark.parametrize(
    ("construct", "location", "hidden"),
    [
        ("picture alt text (pic:cNvPr)", "body, paragraph 2, image alt text", True),
        ("mc:AlternateContent Fallback", "body, paragraph 2, alternative content (Fallback)", True),
        ("Office Math (m:oMath)", "body, paragraph 2", False),
        ("digits as w:sym", "body, paragraph 1", False),
        ("footnote separator", "footnote separator", True),
        ("w:docVar in settings.xml", "document variable 1", True),
        ("unreferenced word/header9.xml", "header in a part nothing refers to (word/header9.xml)", True),
        ("altChunk HTML (spans, character references)", "attachment 'embedded afchunk.htm', HTML, paragraph 1", False),
    ],
)
def test_each_construct_is_read_where_it_stands_and_marked_as_a_reader_would_see_it(
    construct: str, location: str, hidden: bool
):
    doc = extract(DOCX_CONSTRUCTS[construct](CHILD), "notes.docx")
    assert doc.all_problems() == ()
    holding = [(where, s) for where, s in _segments(doc) if CHILD_NHS in s.text]
    assert [(where, s.hidden) for where, s in holding] == [(location, hidden)]


def _segments(doc):  # (location as the verdict names it, segment), children included
    for s in doc.segments:
        yield s.location, s
    for child in doc.children:
        for s in child.segments:
            yield f"attachment '{child.name}', {s.location}", s


def test_a_fallback_that_repeats_its_choice_is_read_once():
    box = '<w:txbxContent><w:p><w:r><w:t>Lily Smith</w:t></w:r></w:p></w:txbxContent>'
    alternate = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:positionH>"
        "<wp:posOffset>900430</wp:posOffset></wp:positionH><wp:docPr id=\"1\" name=\"Shape1\"/><a:graphic>"
        f"<a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id=\"Shape1\"><v:textbox>"
        f"{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    doc = extract(docx(p(alternate)), "box.docx")
    assert doc.problems == ()
    assert [(s.text, s.location) for s in doc.segments if "Lily" in s.text] == [("Lily Smith", "text box 1")]


def test_text_in_an_element_no_handler_knows_is_read_as_hidden_other_text_naming_part_and_element():
    unknown = '<x:note xmlns:x="urn:example:case-system"><x:ref>943 476</x:ref><x:ref> 5919</x:ref></x:note>'
    doc = extract(docx(p(r("Meeting notes.")) + f"<w:p>{unknown}</w:p>"), "notes.docx")
    other = [s for s in doc.segments if s.kind == "other-text"]
    assert [(s.text, s.location, s.hidden) for s in other] == [
        ("943 476 5919", "other text in part word/document.xml (x:ref)", True)
    ]
    assert doc.problems == ()


def test_text_bearing_attributes_nobody_reads_are_collected():
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:lvlText w:val="NHS 943 476 5919 %1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:lvlText w:val="%2."/></w:lvl></w:abstractNum></w:numbering>'
    )
    doc = extract(docx(p(r("Item")), parts={"word/numbering.xml": numbering}), "list.docx")
    other = [(s.text, s.location) for s in doc.segments if s.kind == "other-text"]
    assert other == [("NHS 943 476 5919 .", "other text in part word/numbering.xml (w:lvlText val attribute)")]


def test_an_ordinary_word_file_has_no_other_text_and_no_gap(samples):
    doc = extract((samples / "documents" / "letter-tracked-changes.docx").read_bytes(), "letter.docx")
    assert doc.all_problems() == ()
    assert [s for s in doc.segments if s.kind == "other-text"] == []


def test_fewer_characters_extracted_than_the_package_holds_is_a_problem():
    body = "<w:body><w:p><w:r><w:t>Lily Smith</w:t></w:r></w:p></w:body>"
    root = etree.fromstring(f"<w:document {NS}>{body}</w:document>")
    walker = StoryWalker(Styles(None), ExtractContext())
    counted = collect_other_text({"word/document.xml": root}, walker)
    assert counted == len("LilySmith") and count_check("a.docx", counted, walker) == []  # read as other text
    walker.segments.clear()  # as if a handler had marked the text read and then lost it
    walker.consume_tree(root)
    problems = count_check("a.docx", collect_other_text({"word/document.xml": root}, walker), walker)
    assert [(pr.cause, pr.message) for pr in problems] == [
        ("incomplete", "9 of 9 characters of text in the package were not extracted")
    ]


def test_a_damaged_part_nothing_refers_to_is_a_problem_and_the_rest_is_read():
    doc = extract(docx(p(r("Lily Smith"))), "x.docx")
    assert doc.problems == ()
    broken = extract(docx(p(r("Lily Smith")), parts={"word/orphan.xml": "<w:hdr><w:p>"}), "x.docx")
    assert [pr.cause for pr in broken.problems] == ["corrupt"]
    assert any(s.text == "Lily Smith" for s in broken.segments)


def test_a_text_file_dropped_into_the_package_is_read_as_a_document_of_its_own():
    data = docx(p(r("Meeting notes.")), parts={"word/notes.txt": CHILD, "word/media/image1.png": b"\x89PNG\r\n\x1a\n"})
    doc = extract(data, "notes.docx")
    assert [(child.name, [s.text for s in child.segments]) for child in doc.children] == [("package part 1", [CHILD])]
    assert doc.all_problems() == ()


def test_an_element_name_the_sender_chose_is_not_repeated_in_the_location():
    unknown = '<x:nhs9434765919 xmlns:x="urn:example:case-system">Lily Smith</x:nhs9434765919>'
    doc = extract(docx(p(r("Meeting notes.")) + f"<w:p>{unknown}</w:p>"), "notes.docx")
    other = [(s.text, s.location) for s in doc.segments if s.kind == "other-text"]
    assert other == [("Lily Smith", "other text in part word/document.xml (an element with an unusual name)")]


@pytest.mark.parametrize(
    ("attribute", "encoding"),
    [
        ('descr="NHS 943 476 5919"', "UTF-8"),
        ('x:title = "NHS 943 476 5919"', "UTF-8"),  # a prefix and spaces around '='
        ('descr="NHS 943 476 5919"', "UTF-16"),  # names not in ASCII bytes: the part is walked
    ],
)
def test_a_text_attribute_in_a_part_with_no_text_nodes_is_still_read(attribute: str, encoding: str):
    # A styles part with no text node is passed by without a walk only when its bytes name
    # no text-bearing attribute: this one does, on an element that has no business with it.
    styles = (
        f'<?xml version="1.0" encoding="{encoding}"?><w:styles {NS} xmlns:x="urn:example:x">'
        f'<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr {attribute}/>'
        "</w:style></w:styles>"
    )
    doc = extract(docx(p(r("Item")), parts={"word/styles.xml": styles.encode(encoding.lower())}), "s.docx")
    other = [(s.text, s.hidden) for s in doc.segments if s.kind == "other-text"]
    assert other == [("NHS 943 476 5919", True)]
    assert doc.all_problems() == ()


@pytest.mark.parametrize(
    "inside",
    [
        "<x:note><![CDATA[NHS 943 476 5919]]></x:note>",  # text only in a CDATA section
        "<x:note>&#78;HS 943 476 5919</x:note>",  # text starting with a character reference
        "<x:note>\n\t NHS 943 476 5919</x:note>",  # after whitespace
    ],
)
def test_text_in_a_part_nothing_refers_to_is_read_however_it_is_written(inside: str):
    # A part with nothing to read is only checked, not parsed into a tree: this one has text.
    extra = f'<?xml version="1.0" encoding="UTF-8"?><x:notes xmlns:x="urn:example:x">{inside}</x:notes>'
    doc = extract(docx(p(r("Item")), parts={"word/extra.xml": extra}), "x.docx")
    other = [s.text for s in doc.segments if s.kind == "other-text"]
    assert other == ["NHS 943 476 5919"]
    assert doc.all_problems() == ()


def test_a_damaged_part_with_no_text_is_still_a_problem():
    broken = extract(docx(p(r("Lily Smith")), parts={"word/orphan.xml": "<x:a xmlns:x='urn:x'><x:b></x:a>"}),
                     "x.docx")
    assert [pr.cause for pr in broken.problems] == ["corrupt"]


def test_a_package_member_with_an_empty_name_is_read_not_a_crash():
    # zipfile's ZipInfo.is_dir() indexes the name's last character: an empty name (found by
    # fuzz_docx) made the whole file "could not be read (IndexError ...)" instead of read.
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx(p(r("Body text")))), "r") as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr(zipfile.ZipInfo(""), b"<x>NHS number 943 476 5919</x>")
    doc = extract(buf.getvalue(), "letter.docx")
    assert doc.all_problems() == ()
    assert any("943 476 5919" in s.text for s in doc.all_segments())
