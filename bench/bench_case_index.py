"""Case index at scale: build time and size for 10,000 generated cases, and the attribution
time of one ~3 KB letter against 10 and against 10,000 cases (the second should stay within
1.2x of the first: the scan looks up the document's token runs, it never walks the index).

    .venv/bin/python bench/bench_case_index.py [--cases 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from disclosureguard.cases import CaseIndex, build_index, load_cases
from disclosureguard.model import Segment

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "cases"

FIRST = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Noah",
    "Leo",
    "Arthur",
    "Oscar",
    "Charlie",
    "Freddie",
    "Theo",
    "Alfie",
    "Archie",
    "Henry",
    "Jacob",
    "Thomas",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Willow",
    "Florence",
    "Emily",
    "Ella",
    "Sarah",
    "Emma",
    "Laura",
    "Rachel",
    "Claire",
    "Helen",
    "Karen",
    "Lisa",
    "Nicola",
    "Mark",
    "Paul",
    "David",
    "Daniel",
    "James",
    "Robert",
    "Michael",
    "Aarav",
    "Meera",
    "Rohan",
    "Priya",
    "Kamala",
    "Anaya",
    "Zofia",
    "Piotr",
    "Marta",
    "Tomasz",
    "Ines",
    "Joao",
    "Rui",
    "Ana",
    "Filipa",
    "Sean",
    "Aoife",
]
SURNAME = (
    (
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
        "Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis "
        "Le Brocq Le Sueur Renouf Vibert Ahier Le Cornu De Gruchy Amy Pallot Syvret Bisson Querée Le Feuvre "
        "Nowak Kowalski Silva Santos Ferreira Pereira Costa Murphy Kelly Byrne Ryan Walsh O'Brien"
    )
    .replace("Le ", "Le_")
    .replace("De ", "De_")
    .split()
)
STREETS = [
    "Rue de la Pointe",
    "La Route du Nord",
    "Clarendon Road",
    "Bagatelle Road",
    "Seaview Terrace",
    "Victoria Avenue",
    "Grève d'Azette",
    "La Rue des Pres",
    "Commercial Buildings",
    "Springfield Road",
    "Les Quennevais Park",
    "Route de Noirmont",
    "Mont Millais",
    "Rouge Bouillon",
    "Belmont Road",
    "Kensington Place",
    "David Place",
]
PARISHES = ["St Helier", "St Brelade", "St Saviour", "St Clement", "Grouville", "Trinity", "St Ouen", "St Lawrence"]


def _surname(rng: random.Random) -> str:
    return rng.choice(SURNAME).replace("_", " ")


def _nhs(rng: random.Random) -> str:
    while True:
        base = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(base, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            digits = "".join(map(str, base)) + str(0 if check == 11 else check)
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _address(rng: random.Random) -> str:
    flat = f"Flat {rng.randrange(1, 9)}, " if rng.random() < 0.3 else ""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    postcode = f"JE{rng.randrange(1, 5)} {rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{flat}{rng.randrange(1, 200)} {rng.choice(STREETS)}, {rng.choice(PARISHES)}, {postcode}"


def _phone(rng: random.Random) -> str:
    return f"07700 9{rng.randrange(100000):05d}" if rng.random() < 0.7 else f"01632 96{rng.randrange(10000):04d}"


def generated_case(n: int, rng: random.Random) -> dict:
    family = _surname(rng)
    home = _address(rng)
    people: list[dict[str, object]] = []
    for c in range(rng.randrange(1, 4)):
        born = date(2008, 1, 1) + timedelta(days=rng.randrange(16 * 365))
        people.append(
            {
                "id": f"child{c + 1}",
                "role": "child",
                "names": [f"{rng.choice(FIRST)} {family}"],
                "born": born.isoformat(),
                "identifiers": {"UK_NHS": _nhs(rng)},
                "addresses": [home],
            }
        )
    mother = f"{rng.choice(FIRST)} {family}"
    people.append(
        {
            "id": "mother",
            "role": "parent",
            "names": [mother],
            "addresses": [home],
            "phones": [_phone(rng)],
            "emails": [f"{mother.lower().replace(' ', '.').replace(chr(39), '')}{n}@example.com"],
            "identifiers": {
                "UK_NINO": f"JY {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d} A"
            },
            "withhold": [{"details": ["address", "phone", "email"], "from": ["father"]}],
        }
    )
    father = f"{rng.choice(FIRST)} {_surname(rng)}"
    people.append(
        {
            "id": "father",
            "role": "parent",
            "names": [father],
            "addresses": [_address(rng)],
            "phones": [_phone(rng)],
            "emails": [f"{father.lower().replace(' ', '')}{n}@example.net"],
        }
    )
    people.append({"id": "sw", "role": "professional", "names": ["Priya Shah"], "emails": ["priya.shah@gov.je"]})
    return {"case": f"CSC-2024-{n:06d}", "people": people}


LETTER = """\
Mr Mark Jones
22 Elm Grove
St Helier
JE2 1AA

Our ref: CSC-2021-004512

Dear Mr Jones,

Re: Lily Smith, date of birth 02/03/2014, NHS number 943 476 5919

