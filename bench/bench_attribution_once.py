"""The case matcher runs once per scan: attribution, the addressee reader and the letter's
parties share one ``Attribution`` (issue 18).

Host text nobody here wrote: the longest Court of Appeal judgments of shared/realdocs, each
made into a letter (an address block and a salutation naming a parent of a sample case, one
planted paragraph about the child, a closing). For each it prints how many times the matcher
reads the whole letter during one judge with no --to, and the time of the three readers of a
letter with one shared attribution (ours) beside each making its own (the baseline: how the
addressee reader and the recipient rules worked before), in the same run.

    .venv/bin/python bench/bench_attribution_once.py [--realdocs /work/shared/realdocs] [--letters 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from disclosureguard import Scanner
from disclosureguard.cases import CaseIndex
from disclosureguard.cases.matching import Attribution, Matcher
from disclosureguard.model import Segment

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REALDOCS = Path("/work/shared/realdocs")
PLANTED = "Lily Smith (born 2 March 2014) now lives at 12 Rue de Haut, St Helier, JE2 4AB."


def letter(body: str) -> bytes:
    return "\n\n".join(
        ["Mr Mark Jones\n4 Clos de la Mare\nSt Clement\nJE2 6QN", "Dear Mr Jones,", body, PLANTED,
         "Yours sincerely,", "Priya Shah\nSocial Worker"]
    ).encode()


def best(f: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def whole_reads(scanner: Scanner, segments: Sequence[Segment], document: object) -> int:
    """How many times one judge (no --to) has the matcher read all the segments."""
    reads: list[int] = []
    attribution = Matcher.attribution

    def counted(self: Matcher, segs: Sequence[Segment]) -> Attribution:
        reads.append(len(segs))
        return attribution(self, segs)

    Matcher.attribution = counted  # type: ignore[method-assign]
    try:
        scanner.judge.judge("letter.txt", document, segments, (), (), None)  # type: ignore[arg-type]
    finally:
        Matcher.attribution = attribution  # type: ignore[method-assign]
    return reads.count(len(segments))


def shared(index: CaseIndex, segs: Sequence[Segment]) -> None:
    attribution = index.attribution(segs)
    index.attribute(segs, [], attribution)
    index.addressee(segs, attribution)
    index.letter_parties(segs, attribution)


def each_its_own(index: CaseIndex, segs: Sequence[Segment]) -> None:
    index.attribute(segs, [])
    index.addressee(segs)
    index.letter_parties(segs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdocs", type=Path, default=REALDOCS)
    parser.add_argument("--letters", type=int, default=3, help="how many of the longest judgments")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    judgments = sorted((args.realdocs / "judgments").glob("*.txt"), key=lambda p: -p.stat().st_size)
    if not judgments:
        print(f"no judgments under {args.realdocs}", file=sys.stderr)
        return 2
    scanner = Scanner(cases=str(SAMPLES / "cases"), policy=str(SAMPLES / "policy.yaml"), model=None)
    index = scanner.cases
    assert isinstance(index, CaseIndex)
    print("letter                     segments  whole reads  shared (ours)  each its own (baseline)")
    for path in judgments[: args.letters]:
        result = scanner.analyse(letter(path.read_text(encoding="utf-8")), None, name="letter.txt",
                                 media_type="text/plain")
        segs = result.segments

        ours = best(partial(shared, index, segs), args.runs)
        baseline = best(partial(each_its_own, index, segs), args.runs)
        reads = whole_reads(scanner, segs, result.document)
        print(f"{path.stem:26} {len(segs):8}  {reads:11}  {ours:12.3f}s  {baseline:22.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
