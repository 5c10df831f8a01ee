"""RTF and legacy Word on real text: fidelity, markup, speed, and the blocking rate of the public set.

    .venv/bin/python bench/bench_legacy_formats.py [--judgments /work/shared/realdocs/judgments] [--limit 20]

The Court of Appeal judgments of shared/realdocs (Open Justice Licence; text nobody here
wrote) are converted by LibreOffice Writer (a real RTF writer, not our fixture's) to .rtf
and .doc. For each:

- fidelity: the share of the judgment's words our RTF reader gives back (as a multiset),
  and the words it gives that the judgment does not have (markup would show up here);
- markup: segments holding a backslash-word or a brace, as a PERSON-from-markup check;
- speed of the RTF reader alone (MB/s of RTF and characters/s of text), and of a .doc
  (LibreOffice conversion included);
- the whole scan of each .rtf to an outside address without the model: how many are
  blocked or warned (all are public: any block is a false alarm) and why.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")
MARKUP = re.compile(r"\\[a-z]{2,}\d*|[{}]")


def convert_all(files: list[Path], target: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=1800)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judgments", type=Path, default=Path("/work/shared/realdocs/judgments"))
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args(argv)
    from disclosureguard import Scanner
    from disclosureguard.extract import extract

    sources = sorted(args.judgments.glob("*.txt"))[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        convert_all(sources, "rtf", out)
        print(f"LibreOffice wrote {len(sources)} RTF files in {time.perf_counter() - started:.1f} s")
        recovered = total = extra = markup = 0
        rtf_bytes = text_chars = 0
        reading = 0.0
        for source in sources:
            rtf = (out / f"{source.stem}.rtf").read_bytes()
            t = time.perf_counter()
            doc = extract(rtf, source.name.replace(".txt", ".rtf"))
            reading += time.perf_counter() - t
            assert doc.problems == (), (source.name, doc.problems)
            text = "\n".join(s.text for s in doc.all_segments() if s.kind != "metadata")
            rtf_bytes += len(rtf)
            text_chars += len(text)
            want = Counter(w.casefold() for w in WORD.findall(source.read_text(errors="replace")))
            got = Counter(w.casefold() for w in WORD.findall(text))
            recovered += sum((want & got).values())
            total += sum(want.values())
            extra += sum((got - want).values())
            markup += sum(1 for s in doc.all_segments() if MARKUP.search(s.text))
        print(f"RTF reader: {recovered / total:.4%} of {total} words recovered, {extra} extra words, "
              f"{markup} segments with markup")
        print(f"RTF reader speed: {rtf_bytes / reading / 1e6:.2f} MB/s of RTF, {text_chars / reading:,.0f} chars/s "
              f"of text ({rtf_bytes / 1e6:.1f} MB in {reading:.2f} s)")

        one = sources[0]
        convert_all([one], "doc", out)
        doc_data = (out / f"{one.stem}.doc").read_bytes()
        t = time.perf_counter()
        legacy = extract(doc_data, f"{one.stem}.doc")
        elapsed = time.perf_counter() - t
        chars = sum(len(s.text) for s in legacy.all_segments())
        print(f".doc through LibreOffice: {one.name} ({len(doc_data) / 1e3:.0f} KB) read in {elapsed:.1f} s, "
              f"{chars:,} chars, problems {[p.cause for p in legacy.problems]}")

        scanner = Scanner(cases=str(ROOT / "samples" / "cases"), policy=str(ROOT / "samples" / "policy.yaml"),
                          model=None)
        decisions: Counter[str] = Counter()
        rules: Counter[str] = Counter()
        for source in sources:
            verdict = scanner.scan(out / f"{source.stem}.rtf", ["someone@example.org"])
            decisions[verdict.decision.label] += 1
            rules.update({r.rule for r in verdict.reasons})
        print(f"whole scans (no model) to an outside address: {dict(decisions)}; rules {dict(rules)}")


if __name__ == "__main__":
    main(sys.argv[1:])
