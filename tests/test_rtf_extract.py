"""The RTF reader: groups, escapes, destinations, hidden text, objects; never markup as text."""

from __future__ import annotations

import struct

import pytest

from disclosureguard.extract import extract
from disclosureguard.extract.rtf_tokens import tokens
from legacy_fixtures import WITHHELD_ADDRESS, docx_bytes, letter_lines, rtf_letter, word_split


def segments(data: bytes) -> list[tuple[str, str, bool, str]]:
    doc = extract(data, "letter.rtf")
    assert doc.problems == (), doc.problems
    return [(s.location, s.kind, s.hidden, s.text) for s in doc.all_segments()]


def texts(data: bytes, *, hidden: bool | None = None) -> list[str]:
    return [t for _, _, h, t in segments(data) if hidden is None or h == hidden]


def test_a_value_split_by_words_insrsid_groups_is_one_text():
    data = rb"{\rtf1\ansi\pard Flat 3, 8 Sea{\insrsid123 view} Terr{\insrsid9 ace}, St Brelade\par}"
    assert texts(data) == ["Flat 3, 8 Seaview Terrace, St Brelade"]


def test_the_whole_letter_as_word_writes_it_reads_line_by_line():
    lines = letter_lines()
    data = rtf_letter(lines)
    assert b"Seaview" not in data  # the fixture really splits it
    body = [t for loc, kind, hidden, t in segments(data) if kind == "body"]
    assert body == [line for line in lines if line]
    assert any(WITHHELD_ADDRESS in t for t in body)


def test_hex_escapes_are_decoded_with_the_documents_code_page():
    assert texts(rb"{\rtf1\ansi\ansicpg1252 JE3 8XY \'39\'34 Caf\'e9\par}") == ["JE3 8XY 94 Café"]


def test_font_charset_decides_the_code_page_of_its_escapes():
    data = rb"{\rtf1\ansi{\fonttbl{\f0\fcharset204 Arial;}}\f0 \'cf\'f0\'e8\par}"
    assert texts(data) == ["При"]


def test_unicode_escapes_skip_their_fallback_characters():
    assert texts(rb"{\rtf1\ansi\uc1 Lily\u8217?s \uc2\u233\'e9\'e9z \uc1\u-10179?\u-8694?\par}") == ["Lily’s éz 😊"]


def test_hidden_text_is_its_own_hidden_segment():
    found = segments(rb"{\rtf1\ansi Visible {\v Sarah lives at JE3 8XY} after\par}")
    assert ("body, paragraph 1, hidden text", "hidden-text", True, "Sarah lives at JE3 8XY") in found
    assert ("body, paragraph 1", "body", False, "Visible  after") in found


def test_plain_ends_hidden_text_and_v0_too():
    assert texts(rb"{\rtf1\ansi {\v gone\v0 back} {\v x\plain y}\par}", hidden=False) == ["back y"]


def test_tracked_deletion_is_hidden():
    found = segments(rb"{\rtf1\ansi keep {\deleted 07700 900456} more\par}")
    assert ("body, paragraph 1, tracked deletion", "tracked-deletion", True, "07700 900456") in found


def test_annotations_their_authors_and_field_codes_are_read_as_hidden():
    data = (rb"{\rtf1\ansi Text{\*\atnid JC}{\*\atnauthor Janet Cooper}\chatn{\*\annotation{\*\atnref 1}"
            rb" Sarah is at JE3 8XY}{\field{\*\fldinst HYPERLINK mailto:sarah.smith@example.com}{\fldrslt email}}\par}")
    found = segments(data)
    assert ("comment 1", "comment", True, "Sarah is at JE3 8XY") in found
    assert ("comment author", "metadata", True, "Janet Cooper") in found
    assert ("body, paragraph 1, field code", "field", True, "HYPERLINK mailto:sarah.smith@example.com") in found
    assert ("body, paragraph 1", "body", False, "Textemail") in found


def test_info_properties_headers_and_footnotes():
    data = (rb"{\rtf1\ansi{\info{\title Plan}{\author Priya Shah}{\company CSC}{\creatim\yr2026\mo1}}"
            rb"{\header \pard Private\par}{\footer \pard Page\par}Body{\footnote \pard Note here}\par}")
    found = segments(data)
    assert ("document property: author", "metadata", True, "Priya Shah") in found
    assert ("document property: title", "metadata", True, "Plan") in found
    assert ("header, paragraph 1", "header", False, "Private") in found
    assert ("footer, paragraph 1", "footer", False, "Page") in found
    assert ("footnote 1", "footnote", False, "Note here") in found


def test_unknown_starred_destination_is_read_as_hidden_not_dropped():
    found = segments(rb"{\rtf1\ansi{\*\madeupthing Sarah Smith} body\par}")
    assert ("unrecognised RTF destination \\madeupthing", "hidden-text", True, "Sarah Smith") in found


def test_tables_fonts_colours_styles_and_pictures_are_not_text():
    data = (rb"{\rtf1\ansi{\fonttbl{\f0\froman Times New Roman;}}{\colortbl;\red255\green0\blue0;}"
            rb"{\stylesheet{\s0 Normal;}}{\*\rsidtbl \rsid1}{\*\generator Word;}{\pict\pngblip 89504e47}"
            rb"{\*\themedata 504b0304}Only this\par}")
    assert texts(data) == ["Only this"]


