"""A scan imports only what its document needs (issue 19: start-up of a one-letter scan).

Choosing a format reads declarations (pdf_format.py), not parsers: a plain-text
letter scanned from the library or the command line loads neither pypdf nor PDFium, nor Dask
(batch) nor asyncio (the mail hook). Each case runs in a fresh interpreter, since this one has
imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "samples" / "letters" / "letter-to-father.txt"
NOT_FOR_TEXT = ("pypdf", "pypdfium2", "dask", "distributed", "asyncio")

LIBRARY = f"""
import json, sys
from disclosureguard import Scanner
scanner = Scanner(cases={str(ROOT / "samples" / "cases")!r}, policy={str(ROOT / "samples" / "policy.yaml")!r},
                  model=None)
verdict = scanner.scan({str(LETTER)!r})
print(json.dumps([verdict.decision.label, sorted({{m.split(".")[0] for m in sys.modules}})]))
"""

COMMAND = f"""
import json, sys
from disclosureguard.cli.main import main
code = main(["scan", {str(LETTER)!r}, "--cases", {str(ROOT / "samples" / "cases")!r},
             "--policy", {str(ROOT / "samples" / "policy.yaml")!r}, "--no-model", "--format", "json"])
print(json.dumps([code, sorted({{m.split(".")[0] for m in sys.modules}})]))
"""

PDF = f"""
import json, sys
from pathlib import Path
from disclosureguard.extract import extract
doc = extract(Path({str(ROOT / "samples" / "documents" / "report-with-black-box.pdf")!r}).read_bytes(), "report.pdf")
print(json.dumps([[doc.media_type, bool(doc.segments), [p.cause for p in doc.problems]],
                  sorted({{m.split(".")[0] for m in sys.modules}})]))
"""


def _run(code: str) -> list:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("code", "blocked"), [(LIBRARY, "block"), (COMMAND, 30)], ids=["library", "command line"])
def test_a_text_letter_is_scanned_without_loading_the_pdf_readers_or_dask(code: str, blocked: object) -> None:
    outcome, modules = _run(code)
    assert outcome == blocked  # the letter was scanned, and read as it always is
    assert [m for m in NOT_FOR_TEXT if m in modules] == []


def test_a_pdf_still_loads_its_reader_when_one_is_read() -> None:
    read, modules = _run(PDF)
    assert read == ["application/pdf", True, []]
    assert "pypdf" in modules and "pypdfium2" in modules
