"""Speed on real documents: whole scans, vanilla Presidio, spaCy alone, PDF extraction old and new, memory.

    .venv/bin/python bench/bench_documents.py [--pdfs bench/data/ofsted] [--rounds 2] [--letters 40]
                                              [--bundle-pages 500] [--cold-runs 5] [--skip-old] [--repo .]

In one process, warm (one untimed pass first), rounds interleaved and each system's best kept:

- on the real PDFs (bench/data/ofsted: Ofsted reports, Open Government Licence): our whole
  ``Scanner.scan``; pypdf ``extract_text`` + vanilla Presidio ``analyze`` (detect/vanilla.py);
  spaCy tok2vec+ner alone on the same text; PDF extraction alone, new (PDFium) and old (the
  pypdf extractor with its geometry visitor, as at commit 07cee20, loaded from git) and pypdf's
  plain ``extract_text``;
- on ~3 KB letters (bench_detect.letters): our whole scan, vanilla Presidio, spaCy alone.

Rates are in characters of text per second, counting the characters our extractor delivers for
every system, so all divide the same number. Then, each in a fresh process: peak memory of one
scan of a ``--bundle-pages`` page PDF, and the cold ``disclosureguard scan`` of one letter
(median of ``--cold-runs``) beside the model load alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path

from disclosureguard.spacy_model import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
OLD_COMMIT = "07cee20"  # the last commit with the pypdf page extractor
RECIPIENT = ["someone@example.net"]


def best_times(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    for run in runs.values():
        run()
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            t = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def old_extractor(repo: Path = ROOT) -> Callable[[bytes, str], object] | None:
    """The pypdf extractor of OLD_COMMIT, loaded from ``repo``'s git as a module beside the new one."""
    sources = {}
    for module in ("pdf_geometry", "pdf"):
        done = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:src/disclosureguard/extract/{module}.py"],
            cwd=repo,
            capture_output=True,
        )
        if done.returncode != 0:
            return None
        sources[module] = done.stdout.decode()
    import disclosureguard.extract as package

    for module, source in sources.items():
        name = f"disclosureguard.extract.legacy_{module}"
        source = source.replace("from .pdf_geometry import", "from .legacy_pdf_geometry import")
        mod = types.ModuleType(name)
        mod.__package__ = package.__name__
        sys.modules[name] = mod
        exec(compile(source, f"<{OLD_COMMIT}:{module}.py>", "exec"), mod.__dict__)
    from disclosureguard.extract.context import ExtractContext

    legacy = sys.modules["disclosureguard.extract.legacy_pdf"]
    return lambda data, name: legacy.extract_pdf(data, name, ExtractContext())  # type: ignore[attr-defined]


def pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def bundle(pages: int) -> bytes:
    """A ``pages`` page PDF of letter text (about 2,000 characters a page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_detect import letters

    texts = letters(pages)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for text in texts:
        c.setFont("Helvetica", 9)
        y = 800.0
        words = text.split()
        line: list[str] = []
        for word in words:
            line.append(word)
            if len(" ".join(line)) > 100:
                c.drawString(40, y, " ".join(line))
                line = []
                y -= 11
                if y < 40:
                    break
        c.showPage()
    c.save()
    return out.getvalue()


_PEAK = """
import sys, time
from disclosureguard import Scanner

def high_water_mb():  # VmHWM: unlike ru_maxrss, not inherited from the parent across exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1

