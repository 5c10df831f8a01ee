"""PDF extraction alone on real reports: new (PDFium) against old (pypdf + geometry visitor).

    .venv/bin/python bench/bench_pdf_extraction.py [--pdfs bench/data/ofsted] [--rounds 3]

The extraction part of bench/bench_documents.py on its own (that bench also times whole
scans, vanilla Presidio, spaCy, memory and start-up, which take minutes): one process,
warm, best of ``--rounds``, the same files for both. The rate counts the characters the
new extractor delivers, so both rows are per the same text. Also times a second pass of
the new extractor over pages where something could hide text (a black box on every page).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def with_a_box_on_every_page(data: bytes) -> bytes:
    """The same report with a filled rectangle painted over a line of text on every page, so
    that every page has text to measure character by character (the slow path)."""
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        page.contents_add(pdf.make_stream(b"q 0 g 60 500 300 14 re f Q"), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    from bench_documents import OLD_COMMIT, best_times, old_extractor
    from disclosureguard.extract import extract

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", default=str(ROOT / "bench" / "data" / "ofsted"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=ROOT, help="git repository holding the old extractor")
    args = parser.parse_args(argv)

    blobs = [(f.name, f.read_bytes()) for f in sorted(Path(args.pdfs).glob("*.pdf"))]
    boxed = [(name, with_a_box_on_every_page(data)) for name, data in blobs]
    docs = [extract(data, name) for name, data in blobs]
    chars = sum(len(s.text) for d in docs for s in d.all_segments())
    pages = sum(len({s.page for s in d.segments if s.page}) for d in docs)
    new, new_boxed = "new (PDFium)", "new (PDFium), a black box on every page"
    runs: dict[str, Callable[[], object]] = {
        new: lambda: [extract(data, name) for name, data in blobs],
        new_boxed: lambda: [extract(data, name) for name, data in boxed],
    }
    legacy = old_extractor(args.repo)
    old = f"old (pypdf + geometry visitor, {OLD_COMMIT})"
    if legacy is not None:
        runs[old] = lambda: [legacy(data, name) for name, data in blobs]
    else:
        print(f"(the old extractor could not be loaded from git in {args.repo}: not timed)")
    times = best_times(runs, args.rounds)
    print(f"{len(blobs)} real PDFs ({args.pdfs}): {pages} pages, {chars:,} characters; best of {args.rounds}")
    for name, seconds in times.items():
        print(f"{chars / seconds / 1000:>9,.1f} kchar/s  {seconds:7.2f} s  extraction alone, {name}")
    if legacy is not None:
        print(f"extraction new / old: {times[old] / times[new]:.1f}x (target >= 5x); "
              f"with a box on every page {times[old] / times[new_boxed]:.1f}x")
    return 0


if __name__ == "__main__":
    if importlib.util.find_spec("disclosureguard") is None:
        sys.exit("run with the project's environment: .venv/bin/python bench/bench_pdf_extraction.py")
    sys.exit(main())
