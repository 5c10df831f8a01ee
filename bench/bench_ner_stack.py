"""spaCy's NER speed on this machine with the pinned stack, beside another stack in the same run.

    .venv/bin/python bench/bench_ner_stack.py [--other PYTHON ...] [--letters 20] [--rounds 5]

The detector's cost is mostly spaCy's NER, and its speed depends on the stack under the model
more than on the model: which BLIS kernel thinc's ``blis`` picks for this CPU (BLIS prints
its choice when ``BLIS_ARCH_DEBUG=1``; ``generic`` is its slow reference code) and how the
installed spaCy was compiled. This prints, for this environment and for each ``--other``
interpreter (another venv with the same model, e.g. spaCy 3.8.18, see docs/speed.md):
versions, the BLIS sub-configuration, a 1500x288x288 GEMM in GFLOP/s through ``blis.py``,
and the NER component alone (the detector's pipeline) on the bench letters and on the text of
the real Ofsted reports of bench/data/ofsted, in characters per second (best of
``--rounds``), and whether every stack found the same entities.

Each stack runs in its own child process, one after the other, on the same texts (written
to a temporary file), so each stack's figures are warm and neither shares a core.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from disclosureguard.spacy_model import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# Runs in each interpreter: only spaCy, numpy, blis and the model; no disclosureguard.
CHILD = r"""
import importlib.metadata as md, json, sys, time
import numpy, spacy
import blis.py

texts_path, model, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sets = json.load(open(texts_path))
out = {"versions": {p: md.version(p) for p in ("spacy", "thinc", "blis", "numpy")}}
a = numpy.random.default_rng(0).random((1500, 288), dtype="float32")
b = numpy.random.default_rng(1).random((288, 288), dtype="float32")
blis.py.gemm(a, b)
t = time.perf_counter()
for _ in range(20):
    blis.py.gemm(a, b)
out["gemm_gflops"] = 20 * 2 * 1500 * 288 * 288 / (time.perf_counter() - t) / 1e9
nlp = spacy.load(model)
for pipe in list(nlp.pipe_names):
    if pipe != "ner":
        nlp.remove_pipe(pipe)
out["sets"] = {}
for name, texts in sets.items():
    ents = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        best = min(best, time.perf_counter() - t)
    out["sets"][name] = {"chars_per_s": sum(map(len, texts)) / best, "entities": ents}
print(json.dumps(out))
"""


def blis_choice(python: str) -> str:
    """The BLIS sub-configuration ``python``'s blis picks on this CPU."""
    proc = subprocess.run(
        [python, "-c", "import numpy, blis.py; a = numpy.ones((8, 8), dtype='float32'); blis.py.gemm(a, a)"],
        capture_output=True, text=True, env={"BLIS_ARCH_DEBUG": "1", "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    for line in proc.stderr.splitlines() + proc.stdout.splitlines():
        if "sub-configuration" in line:
            return line.split("'")[1] if "'" in line else line
    return "not printed"


def measure(python: str, texts_path: Path, rounds: int) -> dict:
    proc = subprocess.run([python, "-c", CHILD, str(texts_path), DEFAULT_MODEL, str(rounds)],
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{python}: the measurement failed (exit {proc.returncode})")
    return json.loads(proc.stdout.splitlines()[-1])


def real_report_texts() -> list[str]:
    from disclosureguard.extract import extract

    files = sorted((ROOT / "bench" / "data" / "ofsted").glob("*.pdf"))
    return [s.text for f in files for s in extract(f.read_bytes(), f.name).all_segments() if s.text.strip()]


def main() -> int:
    from bench_detect import letters

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--other", action="append", default=[], help="another venv's python with the same model")
    ap.add_argument("--letters", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sets = {f"{args.letters} letters": letters(args.letters), "Ofsted reports": real_report_texts()}
    pythons = [sys.executable, *args.other]
    with tempfile.TemporaryDirectory() as tmp:
        texts_path = Path(tmp) / "texts.json"
        texts_path.write_text(json.dumps(sets))
        results = [(p, blis_choice(p), measure(p, texts_path, args.rounds)) for p in pythons]
    print(f"model {DEFAULT_MODEL}, NER component alone; "
          + ", ".join(f"{name}: {sum(map(len, t)):,} characters" for name, t in sets.items()))
    header = f"{'stack':34} {'BLIS kernel':12} {'GEMM GFLOP/s':>12}"
    header += "".join(f" {name + ' kchar/s':>22}" for name in sets)
    print(header)
    for python, kernel, r in results:
        v = r["versions"]
        stack = f"spaCy {v['spacy']} thinc {v['thinc']} blis {v['blis']}"
        row = f"{stack:34} {kernel:12} {r['gemm_gflops']:12.1f}"
        row += "".join(f" {r['sets'][name]['chars_per_s'] / 1000:22.1f}" for name in sets)
        print(row + ("   (this environment)" if python == sys.executable else ""))
    if len(results) > 1:
        base = results[0][2]["sets"]
        for python, _, r in results[1:]:
            for name in sets:
                same = r["sets"][name]["entities"] == base[name]["entities"]
                ratio = base[name]["chars_per_s"] / r["sets"][name]["chars_per_s"]
                print(f"{name}: this environment {ratio:.2f}x {python}; entities "
                      + ("the same" if same else "DIFFERENT"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
