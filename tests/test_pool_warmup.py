"""A new scanning worker reads a warm-up message before it says it is ready (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard.extract import extract
from disclosureguard.judge import ScannerConfig
from disclosureguard.pool import ScanPool
from disclosureguard.pool_warmup import warm_up_message

pytestmark = pytest.mark.xdist_group("pool")


def test_the_warm_up_message_goes_through_the_word_and_pdf_readers_cleanly():
    # A warm-up whose attachments failed to read would warm nothing of their readers.
    document = extract(warm_up_message(), "warm-up", media_type="message/rfc822")
    assert document.all_problems() == ()
    read = [(child.media_type, any("Review notes" in s.text for s in child.segments)) for child in document.children]
    assert read == [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
        ("application/pdf", True),
    ]


def test_a_worker_has_its_pdf_reader_loaded_before_its_first_document(smith_cases: Path, samples: Path):
    config = ScannerConfig(cases=(str(smith_cases),), policy=str(samples / "policy.yaml"), model=None)
    with ScanPool(config, workers=1, time_limit=60) as pool:
        (pid,) = pool.worker_pids()
        libraries = Path(f"/proc/{pid}/maps").read_text()
        assert "pdfium" in libraries  # PDFium's shared library, mapped by the warm-up's PDF
        verdict = pool.scan(b"Dear Mr Jones,\n\nLily Smith, NHS number 943 476 5919.\n", ["x@example.com"],
                            name="letter.txt")
        assert verdict.decision.label == "block"