I am writing to let you know the outcome of the child in need review held on 14 January at
Le Bas Centre. Present were Priya Shah (social worker), Anne Le Brun (designated safeguarding
lead, St Mary's School) and yourself. Sarah Smith sent her apologies and her views in writing.

Lily is doing well at school. Her attendance this term is 96 per cent and her teacher reports
that she has made friends in her new class. Lily told me that she enjoys reading and football,
and that she would like to see you every other weekend as now. She also said that she sometimes
worries about the arguments between her parents, and that she would like them to stop.

We discussed the contact arrangements. You asked whether contact could move to Saturdays; Sarah
has agreed to this in principle, and the handover will continue to take place at the family
centre on Kensington Place so that you and Sarah do not need to meet. Please contact me if this
causes any difficulty. We also discussed Lily's health: she has an appointment with the
paediatric service in March, and her GP has been informed of the review.

The plan agreed at the review is as follows. First, Lily will continue to be supported by the
school's emotional literacy support assistant once a week. Second, the family support worker
will offer both parents sessions on co-parenting, separately. Third, the next review will take
place in three months' time, and you will receive an invitation at least two weeks before.

At the review we also talked about the support available to you as a parent. The parenting
course run by the family support service starts again in the spring, and I have passed your name
to the coordinator, who will write to you with the dates. You said that you would find it helpful
to have a regular time to talk to me by telephone about how contact is going; I have suggested the
first Tuesday of each month, in the afternoon, and I will call you then unless you tell me that
another time suits you better. Lily's school has also offered to send you copies of her reports.

I have also written to Sarah Smith with the outcome of the review. As we discussed, the
information that each of you has shared with me about your own circumstances will not be passed
to the other parent without your agreement, unless I have to do so to keep Lily safe. If you
would like to add anything to the record of the review, or you think something in it is not
accurate, please write to me within four weeks and I will attach your comments to the record.

If you have any questions about this letter, or if anything changes, please contact me on the
number below or by email. You can also ask for a copy of the review record; we will remove from
it any information about other people that we are not able to share with you.

Yours sincerely,

Priya Shah
Social Worker, Children's Social Care
Le Bas Centre, St Saviour's Road, St Helier, JE2 4RP
Telephone 01534 444444
"""


def segments_of(text: str) -> list[Segment]:
    return [Segment(p, f"body, paragraph {i + 1}") for i, p in enumerate(text.split("\n\n"))]


def time_attribute(contexts: list[CaseIndex], segments: list[Segment], runs: int) -> list[float]:
    """Median time per context, runs interleaved so that load from other processes hits all alike."""
    times: list[list[float]] = [[] for _ in contexts]
    for ctx in contexts:
        ctx.attribute(segments, [])  # warm
    for _ in range(runs):
        for i, ctx in enumerate(contexts):
            t = time.perf_counter()
            ctx.attribute(segments, [])
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args(argv)
    rng = random.Random(20261124)
    segments = segments_of(LETTER)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DISCLOSUREGUARD_INDEX_KEY", "bench-key-0123456789abcdef")
        small_dir, big_dir = Path(tmp, "small"), Path(tmp, "big")
        for folder, count in ((small_dir, 10), (big_dir, args.cases)):
            folder.mkdir()
            for sample in SAMPLES.iterdir():
                (folder / sample.name).write_bytes(sample.read_bytes())
            for n in range(count - 3):
                (folder / f"case-{n:06d}.json").write_text(json.dumps(generated_case(n, rng)))
        t = time.perf_counter()
        report = build_index(big_dir, Path(tmp, "big.idx"))
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        big = load_cases(Path(tmp, "big.idx"))
        load_s = time.perf_counter() - t
        build_index(small_dir, Path(tmp, "small.idx"))
        small = load_cases(Path(tmp, "small.idx"))
        assert isinstance(big, CaseIndex) and isinstance(small, CaseIndex)
        found_small = small.attribute(segments, [])
        found_big = big.attribute(segments, [])
        t_small, t_big = time_attribute([small, big], segments, args.runs)
    print(f"letter: {len(LETTER)} characters, {len(segments)} segments")
    print(
        f"build: {report.cases} cases, {report.members} people and contacts, {report.values} keyed hashes "
        f"in {build_s:.2f} s; index file {report.bytes / 1e6:.1f} MB; load {load_s:.2f} s"
    )
    print(f"attribute vs {len(small)} cases: {t_small * 1000:.2f} ms ({len(found_small)} findings)")
    print(f"attribute vs {len(big)} cases: {t_big * 1000:.2f} ms ({len(found_big)} findings)")
    ratio = t_big / t_small
    print(f"ratio: {ratio:.2f}x (target <= 1.2x)")

    # A professional in thousands of cases may be attributed to any of them; family data may not.
    def family(found: list) -> list[tuple[object, ...]]:
        return [(f.text, f.case, f.person) for f in found if f.person_role != "professional"]

    print(f"same family attribution against both: {family(found_small) == family(found_big)}")
    for f in found_big:
        print(f"  {f.entity_type:15} {f.case} {f.person} {f.person_role} {f.detail} score={f.score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