def test_shape_alt_text_and_text_boxes():
    data = (rb"{\rtf1\ansi{\shp{\*\shpinst{\sp{\sn wzDescription}{\sv Photo of Lily Smith}}{\sp{\sn fillColor}"
            rb"{\sv 255}}{\shptxt \pard Box text\par}}}\par}")
    found = segments(data)
    assert ("shape 1, alt text", "alt-text", True, "Photo of Lily Smith") in found
    assert "Box text" in [t for _, _, _, t in found]
    assert "255" not in [t for _, _, _, t in found]


def test_table_cells_of_a_row_are_one_segment():
    data = rb"{\rtf1\ansi\trowd Lily Smith\cell 02/03/2014\cell 943 476 5919\cell\row Next\par}"
    assert texts(data) == ["Lily Smith\t02/03/2014\t943 476 5919", "Next"]


def test_encapsulated_html_is_read_as_html():
    data = (rb"{\rtf1\ansi\fromhtml1 {\*\htmltag19 <html>}{\*\htmltag <p>}{\htmlrtf \pard }Hello there"
            rb"{\*\htmltag </p>}{\*\htmltag <p style=\"display:none\">}Sarah Smith{\*\htmltag </p>}}")
    found = segments(data)
    assert ("body (HTML), paragraph 1", "body", False, "Hello there") in found
    assert any(h and t == "Sarah Smith" for _, _, h, t in found)


def _ole1(class_name: bytes, native: bytes) -> bytes:
    def lp(s: bytes) -> bytes:
        return struct.pack("<I", len(s) + 1) + s + b"\0"
    return struct.pack("<II", 0x0501, 2) + lp(class_name) + lp(b"") + lp(b"") + struct.pack("<I", len(native)) + native


def _package(name: bytes, content: bytes) -> bytes:
    temp = b"C:\\tmp\\" + name + b"\0"
    return (struct.pack("<H", 2) + name + b"\0" + b"C:\\" + name + b"\0" + struct.pack("<HH", 0, 3)
            + struct.pack("<I", len(temp)) + temp + struct.pack("<I", len(content)) + content)


def test_embedded_package_object_is_read_as_a_nested_document():
    inner = docx_bytes([f"Sarah lives at {WITHHELD_ADDRESS}"])
    blob = _ole1(b"Package", _package(b"plan.docx", inner)).hex().encode()
    data = (rb"{\rtf1\ansi Before{\object\objemb{\*\objclass Package}{\*\objdata " + blob
            + rb"}{\result {\pict\wmetafile8 0a0b}}}\par}")
    doc = extract(data, "letter.rtf")
    assert doc.problems == ()
    (child,) = doc.children
    assert child.name == "plan.docx"
    assert any(WITHHELD_ADDRESS in s.text for s in child.segments)


def test_unreadable_embedded_object_is_a_problem():
    doc = extract(rb"{\rtf1\ansi{\object\objemb{\*\objdata 0102}}\par}", "letter.rtf")
    assert [(p.cause, p.message) for p in doc.problems] == [("unsupported", "an embedded object could not be read")]


def test_a_file_cut_short_says_so():
    doc = extract(rb"{\rtf1\ansi Sarah {\b Smith", "cut.rtf")
    assert [p.cause for p in doc.problems] == ["malformed"]
    assert "Sarah Smith" in [s.text for s in doc.segments]


def test_groups_nested_too_deep_are_a_problem_not_a_crash():
    doc = extract(b"{\\rtf1 " + b"{" * 5000 + b"x" + b"}" * 5000 + b"}", "deep.rtf")
    assert [p.cause for p in doc.problems] == ["corrupt"]


def test_tokens_cover_every_byte_once():
    data = rb"{\rtf1\ansi \'e9\u8217?{\*\x y}\bin3 abcz\par}"
    spans = [(t.start, t.end) for t in tokens(data)]
    assert spans == sorted(spans) and all(a < b for a, b in spans)


@pytest.mark.parametrize("every", [1, 3, 7])
def test_word_split_fixture_spells_the_line(every: int):
    data = ("{\\rtf1\\ansi " + word_split("Flat 3, 8 Seaview Terrace", every) + "\\par}").encode()
    assert texts(data) == ["Flat 3, 8 Seaview Terrace"]


def test_white_text_and_tiny_text_are_hidden_unless_shaded():
    data = (rb"{\rtf1\ansi{\colortbl;\red255\green255\blue255;\red0\green0\blue0;}Seen {\cf1 Sarah at JE3 8XY}"
            rb" {\cf2 dark} {\fs2 tiny words} {\highlight2\cf1 on a dark highlight} {\cf1\plain plain again}\par}")
    found = segments(data)
    assert ("body, paragraph 1, white text", "hidden-text", True, "Sarah at JE3 8XY") in found
    assert ("body, paragraph 1, tiny text", "hidden-text", True, "tiny words") in found
    assert ("body, paragraph 1", "body", False, "Seen  dark  on a dark highlight plain again") in found


@pytest.mark.parametrize("word", [rb"\u9999999999?", rb"\u-99999?", rb"\u65536?", rb"\ansicpg99999999999 \'e9"])
def test_out_of_range_numbers_are_read_not_a_crash(word: bytes):
    """Found by fuzz_rtf.py: \\uN past 16 bits raised inside chr()."""
    doc = extract(rb"{\rtf1\ansi " + word + rb" after\par}", "odd.rtf")
    assert doc.problems == ()
    assert doc.segments[0].text.endswith("after")
