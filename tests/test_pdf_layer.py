"""The PDFium page layer: its bounds, its lock, and the geometry rules it feeds."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pikepdf
from pikepdf import Dictionary, Name

from disclosureguard.extract import extract
from disclosureguard.extract.pdf_budget import MAX_TEXT_SHOWS, text_shows
from disclosureguard.extract.pdf_geometry import Cover, Glyph, classify, off_page, overlap, vertical_share
from disclosureguard.extract.pdf_pdfium import MAX_MEASURED_CHARS
from disclosureguard.model import Action
from docfixtures import letter_page, pdf

PAGE = (0.0, 0.0, 595.0, 842.0)


def _one_page(content: bytes) -> bytes:
    doc = pikepdf.Pdf.new()
    helv = doc.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = Dictionary(Type=Name.Page, MediaBox=[0, 0, 595, 842], Contents=doc.make_stream(content),
                      Resources=Dictionary(Font=Dictionary(F1=helv)))
    doc.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_page_of_more_text_operators_than_the_bound_is_a_limit_problem_not_read(patterns_scanner):
    shows = b"(1-1-1-1-1-1-1-1) Tj " * (MAX_TEXT_SHOWS + 1)
    data = _one_page(b"BT /F1 11 Tf 72 700 Td (NHS 943 476 5919) Tj " + shows + b"ET")
    doc = extract(data, "flood.pdf")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("limit", f"page 1 is not read: it draws more than {MAX_TEXT_SHOWS:,} pieces of text")
    ]
    assert patterns_scanner.scan(data, ["someone@example.com"], name="flood.pdf").decision == Action.BLOCK


def test_the_quote_operators_count_as_text_shown():
    # ' and " show text as Tj does (each after moving to the next line): 200,000 of them
    # once went past the bound uncounted and cost PDFium minutes
    assert text_shows(b"(a) Tj [(b) 3 (c)] TJ (d) ' (e)' <0041> ' 1 2 (f) \" (it's fine) Tj") == 7
    data = _one_page(b"BT /F1 11 Tf 12 TL 72 700 Td (NHS 943 476 5919) Tj " + b"(1-1-1) '\n" * 200_000 + b"ET")
    doc = extract(data, "flood.pdf")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("limit", f"page 1 is not read: it draws more than {MAX_TEXT_SHOWS:,} pieces of text")
    ]


def test_a_page_with_more_characters_to_measure_than_the_bound_is_a_limit_problem(patterns_scanner):
    # every piece runs off the right edge, so every character would have to be measured
    shows = b"(1-1-1-1-1-1-1-1-1-1) Tj " * (MAX_MEASURED_CHARS // 19 + 10)
    data = _one_page(b"BT /F1 11 Tf 72 700 Td (NHS 943 476 5919) Tj " + shows + b"ET")
    doc = extract(data, "wide.pdf")
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("limit", "page 1 has too many characters to tell hidden text from visible: all read as visible")
    ]
    assert "943 476 5919" in doc.segments[0].text
    assert patterns_scanner.scan(data, ["someone@example.com"], name="wide.pdf").decision == Action.BLOCK


def test_only_text_objects_that_could_be_hidden_are_measured_and_the_rest_keep_their_verdict():
    # a long visible letter and one phone number under a box: the box still hides the number
    lines = b"".join(b"BT /F1 11 Tf 72 %d Td (Visible line of an ordinary letter) Tj ET " % (800 - 12 * i)
                     for i in range(40))
    boxed = b"BT /F1 11 Tf 72 200 Td (07700 900456) Tj ET 0 g 70 195 90 16 re f"
    doc = extract(_one_page(lines + boxed), "boxed.pdf")
    hidden = [(s.text, s.kind) for s in doc.segments if s.hidden]
    assert hidden == [("07700 900456", "under-box")]
    assert doc.segments[0].text.count("Visible line of an ordinary letter") == 40


def test_pages_read_at_once_from_many_threads_give_the_same_text():
    data = pdf(letter_page, pages=4)
    alone = [s.text for s in extract(data, "letter.pdf").segments]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: [s.text for s in extract(data, "letter.pdf").segments], range(16)))
    assert all(r == alone for r in results)


def test_a_file_pypdf_reads_but_with_a_broken_page_tree_is_never_silent():
    data = _one_page(b"BT /F1 11 Tf 72 700 Td (Dear Mr Jones) Tj ET").replace(b"/Count 1", b"/Count 3")
    doc = extract(data, "odd.pdf")
    assert doc.problems, "a page tree that does not add up must be reported"


# -- the geometry rules alone --------------------------------------------------------------


def _glyphs(text: str, x: float = 72, y: float = 700, order: int = 1, **kw: object) -> list[Glyph]:
    out = []
    for i, ch in enumerate(text):
        x0 = x + 6 * i
        out.append(Glyph(ch, (x0, y - 2, x0 + 6, y + 9), (x0, y), order, **kw))  # type: ignore[arg-type]
    return out


def test_a_box_painted_after_text_hides_the_words_it_covers():
    glyphs = _glyphs("call 07700 900456 now")
    box = Cover((72 + 6 * 5 - 1, 690, 72 + 6 * 17 + 1, 715), 2, "a black box", 0.0)
    runs = classify(glyphs, [box], [], PAGE)
    assert [(r.text, r.why) for r in runs] == [
        ("call ", None),
        ("07700 900456", "under a black box"),
        (" now", None),
    ]
    assert runs[1].origin == (102, 700) and runs[1].kind == "under-box"


def test_a_box_painted_before_text_hides_nothing():
    runs = classify(_glyphs("visible", order=5), [Cover((60, 690, 200, 715), 1, "a filled shape", 0.8)], [], PAGE)
    assert [(r.text, r.why) for r in runs] == [("visible", None)]


def test_white_text_is_hidden_unless_a_dark_shape_is_behind_it():
    white = _glyphs("secret", order=5, luminance=1.0)
    assert classify(white, [], [], PAGE)[0].why == "white text"
    bar = Cover((60, 690, 200, 715), 1, "a filled shape", 0.1)
    assert classify(white, [bar], [], PAGE)[0].why is None


def test_text_the_colour_of_the_shape_behind_it_is_hidden():
    grey = _glyphs("secret", order=5, luminance=0.5)
    runs = classify(grey, [Cover((60, 690, 200, 715), 1, "a filled shape", 0.52)], [], PAGE)
    assert runs[0].why == "text the colour of the shape behind it"


def test_invisible_text_over_an_image_is_a_scan_text_layer():
    glyphs = _glyphs("Scanned letter", invisible=True)
    assert classify(glyphs, [], [], PAGE)[0].why == "invisible text (render mode 3)"
    assert classify(glyphs, [], [(50, 600, 400, 800)], PAGE)[0].why is None


def test_text_outside_the_page_and_in_a_layer_switched_off_is_hidden():
    assert classify(_glyphs("far away", x=700), [], [], PAGE)[0].why == "text outside the page"
    assert classify(_glyphs("layer", layer_off=True), [], [], PAGE)[0].why == "text in a layer that is switched off"
    assert off_page(_glyphs("x", y=-50)[0], PAGE)


def test_overlap_and_vertical_share():
    assert overlap((0, 0, 10, 10), (5, 0, 20, 10)) == 0.5
    assert overlap((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
    assert vertical_share((0, 0, 1, 10), (0, 5, 1, 100)) == 0.5
