"""OCR bench (issue 17): fictional letters rendered in code (seeded) as clean 300 dpi scans, the
same in 8 pt small print, degraded scans (skew up to 3 degrees, speckle, blur, JPEG q=60), 1-bit
fax TIFFs at 204x196 dpi and phone photos in perspective; each through the Scanner (extraction
with OCR, then the recognisers). --misses prints the line OCR read for each value it missed.

Prints, per kind of scan: recall of each planted identifier type (found by the recogniser of its
type, over the planted value), pages per second per core (CPU seconds of this process and of
its Tesseract engines, so the figure does not depend on what else the machine runs), wall time, and the share
of pages flagged low-confidence. Then a 20-page scanned bundle through the milter's worker pool
with the milter's defaults (its 30 s time limit). Run: .venv/bin/python bench/bench_ocr.py [--letters N]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from disclosureguard import Scanner  # noqa: E402
from disclosureguard.detect.normalise import normalise  # noqa: E402
from disclosureguard.extract.ocr_reader import engines_cpu_seconds  # noqa: E402
from disclosureguard.model import Analysis  # noqa: E402
from scan_fixtures import degraded, fax_tiff, image_pdf, jpeg_bytes, phone_photo, typed_page  # noqa: E402

FIRST = ["Amelia", "Oliver", "Isla", "Harry", "Freya", "Jacob", "Poppy", "Noah", "Evie", "Charlie", "Ruby", "Alfie"]
LAST = ["Hart", "Thompson", "Wilkinson", "Patel", "Osborne", "Lambert", "Fletcher", "Okafor", "Barnes", "Quinn"]
STREETS = ["Mill Lane", "Church Road", "Station Street", "Orchard Close", "Victoria Avenue", "Kingsway"]
TOWNS = [("Bristol", "BS"), ("Leeds", "LS"), ("Cardiff", "CF"), ("Norwich", "NR"), ("Exeter", "EX")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# the words that start the line each value is typed on, to show what OCR made of a missed one
LINES = {"nhs": "NHS number", "nino": "Insurance number", "postcode": "Address:", "phone": "Telephone",
         "date": "born", "name": "Child:"}
TYPES = {"UK_NHS": "nhs", "UK_NINO": "nino", "UK_POSTCODE": "postcode", "PHONE_NUMBER": "phone",
         "DATE_OF_BIRTH": "date", "PERSON": "name"}


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


NINO_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}  # prefixes HMRC does not issue


def nino(rng: random.Random) -> str:
    while True:  # a NINO that could be real: the recogniser rightly passes over the others
        first, second = rng.choice("ABCEGHJKLMNPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if first + second not in NINO_NEVER_ISSUED:
            break
    digits = "".join(str(rng.randrange(10)) for _ in range(6))
    return f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"


def letter(rng: random.Random) -> tuple[str, dict[str, str]]:
    child = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    town, area = rng.choice(TOWNS)
    values = {
        "name": child,
        "date": f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2009, 2022)}",
        "nhs": nhs_number(rng),
        "nino": nino(rng),
        "postcode": f"{area}{rng.randint(1, 16)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "phone": f"01632 960{rng.randint(0, 999):03d}",
    }
    text = f"""Children's Services, County Hall

{rng.randint(2, 28)} {rng.choice(MONTHS)} 2026

Dear Colleague,

Re: {child}

Child: {child}, born {values['date']}
NHS number: {values['nhs']}
Parent's National Insurance number: {values['nino']}
Address: {rng.randint(1, 99)} {rng.choice(STREETS)}, {town}, {values['postcode']}
Telephone: {values['phone']}

Thank you for your referral. We have opened an assessment and the allocated worker will contact
the family this week. Please share any further information with the duty team.

Yours faithfully,

