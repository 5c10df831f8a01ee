"""OCR of scans and pictures, with the real Tesseract: pages built in code, decided by the Scanner."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.extract import ExtractContext, extract
from disclosureguard.limits import Limits, parse_limits
from disclosureguard.model import Action
from scan_fixtures import fax_tiff, image_pdf, jpeg_bytes, phone_photo, png_bytes, scribbles, typed_page

LETTER = (Path(__file__).resolve().parent.parent / "samples" / "letters" / "letter-to-father.txt").read_text()
FATHER = "mjones@example.net"
OUTSIDE = "enquiries@example.org"
CLEAN = """Family Centre: visiting arrangements

The family centre is open from Monday to Friday, nine in the morning until five in the afternoon.
Parking is available behind the building and the entrance is step free.

Please arrive ten minutes before the start of a session so that staff can show you the rooms.
Refreshments are provided and children are welcome to bring a favourite toy.

If you cannot attend, telephone the centre reception as early as you can."""

pytestmark = pytest.mark.xdist_group("ocr")  # Tesseract is CPU-bound: keep these on one worker


@pytest.fixture(scope="module")
def letter_page():
    return typed_page(LETTER)


@pytest.fixture(scope="module")
def scanned_letter(letter_page) -> bytes:
    return image_pdf([letter_page])


def reasons(verdict) -> set[tuple[str, str]]:
    return {(r.rule, r.action.label) for r in verdict.reasons}


def test_scanned_letter_with_the_mothers_address_to_the_father_blocks_for_withheld_detail(
        scanner: Scanner, scanned_letter: bytes):
    verdict = scanner.scan(scanned_letter, [FATHER], name="scan.pdf")
    assert verdict.decision == Action.BLOCK and ("withheld-detail", "block") in reasons(verdict)
    (reason,) = [r for r in verdict.reasons if r.rule == "withheld-detail"]
    assert reason.message == "Sarah Smith's address is withheld from Mark Jones: page 1 (read by OCR)"
    assert verdict.errors == ()  # read, not unscannable


def test_ocr_text_is_a_segment_with_its_page_box_and_confidence(scanned_letter: bytes):
    doc = extract(scanned_letter, "scan.pdf")
    (seg,) = [s for s in doc.segments if "Seaview Terrace" in s.text]
    assert seg.ocr and seg.page == 1 and seg.kind == "body" and not seg.hidden
    assert seg.confidence is not None and seg.confidence > 85
    x0, y0, x1, y1 = seg.bbox  # PDF points, origin bottom left, inside an A4 page
    assert 0 < x0 < x1 < 596 and 0 < y0 < y1 < 842
    assert "JE3 8XY" in seg.text and "Mr Mark Jones" in seg.text


def test_the_same_letter_as_a_phone_photo_attached_to_an_email_blocks(scanner: Scanner, letter_page):
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@gov.je>"
    message["To"] = FATHER
    message["Subject"] = "Contact arrangements"
    message.set_content("Dear Mr Jones,\n\nPlease see the attached letter.\n\nPriya Shah\n")
    message.add_attachment(jpeg_bytes(phone_photo(letter_page)), maintype="image", subtype="jpeg",
                           filename="IMG_2041.jpg")
    verdict = scanner.scan(message.as_bytes(), name="mail.eml")
    assert verdict.decision == Action.BLOCK and ("withheld-detail", "block") in reasons(verdict)
    (reason,) = [r for r in verdict.reasons if r.rule == "withheld-detail"]
    assert "attachment 'IMG_2041.jpg', picture (read by OCR)" in reason.message


def test_a_clean_scanned_page_to_an_outside_recipient_is_allowed(scanner: Scanner):
    verdict = scanner.scan(image_pdf([typed_page(CLEAN)]), [OUTSIDE], name="visiting.pdf")
    assert (verdict.decision, verdict.errors) == (Action.ALLOW, ())


def test_a_handwriting_like_page_is_low_confidence_and_never_allowed_outside(scanner: Scanner):
    analysis = scanner.analyse(image_pdf([typed_page(CLEAN), scribbles()]), [OUTSIDE], name="note.pdf")
    problems = analysis.document.problems  # one reading of the pages serves both checks
    assert [(p.cause, p.message.split(":")[0]) for p in problems] == [("low-confidence", "page 2")]
    verdict = analysis.verdict
    assert verdict.decision != Action.ALLOW and any(r.rule.startswith("unscannable") for r in verdict.reasons)


def test_each_page_of_a_fax_tiff_is_read_and_named(letter_page):
    doc = extract(fax_tiff([typed_page(CLEAN), letter_page]), "fax.tif")
    assert doc.problems == ()
    (seg,) = [s for s in doc.segments if "Seaview" in s.text]
    assert (seg.page, seg.location, seg.ocr) == (2, "page 2 (read by OCR)", True)


def test_a_png_picture_is_read_by_content_whatever_its_name(letter_page):
    doc = extract(png_bytes(letter_page), "attachment.bin")
    assert any("JE3 8XY" in s.text for s in doc.segments)


def test_ocr_off_restores_the_unscannable_page(scanned_letter: bytes):
    off = parse_limits(["ocr_max_pages=0"])
    doc = extract(scanned_letter, "scan.pdf", ExtractContext(limits=off))
    assert doc.segments == ()
    assert [(p.cause, p.message) for p in doc.problems] == [
        ("no-text-layer", "page 1 has no text layer (a scan?): not scanned")]


def test_pages_past_the_ocr_page_limit_are_a_limit_problem(letter_page):
    data = image_pdf([typed_page(CLEAN), letter_page])
    doc = extract(data, "bundle.pdf", ExtractContext(limits=Limits(ocr_max_pages=1)))
    assert [p.cause for p in doc.problems] == ["limit", "no-text-layer"]
    assert doc.problems[0].message.startswith("page 2 is not read: more than ocr_max_pages=1")
    assert not any("Seaview" in s.text for s in doc.segments)


def test_a_page_over_the_per_page_time_limit_is_a_timeout_problem(scanned_letter: bytes):
    doc = extract(scanned_letter, "scan.pdf", ExtractContext(limits=Limits(ocr_page_time_limit=0.05)))
    assert [p.cause for p in doc.problems] == ["timeout", "no-text-layer"]
    assert "ocr_page_time_limit=0.05 s" in doc.problems[0].message


def test_a_tiny_picture_holds_nothing_to_read():
    from PIL import Image

    doc = extract(png_bytes(Image.new("RGB", (1, 1), "white")), "pixel.png")
    assert (doc.segments, doc.problems) == ((), ())


def test_redact_on_a_scanned_pdf_writes_a_verified_image_only_copy(scanner: Scanner, scanned_letter: bytes):
    import io

    import pikepdf
    from pypdf import PdfReader

    from disclosureguard.redact import redact_analysis

    result = redact_analysis(scanner.analyse(scanned_letter, [FATHER], name="scan.pdf"))
    assert result.verified and result.format == "pdf"
    assert {r.entity_type for r in result.removed} >= {"ADDRESS"}
    assert "re-extracted text (extraction registry)" in result.checks  # which OCRs the copy again
    assert all(not (p.extract_text() or "").strip() for p in PdfReader(io.BytesIO(result.data)).pages)
    with pikepdf.open(io.BytesIO(scanned_letter)) as original:
        images = [o.read_raw_bytes() for o in original.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert images and not any(blob[:4096] in result.data for blob in images)
    again = extract(result.data, "redacted.pdf")
    text = " ".join(s.text for s in again.segments)
    assert again.problems == () and "Seaview" not in text and "JE3 8XY" not in text
    assert "Lily has settled well" in text  # the rest of the page is still there to read
    verdict = scanner.scan(result.data, [FATHER], name="redacted.pdf")
    assert "withheld-detail" not in {r.rule for r in verdict.reasons}


def test_the_scan_verifier_reads_a_value_left_in_the_pixels(letter_page):
    from disclosureguard.redact.image import folded_matcher, paint, still_read
    from disclosureguard.redact.values import Target, ValueMatcher

    matcher = folded_matcher(ValueMatcher([Target("Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY", "ADDRESS")]))
    assert still_read(letter_page, matcher) == {"ADDRESS"}  # unpainted: the check fails it
    painted, boxes, _ = paint(letter_page, matcher)
    assert boxes >= 1 and still_read(painted, matcher) == set()


def test_redact_on_a_photo_writes_a_new_picture_without_its_metadata(scanner: Scanner, letter_page):
    import io

    from PIL import Image

    from disclosureguard.redact import redact_analysis

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[315] = "Priya Shah"  # artist
    letter_page.convert("RGB").save(buffer, format="JPEG", quality=85, exif=exif)
    result = redact_analysis(scanner.analyse(buffer.getvalue(), [FATHER], name="letter.jpg"))
    out = Image.open(io.BytesIO(result.data))
    assert out.format == "JPEG" and not out.getexif()
    assert "JE3 8XY" not in " ".join(s.text for s in extract(result.data, "out.jpg").segments)


def test_scan_and_redact_from_the_command_line_with_and_without_ocr(tmp_path: Path, samples: Path, scanned_letter):
    import json

    from cli_run import Ran, run_cli  # in this process: a real process would add only its start

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_letter)
    common = ["--no-model", "--cases", str(samples / "cases"), "--policy", str(samples / "policy.yaml"),
              "--to", FATHER]

    def run(*args: str) -> Ran:
        p = run_cli(*args)
        assert "Seaview" not in p.stderr, p.stderr
        return p

    on = json.loads(run("scan", str(scan), *common, "--format", "json").stdout)
    off = json.loads(run("scan", str(scan), *common, "--no-ocr", "--format", "json").stdout)
    assert "withheld-detail" in {r["rule"] for r in on["reasons"]}
    assert [e["cause"] for e in off["errors"]] == ["no-text-layer"]
    out = tmp_path / "scan-redacted.pdf"
    p = run("redact", str(scan), *common, "-o", str(out))
    assert p.returncode == 0 and out.exists(), p.stderr
    assert "JE3 8XY" not in " ".join(s.text for s in extract(out.read_bytes(), "out.pdf").segments)


def test_a_picture_inside_a_word_document_is_read_by_ocr(scanner: Scanner, letter_page):
    from PIL import Image

    from docfixtures import docx, p, r

    logo = Image.new("RGB", (120, 40), (20, 60, 140))  # a letterhead logo: no words, no problem
    data = docx(p(r("Please see the scanned letter below.")),
                parts={"word/media/image1.png": png_bytes(letter_page), "word/media/image2.png": png_bytes(logo)})
    analysis = scanner.analyse(data, [FATHER], name="cover.docx")  # one reading serves both checks
    doc = analysis.document
    assert doc.all_problems() == ()
    (child,) = [c for c in doc.children if any("Seaview" in s.text for s in c.segments)]
    assert child.name == "picture 1" and child.segments[0].ocr
    assert ("withheld-detail", "block") in reasons(analysis.verdict)


@pytest.mark.parametrize("mimetype, body", [
    ("application/vnd.oasis.opendocument.text",
     "<office:text><text:p>Please see the scanned letter below.</text:p><text:p>{frame}</text:p></office:text>"),
    ("application/vnd.oasis.opendocument.spreadsheet",
     '<office:spreadsheet><table:table table:name="Visits"><table:table-row><table:table-cell>'
     "<text:p>Scanned letter</text:p>{frame}</table:table-cell></table:table-row></table:table></office:spreadsheet>"),
    ("application/vnd.oasis.opendocument.presentation",
     '<office:presentation><draw:page draw:name="Slide 1">{frame}</draw:page></office:presentation>'),
], ids=["odt", "ods", "odp"])
def test_a_picture_inside_an_opendocument_file_is_read_by_ocr(scanner: Scanner, letter_page, mimetype, body):
    from office_fixtures import odt

    frame = ('<draw:frame svg:width="17cm" svg:height="24cm"><draw:image xlink:href="Pictures/10000001.png" '
             'xmlns:xlink="http://www.w3.org/1999/xlink"/></draw:frame>')
    data = odt(body.format(frame=frame), mimetype=mimetype,
               extra={"Pictures/10000001.png": png_bytes(letter_page), "Pictures/vector.svg": b"<svg/>"})
    analysis = scanner.analyse(data, [FATHER], name="cover.odt")  # one reading serves both checks
    doc = analysis.document
    assert doc.all_problems() == ()
    (child,) = doc.children
    assert child.name == "picture 1" and child.segments[0].ocr and "JE3 8XY" in child.segments[0].text
    if mimetype.endswith(".text"):
        assert ("withheld-detail", "block") in reasons(analysis.verdict)


# The start of an iPhone photo: an ISO base media "ftyp" box with HEIC brands, then its boxes.
HEIC_START = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x0cmeta" + bytes(200)


def test_a_heic_photo_is_unsupported_and_never_allowed_outside(scanner: Scanner):
    doc = extract(HEIC_START, "IMG_0001.HEIC")
    assert doc.media_type == "image/heic" and doc.segments == ()
    assert [p.cause for p in doc.problems] == ["unsupported"] and "HEIC" in doc.problems[0].message
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@gov.je>"
    message["To"] = OUTSIDE
    message["Subject"] = "Photo"
    message.set_content("Photo attached.\n")
    message.add_attachment(HEIC_START, maintype="application", subtype="octet-stream", filename="photo.bin")
    verdict = scanner.scan(message.as_bytes(), name="mail.eml")
    assert verdict.decision != Action.ALLOW
    assert any(e.cause == "unsupported" and "HEIC" in e.message for e in verdict.errors)


def test_an_avif_picture_is_read_by_ocr():
    import io

    from PIL import Image, ImageDraw

    from scan_fixtures import font

    page = Image.new("L", (1600, 400), 255)
    ImageDraw.Draw(page).text((60, 150), "Address: Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY",
                              font=font(11, 300), fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="AVIF", quality=80, speed=10)
    doc = extract(buffer.getvalue(), "scan.avif")
    assert doc.media_type == "image/avif" and doc.problems == ()
    assert "JE3 8XY" in doc.segments[0].text


def test_ocr_false_in_the_milter_config_file_turns_ocr_off_and_a_reload_turns_it_on_again(
        tmp_path: Path, scanned_letter: bytes):
    from disclosureguard.errors import ConfigError
    from disclosureguard.judge import ScannerConfig
    from disclosureguard.milter.config import build, read_file
    from disclosureguard.pool import ScanPool

    given = ScannerConfig(model=None, limits=Limits(ocr_max_pages=7))
    settings = tmp_path / "milter.yaml"
    settings.write_text("on_block: reject\nocr: false\n")
    off = build(read_file(settings), given, str(settings), str(settings))
    assert not off.ocr and off.scanner.limits.ocr_max_pages == 0
    with ScanPool(off.scanner, workers=1, time_limit=120) as pool:
        verdict = pool.scan(scanned_letter, [OUTSIDE], name="scan.pdf")
    assert [e.cause for e in verdict.errors] == ["no-text-layer"] and verdict.decision != Action.ALLOW
    settings.write_text("ocr: true\n")  # SIGHUP reads the file again over the command line's settings
    assert build(read_file(settings), off.given_scanner or off.scanner).scanner.limits.ocr_max_pages == 7
    settings.write_text("ocr: 'no'\n")
    with pytest.raises(ConfigError, match="true or false"):
        build(read_file(settings), given, str(settings))


@pytest.mark.parametrize("kind", ["jpg", "pdf"])
def test_redact_on_a_colour_scan_paints_the_pixels_keeps_the_colour_and_leaves_no_original_data(
        scanner: Scanner, letter_page, kind):
    import io

    from PIL import Image, ImageOps

    from disclosureguard.redact import redact_analysis

    colour = ImageOps.colorize(letter_page, black=(20, 40, 140), white=(250, 240, 215))  # blue ink, cream paper
    if kind == "jpg":
        data = jpeg_bytes(colour, 85)
    else:
        buffer = io.BytesIO()
        colour.save(buffer, format="PDF", resolution=300)
        data = buffer.getvalue()
    result = redact_analysis(scanner.analyse(data, [FATHER], name=f"scan.{kind}"))
    assert result.verified and {r.entity_type for r in result.removed} >= {"ADDRESS"}
    if kind == "jpg":
        out = Image.open(io.BytesIO(result.data))
    else:
        from disclosureguard.extract.pdf_ocr import render_page
        from disclosureguard.extract.pdf_pdfium import open_document

        with open_document(result.data) as layer:
            out = render_page(layer, 0, 72, grayscale=False)[0]
    red, _, blue = out.convert("RGB").getpixel((5, 5))
    assert red > blue + 20  # still cream paper, not grey
    assert data[len(data) // 2:len(data) // 2 + 64] not in result.data  # none of the original's image data
    again = extract(result.data, f"out.{kind}")
    text = " ".join(s.text for s in again.segments)
    assert "Lily has settled well" in text and "Seaview" not in text and "JE3 8XY" not in text, [
        (p.cause, p.message) for p in again.problems]


def test_pages_read_ahead_keep_their_order_and_count_against_the_page_limit(letter_page):
    data = image_pdf([typed_page(CLEAN), letter_page, typed_page(CLEAN)])
    doc = extract(data, "bundle.pdf", ExtractContext(limits=Limits(ocr_max_pages=2)))
    assert [(s.page, s.ocr) for s in doc.segments] == [(1, True), (2, True)]
    assert "JE3 8XY" in doc.segments[1].text
    assert [p.cause for p in doc.problems] == ["limit", "no-text-layer"]
    assert doc.problems[0].message.startswith("page 3 is not read: more than ocr_max_pages=2")

    from disclosureguard.extract import pdf_ocr
    from disclosureguard.extract.pdf_pdfium import open_document

    ctx = ExtractContext(limits=Limits(ocr_max_pages=2))
    with open_document(data) as layer:
        found, _, read = pdf_ocr.ocr_pdf_page(layer, 0, "bundle.pdf", ctx)
        assert read and list(pdf_ocr._AHEAD[layer]) == [1]  # page 2 is being read while page 1 was
        assert ctx.budget.ocr_pages == 2
        found, _, read = pdf_ocr.ocr_pdf_page(layer, 1, "bundle.pdf", ctx)
        assert read and "JE3 8XY" in found[0].text and not pdf_ocr._AHEAD[layer]  # page 3: over the budget
