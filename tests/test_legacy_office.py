"""Legacy Word and PowerPoint through LibreOffice: read like their OOXML twins, bounded, honest on failure."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import olefile
import pytest

from disclosureguard.extract import ExtractContext, extract
from disclosureguard.extract.formats import sniff_format
from disclosureguard.limits import Limits
from legacy_fixtures import WITHHELD_ADDRESS, convert_with_libreoffice, docx_bytes, legacy_letter, pptx_bytes


@pytest.fixture(scope="module")
def doc() -> bytes:
    return legacy_letter("doc", "father")


def _live_conversions(folder: Path) -> list[str]:
    """Processes still running a conversion whose files are under ``folder`` (this test's own)."""
    marker = str(folder).encode()
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if b"dg-lo-" in cmdline and marker in cmdline:
                out.append(proc.name)
    return out


def test_doc_is_sniffed_by_its_word_document_stream(doc: bytes):
    assert sniff_format(doc, "letter.bin").name == "doc"
    with olefile.OleFileIO(io.BytesIO(doc)) as ole:
        assert ole.exists("WordDocument")


def test_doc_reads_like_the_docx_it_was_made_from(doc: bytes):
    result = extract(doc, "letter.doc")
    assert result.problems == () and result.media_type == "application/msword"
    body = [s for s in result.segments if s.kind == "body"]
    assert body[12].location == "body, paragraph 13" and WITHHELD_ADDRESS in body[12].text


def test_ppt_slide_text_and_notes_are_read():
    ppt = convert_with_libreoffice(pptx_bytes(["Contact plan"], notes=f"Sarah lives at {WITHHELD_ADDRESS}"),
                                   ".pptx", "ppt")
    assert sniff_format(ppt, "deck.bin").name == "ppt"
    result = extract(ppt, "deck.ppt")
    assert result.problems == ()
    texts = [s.text for s in result.all_segments()]
    assert "Contact plan" in texts and any(WITHHELD_ADDRESS in t for t in texts)


def test_conversion_past_the_time_limit_is_a_timeout_and_leaves_no_process(
    doc: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Conversions of other tests may run at the same time on the other worker: count only this one's,
    # which works in a temporary folder under tmp_path.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = extract(doc, "letter.doc", ExtractContext(limits=Limits(time_limit=0.05)))
    assert [p.cause for p in result.problems] == ["timeout"]
    assert "LibreOffice did not finish" in result.problems[0].message
    assert _live_conversions(tmp_path) == []


def test_a_word_file_libreoffice_cannot_read_is_a_problem(doc: bytes):
    with olefile.OleFileIO(io.BytesIO(doc)) as ole:
        size = ole.get_size("WordDocument")
    damaged = bytearray(doc)
    start = bytes(doc).find(b"\xec\xa5")  # the FIB's wIdent: the start of the WordDocument stream
    damaged[start + 16 : start + min(size, 4096)] = b"\xff" * (min(size, 4096) - 16)
    result = extract(bytes(damaged), "letter.doc")
    assert result.problems and result.problems[0].cause in ("corrupt", "timeout")
    assert result.segments == () or not any(WITHHELD_ADDRESS in s.text for s in result.segments)


def test_an_encrypted_word_file_is_an_encrypted_problem(doc: bytes):
    data = bytearray(doc)
    start = bytes(doc).find(b"\xec\xa5")
    data[start + 0x0B] |= 0x01  # fEncrypted
    result = extract(bytes(data), "letter.doc")
    assert [p.cause for p in result.problems] == ["encrypted"]


def test_conversion_runs_under_a_workers_lowered_memory_limit(doc: bytes, tmp_path: Path):
    """The pool lowers a worker's address space; the converter must fit under it, not fail to start."""
    source = tmp_path / "letter.doc"
    source.write_bytes(doc)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from disclosureguard.extract import extract\n"
        f"d = extract(open({str(source)!r}, 'rb').read(), 'letter.doc')\n"
        "print(len(d.segments), [p.cause for p in d.problems])\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    count, problems = p.stdout.split(" ", 1)
    assert int(count) > 10 and problems.strip() == "[]"


def test_docx_made_for_the_fixture_is_not_a_doc():
    assert sniff_format(docx_bytes(["x"]), "x.doc").name == "docx"
