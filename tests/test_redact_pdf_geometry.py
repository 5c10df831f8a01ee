"""One geometry model for reading and redacting PDFs (issue 18).

The redactor's content interpreter places every glyph with extract/pdf_geometry.Matrix,
in page space; the page layer extraction reads through (PDFium) measures the same glyphs.
On pages built in code with every way of moving text (scaled and rotated CTM, q/Q, Tz, Tc,
Tw, Ts, TJ kerning, the quote operators, a CropBox offset) the two agree on every glyph,
redaction succeeds there, and a reader that forgot a transform is caught, not trusted.
"""

from __future__ import annotations

import io
import math

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from disclosureguard.extract.pdf_geometry import IDENTITY, Matrix, unconfirmed
from disclosureguard.extract.pdf_pdfium import char_origins, open_document
from disclosureguard.redact import redact_values
from disclosureguard.redact.errors import RedactionError
from disclosureguard.redact.pdf import _check_places
from disclosureguard.redact.pdf_content import Fonts, read_stream
from disclosureguard.redact.values import Target

PHONE = "07700 900456"
TARGETS = [Target(PHONE, "PHONE_NUMBER")]

CONSTRUCTS: dict[str, bytes] = {
    "plain Td": b"BT /F1 12 Tf 72 700 Td (Call 07700 900456 today) Tj ET",
    "scaled and moved CTM": b"q 1.5 0 0 1.5 20 -40 cm BT /F1 12 Tf 72 500 Td (Call 07700 900456 today) Tj ET Q",
    "rotated CTM": b"q 0 1 -1 0 400 100 cm BT /F1 12 Tf 72 20 Td (Call 07700 900456 today) Tj ET Q",
    "CTM restored by Q": b"q 2 0 0 2 0 0 cm Q BT /F1 12 Tf 72 650 Td (Call 07700 900456 today) Tj ET",
    "scaling, spacing and rise": b"BT /F1 12 Tf 80 Tz 1.5 Tc 4 Tw 3 Ts 72 600 Td (Call 07700 900456 today) Tj ET",
    "TJ kerning": b"BT /F1 12 Tf 72 550 Td [(Call 0770) -120 (0 900) 50 (456 today)] TJ ET",
    "quote operators": b"BT /F1 12 Tf 14 TL 72 520 Td (Dear colleague,) Tj (Call 07700 900456) ' "
    b"2 1 (today) \" ET",
    "rotated text matrix": b"BT /F1 12 Tf 0.866 0.5 -0.5 0.866 100 300 Tm (Call 07700 900456 today) Tj ET",
}


def _page(content: bytes, crop: list[float] | None = None) -> bytes:
    pdf = pikepdf.Pdf.new()
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))
    page = Dictionary(Type=Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_stream(content),
                      Resources=Dictionary(Font=Dictionary(F1=helv)))
    if crop:
        page.CropBox = crop
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _placed(data: bytes, *, forget_ctm: bool = False) -> list[tuple[str, tuple[float, float], float]]:
    """Every glyph the redactor's interpreter reads on page 1, where it places it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        stream = read_stream(list(pikepdf.parse_content_stream(page)), page.Resources, Fonts())
    out = []
    for glyph in stream.glyphs:
        if not glyph.text or glyph.text.isspace():
            continue
        if forget_ctm:
            glyph.ctm = IDENTITY
        out.append((glyph.text, glyph.origin(), glyph.height()))
    return out


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_the_redactor_places_every_glyph_where_the_page_layer_measures_it(construct: str):
    data = _page(CONSTRUCTS[construct])
    placed = _placed(data)
    with open_document(data) as doc:
        chars, _ = char_origins(doc, 0)
    assert len(placed) == len([c for c, _ in chars if not c.isspace()])
    assert unconfirmed(placed, chars) == 0  # character by character, not only inside some text object


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_redaction_succeeds_and_the_value_is_gone(construct: str):
    result = redact_values(_page(CONSTRUCTS[construct]), "letter.pdf", TARGETS)
    with open_document(result.data) as doc:
        text = "".join(c for c, _ in char_origins(doc, 0)[0])
    assert "07700" not in text and "900456" not in text
    assert "Call" in text and "today" in text


def test_a_page_with_a_crop_box_offset_is_measured_in_the_same_page_space():
    data = _page(CONSTRUCTS["scaled and moved CTM"], crop=[50, 100, 545, 800])
    with open_document(data) as doc:
        chars, _ = char_origins(doc, 0)
    assert unconfirmed(_placed(data), chars) == 0


@pytest.mark.parametrize("construct", ["scaled and moved CTM", "rotated CTM"])
def test_a_reader_that_forgot_the_ctm_is_caught_and_nothing_is_redacted(construct: str):
    data = _page(CONSTRUCTS[construct])
    wrong = _placed(data, forget_ctm=True)
    with open_document(data) as doc:
        chars, objects = char_origins(doc, 0)
    assert unconfirmed(wrong, chars, objects) == len(wrong)
    with pytest.raises(RedactionError, match=r"disagree where characters of the values stand on page 1 \(\d+\)"):
        _check_places(data, {0: wrong})


def test_text_whose_actual_text_replaces_its_characters_is_confirmed_by_its_text_object():
    span = b"/Span <</ActualText (Call 07700 900456)>> BDC BT /F1 12 Tf 72 700 Td (Call 07700 900456) Tj ET EMC"
    data = _page(span)
    with open_document(data) as doc:
        chars, objects = char_origins(doc, 0)
    placed = _placed(data)
    assert unconfirmed(placed, chars) > 0  # PDFium puts every replaced character at the span's start
    assert unconfirmed(placed, chars, objects) == 0
    _check_places(data, {0: placed})


# -- the one transform ------------------------------------------------------------------


def test_matrix_composition_follows_pdf_order():
    scale, move = Matrix(2, 0, 0, 3, 0, 0), Matrix.translation(10, 20)
    assert scale.then(move).apply(1, 1) == (12, 23)  # scaled first, then moved
    assert move.then(scale).apply(1, 1) == (22, 63)
    assert Matrix.of([1, 0, 0, 1, 5, 6]) == Matrix.translation(5, 6)
    assert IDENTITY.then(scale) == scale


def test_matrix_rotation_bounds_and_scale():
    turn = Matrix(0, 1, -1, 0, 0, 0)  # a quarter turn anticlockwise
    x, y = turn.apply(1, 0)
    assert math.isclose(x, 0, abs_tol=1e-9) and math.isclose(y, 1)
    assert turn.bounds((0, 0, 10, 2)) == (-2, 0, 0, 10)
    assert Matrix(3, 0, 0, 2, 0, 0).scale() == 2
    assert Matrix(0, 1, -1, 0, 0, 0).corners((0, 0, 1, 1))[2] == (-1, 1)
