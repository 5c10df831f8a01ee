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
NOT_FOR_TEXT = ("pypdf", "pypdfium2", "dask", "distributed", "asyncio", "presidio_analyzer")

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


MODEL_LOAD = """
import json, sys
from disclosureguard.detect import ner
nlp = ner.load_pipeline(sys.argv[1])
print(json.dumps([nlp.pipe_names, sorted({m.split(".")[0] for m in sys.modules})]))
"""


def _load(model: str, env: dict[str, str] | None = None) -> list:
    out = subprocess.run([sys.executable, "-c", MODEL_LOAD, model], capture_output=True, text=True, timeout=300,
                         check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_loading_the_model_does_not_import_presidio_for_its_spacy_plugin() -> None:
    # spaCy imports every package that offers a component by entry point when it builds a
    # pipeline; Presidio offers one (never used here), and importing it cost 0.9 s a start.
    from disclosureguard.spacy_model import DEFAULT_MODEL

    pipes, modules = _load(DEFAULT_MODEL)
    assert pipes == ["ner"]
    assert "presidio_analyzer" not in modules


def test_a_pipeline_with_a_component_from_another_package_still_loads(tmp_path: Path) -> None:
    # A plugin package, found only through its entry point, and a pipeline that names it.
    (tmp_path / "dg_plugin_probe.py").write_text(
        "from spacy.language import Language\n\n"
        "@Language.component('dg_plugin_probe')\n"
        "def probe(doc):\n    return doc\n"
    )
    info = tmp_path / "dg_plugin_probe-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dg-plugin-probe\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[spacy_factories]\ndg_plugin_probe = dg_plugin_probe:probe\n")
    build = (
        "import sys, spacy\nsys.path.insert(0, sys.argv[2])\nimport dg_plugin_probe\n"
        "nlp = spacy.blank('en')\nner = nlp.add_pipe('ner')\nner.add_label('PERSON')\n"
        "nlp.add_pipe('dg_plugin_probe')\nnlp.initialize()\nnlp.to_disk(sys.argv[1])\n"
    )
    model = tmp_path / "pipeline"
    subprocess.run([sys.executable, "-c", build, str(model), str(tmp_path)], check=True, timeout=300,
                   capture_output=True)
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    pipes, modules = _load(str(model), env)
    assert pipes == ["ner"]  # loaded (the probe itself is not kept: only NER runs)
    assert "dg_plugin_probe" in modules  # through its entry point, on the second try