Duty Team Manager"""
    return text, values


def key(text: str) -> str:
    """Letters and digits of ``text`` as the recognisers read OCR text (normalised for OCR)."""
    return "".join(c for c in normalise(text, ocr=True).text.casefold() if c.isalnum())


def cpu() -> float:
    """CPU seconds of this process, of its ended children and of its live OCR engines (a
    child's time is in RUSAGE_CHILDREN only once it has ended, and the engines live on)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime + engines_cpu_seconds()


KINDS = {
    "clean 300 dpi PDF": lambda page, i: (image_pdf([page]), "scan.pdf"),
    # the same letters in 8 pt: small print is what a cheaper resolution would lose first
    "small print 8 pt PDF": lambda page, i: (image_pdf([page]), "scan.pdf"),
    "degraded JPEG q=60": lambda page, i: (jpeg_bytes(degraded(page, seed=i, skew=[-3, -1.5, 1, 2.5, 3][i % 5]), 60),
                                           "scan.jpg"),
    "fax TIFF 1-bit": lambda page, i: (fax_tiff([page]), "fax.tif"),
    "phone photo JPEG": lambda page, i: (jpeg_bytes(phone_photo(page, seed=i)), "photo.jpg"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=24, help="letters per kind of scan")
    parser.add_argument("--misses", action="store_true", help="print the line OCR read for each missed value")
    parser.add_argument("--bundle", type=int, default=20, help="pages of the bundle through the pool (0: skip)")
    parser.add_argument("--dpi", type=int, default=None, help="render PDF pages at this resolution")
    parser.add_argument("--kind", action="append", choices=list(KINDS), help="only these kinds of scan")
    args = parser.parse_args()
    if args.dpi:
        from disclosureguard.extract import pdf_ocr

        pdf_ocr.RENDER_DPI = args.dpi
        pdf_ocr.NATIVE_DPI = (args.dpi, args.dpi)  # 300 dpi pictures are then rendered at --dpi
    rng = random.Random(17)
    letters = [letter(rng) for _ in range(args.letters)]
    scanner = Scanner(model=None)  # recognisers and name lists; the language model adds little to typed letters
    from disclosureguard.extract import pdf_ocr

    print(f"{args.letters} letters per kind; Tesseract {_tesseract_version()}; PDF pages rendered at "
          f"{pdf_ocr.RENDER_DPI} dpi; recall by the recogniser of each type")
    header = f"{'kind':22} " + " ".join(f"{t:>8}" for t in TYPES.values()) + "  pages/s/core  s/page wall  low-conf"
    print(header)
    for kind, make in KINDS.items():
        if args.kind and kind not in args.kind:
            continue
        hits: dict[str, int] = defaultdict(int)
        low = 0
        cpu_used = wall = 0.0
        for i, (text, values) in enumerate(letters):
            data, name = make(typed_page(text, size_pt=8 if kind.startswith("small print") else 11), i)
            c0, w0 = cpu(), time.perf_counter()
            analysis = scanner.analyse(data, name=name)
            cpu_used += cpu() - c0
            wall += time.perf_counter() - w0
            verdict = analysis.verdict
            low += any(p.cause == "low-confidence" for p in verdict.errors)
            for entity, label in TYPES.items():
                want = key(values[label])
                if any(f.entity_type == entity and want in key(f.text) for f in verdict.findings):
                    hits[label] += 1
                elif args.misses:
                    print(f"  missed {label} {values[label]!r} in letter {i}: OCR read {_line(analysis, label)!r}")
        n = len(letters)
        cells = " ".join(f"{hits[t] / n:8.2f}" for t in TYPES.values())
        print(f"{kind:22} {cells}  {n / cpu_used:12.2f}  {wall / n:11.2f}  {low / n:8.0%}")
    if args.bundle:
        bundle(letters, args.bundle)


def bundle(letters: list[tuple[str, dict[str, str]]], pages: int) -> None:
    """A scanned bundle through the milter's pool, as the milter builds it with its defaults
    (its time limit, workers, memory limit, the language model, the sample cases and policy)."""
    from disclosureguard.judge import ScannerConfig
    from disclosureguard.milter.config import MilterConfig
    from disclosureguard.pool import ScanPool
    from disclosureguard.spacy_model import DEFAULT_MODEL

    data = image_pdf([typed_page(letters[i % len(letters)][0]) for i in range(pages)])
    milter = MilterConfig()
    scanner = ScannerConfig(cases=(str(ROOT / "samples" / "cases"),), policy=str(ROOT / "samples" / "policy.yaml"),
                            model=DEFAULT_MODEL)
    with ScanPool(scanner, workers=milter.workers, time_limit=milter.time_limit,
                  memory_limit=milter.memory_limit) as pool:
        t0 = time.perf_counter()
        verdict = pool.scan(data, ["someone@example.org"], name="bundle.pdf")
        took = time.perf_counter() - t0
    causes = sorted({p.cause for p in verdict.errors})
    print(f"{pages}-page scanned bundle through the milter's pool (defaults: {milter.workers} workers, time "
          f"limit {milter.time_limit:g} s, ocr_max_pages {scanner.limits.ocr_max_pages}): {took:.1f} s wall; "
          f"decision {verdict.decision.label}; problems {causes or 'none'}; {len(verdict.findings)} findings")


def _line(analysis: Analysis, label: str) -> str:
    """The OCR text of the line the value of ``label`` was typed on (fictional letters only)."""
    text = "\n".join(s.text for s in analysis.segments)
    return next((line for line in text.splitlines() if LINES[label].casefold() in line.casefold()), "(no such line)")


def _tesseract_version() -> str:
    import pytesseract

    return str(pytesseract.get_tesseract_version())


if __name__ == "__main__":
    main()
