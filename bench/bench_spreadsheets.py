"""Spreadsheets, slides and OpenDocument: which library reads workbooks, and fidelity on real text.

    .venv/bin/python bench/bench_spreadsheets.py [--rows 20000] [--judgments /work/shared/realdocs/judgments]
                                                 [--limit 10]

1. Speed of reading a workbook of ``--rows`` typed rows (name, date of birth as a date, NHS
   number as a number with the format ``000 000 0000``, address, notes) three ways: our
   extractor (openpyxl, formats, comments and hidden state), openpyxl's read-only mode
   (values only), and python-calamine (values only). Whether each shows the NHS number and
   the date as a reader sees them is printed beside its speed.
2. Fidelity on text nobody here wrote: Court of Appeal judgments (shared/realdocs, Open
   Justice Licence) converted by LibreOffice to .odt (Writer) and, one paragraph a row, to
   .xlsx and .ods (Calc). The share of each judgment's words our readers give back (as a
   multiset), the words they add (markup would show up there), and the whole scan of each to
   an outside address without the model: blocks and warns on public text are false alarms.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")
MARKUP = re.compile(r"<[/a-z]|xmlns|&\w+;|\b(?:text|office|table|style|draw|config):\w")


def workbook(rows: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Children"
    ws.append(["Name", "Date of birth", "NHS number", "Address", "Notes"])
    for n in range(rows):
        ws.append([f"Child {n} Surname{n % 97}", dt.datetime(2010 + n % 12, 1 + n % 12, 1 + n % 28),
                   9434765919, f"{n % 200} Seaview Terrace, St Brelade", "placement review due"])
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "dd/mm/yyyy"
        row[2].number_format = "000 000 0000"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def speed(rows: int) -> None:
    import openpyxl
    from python_calamine import CalamineWorkbook

    from disclosureguard.extract import extract

    data = workbook(rows)
    print(f"workbook: {rows} rows x 5 columns, {len(data) / 1e6:.1f} MB")

    def timed(label: str, read) -> None:
        start = time.perf_counter()
        sample = read()
        took = time.perf_counter() - start
        shows = "943 476 5919" in sample and "/20" in sample
        print(f"  {label:<34} {took:6.2f} s  {rows / took:9.0f} rows/s  shows NHS and date as displayed: {shows}")

    def ours() -> str:
        doc = extract(data, "children.xlsx")
        return doc.segments[3].text

    def read_only() -> str:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        out = [", ".join(str(v) for v in row) for row in wb.active.iter_rows(values_only=True)]
        wb.close()
        return out[1]

    def calamine() -> str:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        out = [", ".join(str(v) for v in row) for row in wb.get_sheet_by_index(0).to_python()]
        return out[1]

    timed("our xlsx reader (openpyxl)", ours)
    timed("openpyxl read-only, values", read_only)
    timed("python-calamine, values", calamine)


def convert(files: list[Path], target: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=1800)


def fidelity(judgments: Path, limit: int) -> None:
    from disclosureguard import Scanner
    from disclosureguard.extract import extract

    sources = sorted(judgments.glob("*.txt"))[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows_csv = []
        for src in sources:
            paragraphs = [p.strip() for p in src.read_text(errors="replace").split("\n") if p.strip()]
            target = folder / f"{src.stem}-rows.csv"
            with target.open("w", newline="") as fh:
                writer = csv.writer(fh)
                for p in paragraphs:
                    writer.writerow([p[:32000]])
            rows_csv.append(target)
        start = time.perf_counter()
        convert(sources, "odt", folder)
        convert(rows_csv, "xlsx", folder)
        convert(rows_csv, "ods", folder)
        took_lo = time.perf_counter() - start
        print(f"LibreOffice converted {len(sources)} judgments to odt, xlsx and ods in {took_lo:.0f} s")
        scanner = Scanner(cases=None, policy=str(ROOT / "samples" / "policy.yaml"), model=None)
        for suffix, ext in (("", "odt"), ("-rows", "xlsx"), ("-rows", "ods")):
            kept = added = total = markup = 0
            decisions: Counter[str] = Counter()
            chars = 0
            took = 0.0
            for src in sources:
                path = folder / f"{src.stem}{suffix}.{ext}"
                data = path.read_bytes()
                start = time.perf_counter()
                doc = extract(data, path.name)
                took += time.perf_counter() - start
                text = "\n".join(s.text for s in doc.all_segments() if s.kind not in ("metadata", "sheet-name"))
                chars += len(text)
                want = Counter(WORD.findall(src.read_text(errors="replace")))
                got = Counter(WORD.findall(text))
                kept += sum((want & got).values())
                total += sum(want.values())
                added += sum((got - want).values())
                markup += sum(1 for s in doc.all_segments() if MARKUP.search(s.text))
                verdict = scanner.scan(data, ["someone@example.org"], name=path.name)
                decisions[verdict.decision.label] += 1
            print(f"  {ext}: words kept {kept / max(total, 1):.2%}, words added {added} (of {total}), "
                  f"segments with markup {markup}, {chars / max(took, 1e-9):,.0f} chars/s, "
                  f"to an outside address: {dict(decisions)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--judgments", type=Path, default=Path("/work/shared/realdocs/judgments"))
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    speed(args.rows)
    if args.judgments.is_dir():
        fidelity(args.judgments, args.limit)
    else:
        print(f"{args.judgments}: not there; fidelity skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
