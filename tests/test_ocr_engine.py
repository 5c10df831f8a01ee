"""The OCR engine process (extract/ocr_engine.py, ocr_reader.py): Tesseract's library loaded
once and fed page after page, with the real Tesseract; the kernel's CPU limit per page, and an
engine whose worker is gone ends."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from disclosureguard.extract import ocr_reader
from scan_fixtures import font

pytestmark = pytest.mark.xdist_group("ocr")


def line_of_text(text: str = "Address: Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY") -> Image.Image:
    picture = Image.new("L", (1800, 160), 255)
    ImageDraw.Draw(picture).text((40, 50), text, font=font(11, 300), fill=0)
    return picture


def test_the_engine_reads_what_the_tesseract_command_reads():
    picture = line_of_text()
    engine = ocr_reader.Engine.start(20.0)
    assert engine is not None
    try:
        first = engine.read(picture, 20.0)
        assert engine.read(picture, 20.0) == first  # the same engine, page after page
    finally:
        engine.close()
    assert first == ocr_reader._command_tsv(picture, 20.0)
    assert "Seaview" in first and first.startswith("level\tpage_num\t")


def test_each_page_moves_only_the_soft_cpu_limit_so_pages_never_add_up_to_a_kill():
    engine = ocr_reader.Engine.start(20.0)
    assert engine is not None
    try:
        hard = resource.prlimit(engine.pid, resource.RLIMIT_CPU)[1]
        for _ in range(3):
            engine.read(line_of_text(), 2.0)
            soft, now_hard = resource.prlimit(engine.pid, resource.RLIMIT_CPU)
            assert now_hard == hard  # a raised hard limit needs a capability the scanner may lack
            assert engine.cpu_seconds() < soft <= engine.cpu_seconds() + 3
        assert engine.alive()
    finally:
        engine.close()


def test_a_page_over_its_time_limit_ends_its_engine_and_the_next_page_gets_a_new_one():
    picture = line_of_text()
    with pytest.raises(TimeoutError):
        ocr_reader.read_tsv(_busy_page(), 0.01)
    assert "Seaview" in ocr_reader.read_tsv(picture, 20.0)


def _busy_page() -> Image.Image:
    page = Image.new("L", (2480, 3500), 255)
    draw = ImageDraw.Draw(page)
    face = font(10, 300)
    for row in range(60):
        draw.text((100, 60 + row * 55), "The family centre is open from Monday to Friday " * 2, font=face, fill=0)
    return page


def test_an_engine_whose_worker_was_killed_ends(tmp_path: Path):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from disclosureguard.extract import ocr_reader
        from test_ocr_engine import line_of_text
        ocr_reader.read_tsv(line_of_text(), 20.0)
        (engine,) = ocr_reader._engines[__import__("os").getpid()]
        print(engine().pid, flush=True)
        import time
        time.sleep(60)
    """)
    worker = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    engine_pid = int(worker.stdout.readline())
    assert _running(engine_pid)
    ended = _exit_of(engine_pid)
    worker.kill()  # as the pool kills a worker at its time limit
    worker.wait()
    assert ended()  # the engine reads the end of its input and exits


def _exit_of(pid: int):
    """A check that waits until process ``pid`` (not a child of this one) has ended. The wait is
    bounded only so that a failure fails rather than hangs: it checks no speed."""
    import select

    fd = os.pidfd_open(pid)

    def ended() -> bool:
        try:
            return bool(select.select([fd], [], [], 300)[0]) or not _running(pid)
        finally:
            os.close(fd)

    return ended


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; its parent (the killed worker) is gone


def test_without_tesseracts_library_each_page_goes_to_the_command(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ocr_reader, "_ENGINE", Path(os.devnull))  # an engine that exits at once
    monkeypatch.setattr(ocr_reader, "_local", type(ocr_reader._local)())
    monkeypatch.setattr(ocr_reader, "_no_engine", set())
    assert "Seaview" in ocr_reader.read_tsv(line_of_text(), 20.0)
    assert os.getpid() in ocr_reader._no_engine


def test_a_scanned_page_that_is_one_picture_is_read_from_the_picture_itself():
    import io

    import pikepdf

    from disclosureguard.extract.pdf_ocr import _one_picture, page_picture, render_page
    from disclosureguard.extract.pdf_pdfium import open_document
    from scan_fixtures import image_pdf

    page = line_of_text().resize((2480, 3508)).convert("1")  # an A4 page at 300 dpi, stored losslessly
    data = image_pdf([page])
    with open_document(data) as layer:
        picture, scale, height = page_picture(layer, 0)
        assert picture.convert("1").tobytes() == page.tobytes()  # the scanner's own pixels, not resampled
        assert (round(scale * 72), round(height)) == (300, 842)
    with open_document(image_pdf([page.resize((1654, 2339))], dpi=200)) as layer:
        assert _one_picture(layer, 0) is None  # another resolution: rendered at 300 dpi
        assert page_picture(layer, 0)[0].size == render_page(layer, 0)[0].size
    turned = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(turned)
    with open_document(turned.getvalue()) as layer:
        assert _one_picture(layer, 0) is None  # a turned page is rendered the way it is shown


def test_an_engine_ends_with_the_thread_that_kept_it():
    import threading

    started: list[int] = []

    def read() -> None:
        ocr_reader.read_tsv(line_of_text(), 20.0)
        started.append(ocr_reader._local.engine.pid)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    # its thread-local went with the thread, and the engine with it: ended and waited for
    assert not _running(started[0])
