"""The constructs of issue 13 that a reader sees really show the text (so the tests that
block them test something real): Word files rendered by LibreOffice, HTML bodies by
headless Chromium, each to PDF and read back with poppler's pdftotext.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from construct_fixtures import CHILD, DOCX_CONSTRUCTS, DOCX_RENDERED, HTML_CONSTRUCTS, HTML_RENDERED
from disclosureguard.extract import extract
from disclosureguard.extract.html import read_html

# One xdist worker runs this file: each rendering fixture starts LibreOffice or Chromium for
# every construct at once, which a second worker would otherwise start again.
pytestmark = pytest.mark.xdist_group("rendered")


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed (scripts/system-deps installs it)")
        pytest.skip(f"{program} is not installed here")
    return found


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run([_need("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8", "replace").split())


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def libreoffice_rendering() -> dict[str, str]:
    """Each rendered Word construct holding the child's details, as LibreOffice prints it."""
    program = shutil.which("soffice") or _need("libreoffice")
    with tempfile.TemporaryDirectory(prefix="lo-render-") as tmp:
        folder = Path(tmp)
        files = {}
        for number, construct in enumerate(DOCX_RENDERED):
            path = folder / f"construct{number}.docx"
            path.write_bytes(DOCX_CONSTRUCTS[construct](CHILD))
            files[construct] = path
        subprocess.run(
            [program, "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
             "--convert-to", "pdf", "--outdir", str(folder / "out"), *map(str, files.values())],
            check=True, capture_output=True, timeout=300,
        )
        shown = {}
        for construct, path in files.items():
            pdf = folder / "out" / (path.stem + ".pdf")
            text = _pdf_text(pdf)
            if construct == "digits as w:sym":  # symbol-font glyphs carry no Unicode: read the page
                text = _ocr(_page_image(pdf))
            shown[construct] = text
        return shown


def _page_image(pdf: Path) -> Path:
    """The first page LibreOffice printed, as pixels (poppler draws it: a second LibreOffice
    start only to export the same page as PNG cost seconds)."""
    stem = pdf.with_suffix("")
    subprocess.run([_need("pdftoppm"), "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True, timeout=60)
    return stem.with_suffix(".png")


def _ocr(png: Path) -> str:
    out = subprocess.run([_need("tesseract"), str(png), "-"], check=True, capture_output=True, timeout=120)
    return " ".join(out.stdout.decode("utf-8", "replace").split())


@pytest.mark.parametrize("construct", DOCX_RENDERED)
def test_libreoffice_shows_the_text_of_the_word_construct_and_the_extractor_reads_it(
    construct: str, libreoffice_rendering: dict[str, str]
):
    shown = libreoffice_rendering[construct]
    # OCR reads "born" as "bom" now and then: the number and the name are what count
    assert all(_squeezed(part) in _squeezed(shown) for part in ("Lily Smith", "02/03/2014", "943 476 5919"))
    doc = extract(DOCX_CONSTRUCTS[construct](CHILD), "notes.docx")
    read = " ".join(s.text for _, part in doc.walk() for s in part.segments)
    assert _squeezed(CHILD) in _squeezed(read)


@pytest.fixture(scope="module")
def chromium_rendering() -> dict[str, str]:
    """Each rendered HTML construct holding the child's details, as Chromium prints it: one
    headless browser for the module (starting one takes seconds), a fresh page per construct."""
    from playwright.sync_api import sync_playwright

    program = shutil.which("chromium") or _need("chromium-browser")
    shown = {}
    with tempfile.TemporaryDirectory(prefix="chromium-render-") as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        browser = pw.chromium.launch(executable_path=program, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            for number, construct in enumerate(HTML_RENDERED):
                source = folder / f"construct{number}.html"
                source.write_text(HTML_CONSTRUCTS[construct](CHILD), encoding="utf-8")
                pdf = folder / f"construct{number}.pdf"
                page = browser.new_page()  # a page of its own: nothing one construct sets reaches the next
                try:
                    page.goto(source.as_uri())
                    page.pdf(path=str(pdf))  # print media, no header or footer, as --print-to-pdf
                finally:
                    page.close()
                shown[construct] = _pdf_text(pdf)
        finally:
            browser.close()
    return shown


@pytest.mark.parametrize("construct", HTML_RENDERED)
def test_chromium_shows_the_text_of_the_html_construct_and_the_reader_reads_it(
    construct: str, chromium_rendering: dict[str, str]
):
    assert _squeezed(CHILD) in _squeezed(chromium_rendering[construct])
    found = read_html(HTML_CONSTRUCTS[construct](CHILD))
    assert _squeezed(CHILD) in _squeezed(found.visible + found.hidden_text())