scanner = Scanner(cases="samples/cases", policy="samples/policy.yaml")
base = high_water_mb()
data = open(sys.argv[1], "rb").read()
t = time.perf_counter()
verdict = scanner.scan(data, ["someone@example.net"], name="bundle.pdf")
took = time.perf_counter() - t
print(base, high_water_mb(), round(took, 1), verdict.decision.label)
"""


def peak_memory(pages: int) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(bundle(pages))
        f.flush()
        done = subprocess.run([sys.executable, "-c", _PEAK, f.name], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return f"failed (exit {done.returncode})"
    base, peak, took, label = done.stdout.split()
    return f"peak {peak} MB (after model load {base} MB), {took} s, decision {label}"


def cold_start(runs: int) -> tuple[float, float]:
    exe = Path(sys.executable).parent / "disclosureguard"
    letter = ROOT / "samples" / "letters" / "letter-to-father.txt"
    scans, loads = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "scan", str(letter), "--to", RECIPIENT[0]], cwd=ROOT, capture_output=True)
        scans.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", f"import spacy; spacy.load({DEFAULT_MODEL!r})"], cwd=ROOT, capture_output=True
        )
        loads.append(time.perf_counter() - t)
    return statistics.median(scans), statistics.median(loads)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1000:>9,.1f} kchar/s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", default=str(ROOT / "bench" / "data" / "ofsted"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--letters", type=int, default=40)
    parser.add_argument("--bundle-pages", type=int, default=500)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--skip-old", action="store_true", help="do not time the old extractor (slow)")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--repo", type=Path, default=ROOT, help="git repository holding the old extractor")
    args = parser.parse_args(argv)

    import spacy

    from bench_detect import letters
    from disclosureguard import Scanner
    from disclosureguard.detect.vanilla import vanilla_engine
    from disclosureguard.extract import extract

    print(f"{os.cpu_count()} cores; load average at the start {_load()} (other work slows every system alike)")
    files = sorted(Path(args.pdfs).glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    ours = [extract(data, name) for name, data in blobs]
    chars = sum(len(s.text) for d in ours for s in d.all_segments())
    pages = sum(len({s.page for s in d.segments if s.page}) for d in ours)
    texts = [pypdf_text(data) for _, data in blobs]

    scanner = Scanner(cases=str(ROOT / "samples" / "cases"), policy=str(ROOT / "samples" / "policy.yaml"))
    engine = vanilla_engine(args.model)
    rest = [p for p in spacy.load(args.model).pipe_names if p not in ("tok2vec", "ner")]
    nlp = spacy.load(args.model, exclude=rest)
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)

    whole = "Scanner.scan (extract + detect + decide)"
    vanilla = "pypdf extract_text + vanilla Presidio analyze"
    spacy_name = f"spaCy {'+'.join(nlp.pipe_names)} alone on pypdf's text"
    new = "extraction alone, new (PDFium)"
    runs: dict[str, Callable[[], object]] = {
        whole: lambda: [scanner.scan(data, RECIPIENT, name=name) for name, data in blobs],
        vanilla: lambda: [engine.analyze(text=pypdf_text(data), language="en") for _, data in blobs],
        spacy_name: lambda: [nlp(t) for t in texts],
        new: lambda: [extract(data, name) for name, data in blobs],
        "extraction alone, pypdf extract_text (no geometry)": lambda: [pypdf_text(data) for _, data in blobs],
    }
    legacy = None if args.skip_old else old_extractor(args.repo)
    old = f"extraction alone, old (pypdf + geometry visitor, {OLD_COMMIT})"
    if legacy is not None:
        runs[old] = lambda: [legacy(data, name) for name, data in blobs]
    elif not args.skip_old:
        print(f"(the old extractor could not be loaded from git in {args.repo}: not timed)")
    pdf_times = best_times(runs, args.rounds)
    print(f"{len(blobs)} real PDFs ({args.pdfs}): {pages} pages, {chars:,} characters extracted; best of {args.rounds}")
    for name, seconds in pdf_times.items():
        print(f"{_rate(chars, seconds)}  {seconds:7.2f} s  {name}")
    print(f"whole scan / pypdf + vanilla Presidio: {pdf_times[vanilla] / pdf_times[whole]:.2f}x (target >= 2.5x)")
    if legacy is not None:
        print(f"extraction new / old: {pdf_times[old] / pdf_times[new]:.1f}x (target >= 5x)")

    docs = letters(args.letters)
    letter_chars = sum(len(d) for d in docs)
    encoded = [d.encode() for d in docs]
    letter_runs: dict[str, Callable[[], object]] = {
        whole: lambda: [scanner.scan(b, RECIPIENT, name="letter.txt") for b in encoded],
        "vanilla Presidio analyze": lambda: [engine.analyze(text=d, language="en") for d in docs],
        "spaCy tok2vec+ner alone": lambda: [nlp(d) for d in docs],
    }
    letter_times = best_times(letter_runs, max(args.rounds, 3))
    print(f"{len(docs)} letters, {letter_chars:,} characters ({letter_chars // len(docs)} per letter)")
    for name, seconds in letter_times.items():
        print(f"{_rate(letter_chars, seconds)}  {seconds:7.2f} s  {name}")
    w, v, s = letter_times[whole], letter_times["vanilla Presidio analyze"], letter_times["spaCy tok2vec+ner alone"]
    print(f"letters: whole scan / vanilla Presidio {v / w:.2f}x (target >= 2x); / spaCy alone {s / w:.2f} (>= 0.9)")

    if args.bundle_pages:
        print(f"one scan of a {args.bundle_pages}-page PDF, fresh process: {peak_memory(args.bundle_pages)} "
              "(target peak <= 600 MB)")
    if args.cold_runs:
        scan, load = cold_start(args.cold_runs)
        print(f"cold `disclosureguard scan` of one letter: median {scan:.2f} s; "
              f"python + spacy.load alone: median {load:.2f} s ({args.cold_runs} runs)")
    print(f"load average at the end {_load()}")
    return 0


if __name__ == "__main__":
    if importlib.util.find_spec("disclosureguard") is None:
        sys.exit("run with the project's environment: .venv/bin/python bench/bench_documents.py")
    sys.exit(main())
