"""Every PDF construct of issue 13 that once let a child's details through, on a real file.

Each PDF is built in code with pikepdf (so every object is what the test says), scanned end
to end, and must block Lily Smith's NHS number, name and date of birth to an unknown outside
address, and her mother's withheld address to her father. Where the text is visible on the
rendered page, poppler's ``pdftotext`` (a second, independent reader) shows that it is
really there; where it is hidden, poppler shows that a reader does not see it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from disclosureguard import Scanner
from disclosureguard.extract import ExtractContext, extract
from disclosureguard.extract.pdf import lenient_text, pages_needing_ocr
from disclosureguard.limits import Limits
from disclosureguard.model import Action, Document, Segment, Verdict

NHS = "943 476 5919"
CHILD = f"Lily Smith, born 02/03/2014, NHS number {NHS}"
ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"  # withheld from Mark Jones
UNKNOWN = "someone@example.com"
FATHER = "mjones@example.net"
ROOT = Path(__file__).resolve().parent.parent

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


# -- building PDFs object by object ------------------------------------------------------


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def _new(content: bytes, *, crop: list[float] | None = None) -> tuple[pikepdf.Pdf, pikepdf.Dictionary]:
    pdf = pikepdf.Pdf.new()
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    resources = Dictionary(Font=Dictionary(F1=helv))
    page = Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, 595, 842],
        Contents=pdf.make_stream(b"BT /F1 11 Tf 72 780 Td (Dear colleague,) Tj ET " + content),
        Resources=resources,
    )
    if crop:
        page.CropBox = crop
    pdf.pages.append(pikepdf.Page(page))
    return pdf, pdf.pages[0].obj


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _appearance(pdf: pikepdf.Pdf, text: str) -> pikepdf.Stream:
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    stream = pdf.make_stream(b"BT /F1 9 Tf 4 12 Td (" + _escape(text) + b") Tj ET")
    stream.Type = Name.XObject
    stream.Subtype = Name.Form
    stream.BBox = [0, 0, 400, 30]
    stream.Resources = Dictionary(Font=Dictionary(F1=helv))
    return stream


def stamp_with_appearance_only(text: str) -> bytes:
    pdf, page = _new(b"")
    stamp = Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=[72, 600, 472, 630],
                       AP=Dictionary(N=_appearance(pdf, text)))
    page.Annots = Array([pdf.make_indirect(stamp)])
    return _save(pdf)


def widget_with_empty_value(text: str) -> bytes:
    pdf, page = _new(b"")
    widget = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("details"), V=String(""),
        Rect=[72, 600, 472, 630], DA=String("/Helv 9 Tf 0 g"), AP=Dictionary(N=_appearance(pdf, text)),
    ))
    page.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))
    return _save(pdf)


def glyphs_out_of_order(text: str) -> bytes:
    """Each character placed by its own Tm where Helvetica puts it, drawn from the last to the first."""
    x = [72 + stringWidth(text[:i], "Helvetica", 11) for i in range(len(text))]
    shows = [b"1 0 0 1 %.2f 700 Tm (%s) Tj" % (x[i], _escape(c)) for i, c in enumerate(text)]
    return _save(_new(b"BT /F1 11 Tf " + b" ".join(reversed(shows)) + b" ET")[0])


def lines_out_of_order(first: str, second: str) -> bytes:
    """The second line is drawn before the first."""
    content = b"BT /F1 11 Tf 72 680 Td (" + _escape(second) + b") Tj ET BT /F1 11 Tf 72 700 Td (" + _escape(first)
    return _save(_new(content + b") Tj ET")[0])


def type3_private_names(digits: str) -> bytes:
    """Digits drawn in a Type3 font whose glyphs are /g0../g9 with no ToUnicode map; the
    codes are 1..10, so no character can be guessed from them either."""
    codes = bytes(int(d) + 1 for d in digits if d.isdigit())
    pdf, page = _new(b"BT /F1 11 Tf 72 700 Td (NHS number:) Tj ET BT /T3 11 Tf 200 700 Td (" +
                     _escape(codes.decode("latin-1")) + b") Tj ET")
    procs = Dictionary()
    differences: list[object] = [1]
    for d in range(10):
        procs[Name(f"/g{d}")] = pdf.make_stream(b"500 0 0 0 400 700 d1 0 0 400 700 re f")
        differences.append(Name(f"/g{d}"))
    page.Resources.Font.T3 = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type3, FontBBox=[0, 0, 500, 700], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=procs, Encoding=Dictionary(Type=Name.Encoding, Differences=Array(differences)),
        FirstChar=1, LastChar=10, Widths=[500] * 10, Resources=Dictionary(),
    ))
    return _save(pdf)


def _odd_utf16(text: str) -> pikepdf.String:
    return pikepdf.String(b"\xfe\xff" + text.encode("utf-16-be") + b"\x00")  # one stray byte at the end


def odd_utf16_title(text: str) -> bytes:
    pdf, _ = _new(b"")
    pdf.docinfo.Title = _odd_utf16(text)
    return _save(pdf)


def odd_utf16_note(text: str, subtype: str = "/Text") -> bytes:
    pdf, page = _new(b"")
    note = Dictionary(Type=Name.Annot, Subtype=Name(subtype), Rect=[400, 700, 420, 720], Contents=_odd_utf16(text))
    page.Annots = Array([pdf.make_indirect(note)])
    return _save(pdf)


def odd_utf16_field(text: str) -> bytes:
    pdf, page = _new(b"")
    widget = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("details"),
                                          V=_odd_utf16(text), Rect=[72, 600, 472, 630]))
    page.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))
    return _save(pdf)


def revision_with_altered_eof(text: str) -> bytes:
    """The first revision holds the text; an update replaces the page; the first %%EOF is defaced."""
    original = _save(_new(b"BT /F1 11 Tf 72 700 Td (" + _escape(text) + b") Tj ET")[0])
    pdf = pikepdf.Pdf.open(io.BytesIO(original))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"BT /F1 11 Tf 72 780 Td (Dear colleague,) Tj ET")
    update = io.BytesIO()
    pdf.save(update)  # a full rewrite, appended as if it were an update: the old bytes stay first
    joined = original + b"\n" + update.getvalue().split(b"\n", 1)[1]
    return joined.replace(b"%%EOF", b"%%EOX", 1)


def off_the_media_box(text: str) -> bytes:
    return _save(_new(b"BT /F1 11 Tf 700 500 Td (" + _escape(text) + b") Tj ET")[0])


def outside_the_crop_box(text: str) -> bytes:
    content = b"BT /F1 11 Tf 72 100 Td (" + _escape(text) + b") Tj ET"
    return _save(_new(content, crop=[0, 300, 595, 842])[0])


def layer_switched_off(text: str) -> bytes:
    content = b"/OC /L1 BDC BT /F1 11 Tf 72 700 Td (" + _escape(text) + b") Tj ET EMC"
    pdf, page = _new(content)
    ocg = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Case notes")))
    page.Resources.Properties = Dictionary(L1=ocg)
    pdf.Root.OCProperties = Dictionary(OCGs=Array([ocg]), D=Dictionary(OFF=Array([ocg]), Order=Array([ocg])))
    return _save(pdf)


# -- what must hold for each ------------------------------------------------------------

VISIBLE: dict[str, Callable[[str], bytes]] = {
    "stamp drawn by its appearance stream, no /Contents": stamp_with_appearance_only,
    "form widget with an empty /V whose appearance shows text": widget_with_empty_value,
    "glyphs drawn out of reading order": glyphs_out_of_order,
    "UTF-16 title with a stray odd byte": odd_utf16_title,
    "UTF-16 sticky note with a stray odd byte": odd_utf16_note,
    "UTF-16 FreeText annotation with a stray odd byte": lambda t: odd_utf16_note(t, "/FreeText"),
    "UTF-16 form value with a stray odd byte": odd_utf16_field,
    "earlier revision behind an altered %%EOF": revision_with_altered_eof,
}
NOT_ON_THE_PAGE = {  # read, and hidden because a reader of the page does not see them
    "UTF-16 title with a stray odd byte",
    "UTF-16 sticky note with a stray odd byte",
    "earlier revision behind an altered %%EOF",
}
HIDDEN: dict[str, Callable[[str], bytes]] = {
    "text outside the MediaBox": off_the_media_box,
    "text outside the CropBox": outside_the_crop_box,
    "text in an optional-content layer switched off": layer_switched_off,
}


def _found(doc: Document, needle: str) -> list[Segment]:
    squashed = needle.replace(" ", "")
    return [s for s in doc.all_segments() if squashed in s.text.replace(" ", "").replace("\n", "")]


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "construct.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-cropbox", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def _blocked(scanner: Scanner, data: bytes, to: str) -> Verdict:
    verdict = scanner.scan(data, [to], name="report.pdf")
    assert verdict.decision == Action.BLOCK, [(r.rule, r.message) for r in verdict.reasons]
    return verdict


@pytest.mark.parametrize("construct", [*VISIBLE, *HIDDEN])
def test_child_details_in_the_construct_are_blocked_to_an_unknown_address(construct: str, scanner: Scanner):
    build = {**VISIBLE, **HIDDEN}[construct]
    verdict = _blocked(scanner, build(CHILD), UNKNOWN)
    nhs = [f for f in verdict.findings if f.entity_type == "UK_NHS"]
    assert nhs and nhs[0].text.replace(" ", "") == NHS.replace(" ", "")
    assert any(f.entity_type == "PERSON" and "Lily Smith" in f.text for f in verdict.findings)
    assert any(f.entity_type == "DATE_OF_BIRTH" or "2014" in f.text for f in verdict.findings)
    assert nhs[0].hidden is (construct in HIDDEN or construct in NOT_ON_THE_PAGE)


@pytest.mark.parametrize("construct", [*VISIBLE, *HIDDEN])
def test_mothers_withheld_address_in_the_construct_is_blocked_to_the_father(construct: str, scanner: Scanner):
    build = {**VISIBLE, **HIDDEN}[construct]
    verdict = _blocked(scanner, build(f"Sarah now lives at {ADDRESS}."), FATHER)
    assert any(r.rule in ("withheld-detail", "hidden-content") for r in verdict.reasons)


@needs_poppler
@pytest.mark.parametrize(
    "construct",
    # (pdftotext does not clip text to a CropBox, even with -cropbox, so that one is not compared)
    ["glyphs drawn out of reading order", "text outside the MediaBox",
     "text in an optional-content layer switched off"],
)
def test_poppler_agrees_on_what_the_page_shows(construct: str, tmp_path: Path):
    build = {**VISIBLE, **HIDDEN}[construct]
    data = build(CHILD)
    shown = _pdftotext(data, tmp_path)
    doc = extract(data, "report.pdf")
    page = " ".join(s.text for s in doc.segments if s.location == "page 1")
    assert (CHILD in shown) is (construct in VISIBLE)
    assert (CHILD in " ".join(page.split())) is (construct in VISIBLE)
    assert _found(doc, CHILD), "the text is in the file and must be read"


def test_text_drawn_after_the_line_below_it_comes_in_the_file_and_is_found():
    doc = extract(lines_out_of_order("Lily Smith", f"born 02/03/2014, NHS {NHS}"), "report.pdf")
    page = next(s.text for s in doc.segments if s.location == "page 1")
    assert "Lily Smith" in page and NHS in page


def test_hidden_constructs_say_why_in_the_location():
    where = {c: [s.location for s in _found(extract(b(CHILD), "r.pdf"), CHILD)] for c, b in HIDDEN.items()}
    assert where["text outside the MediaBox"][0].startswith("page 1, text outside the page at (700, 500)")
    assert where["text outside the CropBox"][0].startswith("page 1, text outside the page at (72, 100)")
    assert where["text in an optional-content layer switched off"][0].startswith(
        "page 1, text in a layer that is switched off at (72, 700)"
    )


def test_appearance_text_is_reported_once_and_where_it_stands():
    doc = extract(stamp_with_appearance_only(CHILD), "stamped.pdf")
    found = _found(doc, CHILD)
    assert [(s.location, s.kind, s.hidden) for s in found] == [("page 1, appearance of annotation 1", "annotation",
                                                                 False)]


def test_appearance_saying_what_the_note_says_is_not_reported_twice():
    pdf, page = _new(b"")
    stamp = Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=[72, 600, 472, 630], Contents=String(CHILD),
                       AP=Dictionary(N=_appearance(pdf, CHILD)))
    page.Annots = Array([pdf.make_indirect(stamp)])
    assert len(_found(extract(_save(pdf), "stamped.pdf"), CHILD)) == 1


def test_type3_font_without_a_character_map_is_undecodable_never_allow(scanner: Scanner):
    data = type3_private_names(NHS)
    doc = extract(data, "report.pdf", ExtractContext(limits=Limits(ocr_max_pages=0)))  # what OCR starts from
    assert [p.cause for p in doc.problems] == ["undecodable"]
    assert doc.problems[0].message.startswith("page 1: 10 characters are drawn in a font that maps them to no text")
    assert pages_needing_ocr(data) == [1]
    for to in (UNKNOWN, FATHER, "dsl@stmarys.sch.je"):
        verdict = scanner.scan(data, [to], name="report.pdf")
        assert verdict.decision != Action.ALLOW


def test_a_type3_font_with_standard_glyph_names_pdfium_cannot_map_is_undecodable_not_read_as_codes(tmp_path: Path):
    # PDFium hands over the codes 1..10 of a Type3 font as control characters even when its
    # /Differences name the glyphs /zero../nine (poppler maps them): never read as text
    pdf = pikepdf.Pdf.open(io.BytesIO(type3_private_names(NHS)))
    font = pdf.pages[0].obj.Resources.Font.T3
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    font.Encoding.Differences = Array([1, *(Name("/" + n) for n in names)])
    data = _save(pdf)
    doc = extract(data, "report.pdf", ExtractContext(limits=Limits(ocr_max_pages=0)))
    assert [p.cause for p in doc.problems] == ["undecodable"]
    assert pages_needing_ocr(data) == [1]
    if shutil.which("pdftotext"):
        assert NHS.replace(" ", "") in _pdftotext(data, tmp_path)  # the digits are really there


def test_ordinary_letters_need_no_ocr():
    assert pages_needing_ocr(glyphs_out_of_order(CHILD)) == []


def test_lenient_text_keeps_what_decodes_and_drops_the_stray_byte():
    assert lenient_text(b"\xfe\xff" + "Lily".encode("utf-16-be") + b"\x00") == "Lily"
    assert lenient_text(b"\xff\xfe" + "Lily".encode("utf-16-le") + b"\x4c") == "Lily"
    assert lenient_text(b"notes\x00\xfe") == "notes\x00\ufffd"


def test_pypdf_warnings_quoting_the_input_never_reach_stderr(tmp_path: Path):
    # pypdf warns about the odd-length UTF-16 title, quoting its bytes; and about an
    # odd-length hex string in a CMap line. Neither value may reach the operator.
    data = odd_utf16_title(CHILD)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    exe = Path(sys.executable).parent / "disclosureguard"
    done = subprocess.run(
        [str(exe), "scan", str(path), "--to", UNKNOWN, "--no-model", "--case", str(ROOT / "samples" / "cases" /
                                                                                    "smith-CSC-2021-004512.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode != 0  # blocked
    for value in ("5919", "Lily", "\\xfe", "x00L"):
        assert value not in done.stderr


# -- no glyph dropped, checked against a second reader of the same content ---------------


@pytest.mark.parametrize(
    "data",
    [glyphs_out_of_order(CHILD), lines_out_of_order("Lily Smith", f"born 02/03/2014, NHS {NHS}")],
    ids=["glyphs out of order", "lines out of order"],
)
def test_every_glyph_the_content_draws_is_in_the_page_text(data: bytes):
    # the redactor's interpreter (pikepdf, the shared geometry model) counts the glyphs the
    # content stream draws; the page text must hold every one of them, and the page layer's
    # own per-page check must find none lost
    from disclosureguard.redact.pdf_content import Fonts, read_stream

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        drawn = [g.text for g in read_stream(list(pikepdf.parse_content_stream(page)), page.Resources, Fonts()).glyphs]
    doc = extract(data, "report.pdf")
    text = next(s.text for s in doc.segments if s.location == "page 1")
    assert sorted(c for c in "".join(t or "" for t in drawn) if not c.isspace()) == sorted(
        c for c in text if not c.isspace()
    )
    assert doc.problems == ()


def test_a_page_whose_characters_do_not_all_reach_the_runs_is_a_problem():
    from disclosureguard.extract.pdf_geometry import Placed
    from disclosureguard.extract.pdf_pdfium import _lost

    runs = [Placed("Lily Smith ", None, "body", (0, 0, 1, 1), (0, 0)), Placed("943", "white text", "invisible-text",
                                                                            (0, 0, 1, 1), (0, 0))]
    assert _lost(14, "Lily Smith 943", 12, runs) == 0
    assert _lost(16, "Lily Smith 943", 12, runs) == 2  # PDFium counted two characters its text does not hold
    assert _lost(14, "Lily Smith 9434", 13, runs) == 1  # a character in the text is in no run


# -- the same constructs without the language model (``--no-model``) ---------------------

ODD_UTF16 = [c for c in VISIBLE if c.startswith("UTF-16")]


@pytest.mark.parametrize("construct", ODD_UTF16)
def test_odd_utf16_strings_are_read_without_the_language_model(construct: str, patterns_scanner: Scanner):
    build = VISIBLE[construct]
    verdict = _blocked(patterns_scanner, build(CHILD), UNKNOWN)
    assert any(f.entity_type == "UK_NHS" and f.text.replace(" ", "") == NHS.replace(" ", "") for f in verdict.findings)
    verdict = _blocked(patterns_scanner, build(f"Sarah now lives at {ADDRESS}."), FATHER)
    assert any(r.rule in ("withheld-detail", "hidden-content") for r in verdict.reasons)


def test_type3_text_blocks_to_an_unknown_address_and_to_the_father(scanner: Scanner):
    data = type3_private_names(NHS)
    for to in (UNKNOWN, FATHER):
        verdict = _blocked(scanner, data, to)
        # the page is OCRed (the glyphs are solid boxes: OCR reads nothing sure) or undecodable
        assert {e.cause for e in verdict.errors} & {"undecodable", "low-confidence"}


# -- a PDF attached as notes.txt, text/plain ----------------------------------------------


def _mail_with_pdf_as_text(pdf_bytes: bytes, to: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sam.worker@gov.je", to, "Visit notes"
    msg.set_content("Please see the notes attached.")
    msg.add_attachment(pdf_bytes, maintype="text", subtype="plain", filename="notes.txt")
    return msg.as_bytes()


@pytest.mark.parametrize(("text", "to"), [(CHILD, UNKNOWN), (f"Sarah now lives at {ADDRESS}.", FATHER)])
def test_a_pdf_attached_as_notes_txt_is_a_type_mismatch_and_blocked(text: str, to: str, scanner: Scanner):
    verdict = scanner.scan(_mail_with_pdf_as_text(glyphs_out_of_order(text), to), [to], name="message.eml")
    assert verdict.decision == Action.BLOCK, [(r.rule, r.message) for r in verdict.reasons]
    assert "type-mismatch" in [e.cause for e in verdict.errors]
    assert any(r.rule in ("unknown-recipient", "withheld-detail") for r in verdict.reasons)


@needs_poppler
def test_poppler_reads_the_pdf_attached_as_notes_txt(tmp_path: Path):
    data = _mail_with_pdf_as_text(glyphs_out_of_order(CHILD), UNKNOWN)
    (attachment,) = extract(data, "message.eml").children
    assert attachment.media_type == "application/pdf"
    import email
    from email import policy

    part = next(email.message_from_bytes(data, policy=policy.default).iter_attachments())
    assert CHILD in _pdftotext(part.get_payload(decode=True), tmp_path)
    assert _found(attachment, CHILD)


# -- cost ---------------------------------------------------------------------------------


def test_a_six_megabyte_page_of_200k_text_operators_is_a_limit_problem_and_blocked(patterns_scanner: Scanner):
    shows = b"(1-1-1-1-1-1-1-1-1-1-1-1-1-1) Tj\n" * 200_000
    pdf, _ = _new(b"BT /F1 11 Tf 72 700 Td (" + _escape(CHILD) + b") Tj " + shows + b"ET")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    data = out.getvalue()
    assert len(data) > 6_500_000
    doc = extract(data, "flood.pdf")
    assert [p.cause for p in doc.problems] == ["limit"]
    assert "page 1 is not read" in doc.problems[0].message
    assert patterns_scanner.scan(data, [UNKNOWN], name="flood.pdf").decision == Action.BLOCK
