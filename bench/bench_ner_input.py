"""What the lower-case blanking of the NER input saves, and that it finds the same entities.

    .venv/bin/python bench/bench_ner_input.py [FOLDER ...]

On the real Ofsted reports of bench/data/ofsted, the letters of bench_detect and any further
folders of real documents (tests/realdocs/judgments, ../shared/realdocs/...), spaCy's NER runs
over the extracted text twice in one process: with every blanking of detect/ner.py, and
without the lower-case-run blanking. It prints the share of characters blanked, the NER CPU
time of each, and the entities the detector reads (PERSON, and the labels it may take
as a name by its shape) lost and gained.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from disclosureguard.spacy_model import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SUFFIXES = (".pdf", ".docx", ".txt", ".html", ".rtf")


def _texts(folder: Path) -> list[str]:
    from disclosureguard.extract import extract

    files = sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix in SUFFIXES)
    return [s.text for f in files for s in extract(f.read_bytes(), f.name).all_segments()]


def _no_lower_runs(text: str) -> Iterator[tuple[int, int]]:
    return iter(())


def main(argv: Sequence[str]) -> int:
    from bench_detect import letters
    from disclosureguard.detect import name_shapes, ner

    nlp = ner.load_pipeline(DEFAULT_MODEL)
    labels = frozenset({"PERSON"}) | name_shapes.RELABEL  # the labels the detector reads
    sets = {"bench/data/ofsted": _texts(ROOT / "bench" / "data" / "ofsted"), "40 letters": letters(40)}
    sets.update({folder: _texts(Path(folder)) for folder in argv})
    with_runs = ner._lower_case_runs
    for name, texts in sets.items():
        chars = sum(len(t) for t in texts)
        blanked = sum(hi - lo for t in texts for lo, hi in with_runs(t))
        started = time.process_time()
        new = set(ner.entities(nlp, texts, labels))
        new_cpu = time.process_time() - started
        ner._lower_case_runs = _no_lower_runs  # type: ignore[assignment]
        try:
            started = time.process_time()
            old = set(ner.entities(nlp, texts, labels))
            old_cpu = time.process_time() - started
        finally:
            ner._lower_case_runs = with_runs  # type: ignore[assignment]
        person_old = {e for e in old if e.label == "PERSON"}
        person_new = {e for e in new if e.label == "PERSON"}
        print(f"{name}: {chars:,} characters, {blanked / chars:.1%} in blanked lower-case runs; "
              f"NER CPU {old_cpu:.1f} s without, {new_cpu:.1f} s with ({old_cpu / new_cpu:.2f}x); "
              f"entities lost {len(old - new)}, gained {len(new - old)} of {len(old)}; "
              f"PERSON lost {len(person_old - person_new)}, gained {len(person_new - person_old)} of {len(person_old)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
