"""False alarms and recall on real public documents nobody here wrote.

    python -m disclosureguard.realdocs [FOLDER...] [--no-planted] [--show-findings]

Each FOLDER holds groups (sub-folders: ``ofsted/``, ``judgments/``, ``govuk/``, ...) of public
documents that identify no private child or family. Without FOLDER it reads the repository's
``tests/realdocs/`` and, when present, ``/work/shared/realdocs/``. For each group it prints how
many documents are allowed, warned or blocked to an outside address and to an internal one, and
the most frequent reasons.

Planted copies: the same documents with one paragraph of a fictional child's details (name, date
of birth, NHS number, address, a parent's new phone) put in the middle of their text. Text
documents are planted as they are; for other formats the text the extractor read is planted and
scanned through the library's plain-text path (``Scanner.scan(bytes, name="....txt")``), so the
host text is the real document's, as the scanner saw it. Each planted copy must block to the
outside address, and every planted value must be found.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import regex

from .model import Verdict
from .published_judgment import PUBLIC_RECORD

if TYPE_CHECKING:
    from .model import Analysis

REPO_SET = Path(__file__).resolve().parents[2] / "tests" / "realdocs"
SHARED_SET = Path("/work/shared/realdocs")
POLICY = Path(__file__).resolve().parents[2] / "samples" / "policy.yaml"
OUTSIDE = "enquiries@public.example"
INSIDE = "colleague@gov.je"
DOCUMENT_SUFFIXES = frozenset({".pdf", ".txt", ".docx", ".eml", ".html", ".htm", ".rtf", ".odt", ".xlsx"})

# A fictional child (the NHS number passes its check digit; 07797 is a Jersey mobile range).
PLANTED_VALUES = {
    "PERSON": "Kayla Renouf",
    "DATE_OF_BIRTH": "14/03/2016",
    "UK_NHS": "485 777 3457",
    "ADDRESS": "12 Le Clos de la Fontaine",
    "UK_POSTCODE": "JE2 7HT",
    "PHONE_NUMBER": "07797 123456",
}
PLANTED_PARAGRAPH = (
    "Kayla Renouf (date of birth 14/03/2016, NHS number 485 777 3457) now lives with her mother at "
    "12 Le Clos de la Fontaine, St Saviour, JE2 7HT. Her mother's new mobile number is 07797 123456 "
    "and she has asked that it is not shared with the father."
)
_BLANK_LINE = regex.compile(r"\n[ \t]*\n")
_PLACES = regex.compile(r":\s[^:]*$")  # a reason's list of places, after its last colon


@dataclass
class Tally:
    """Decisions and reasons for one group and one recipient."""

    decisions: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    blocked: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    public_record: list[str] = field(default_factory=list)  # allowed with a published judgment's note


@dataclass
class PlantedTally:
    blocked: int = 0
    total: int = 0
    missed: list[str] = field(default_factory=list)  # "doc: ENTITY" for every value not found


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


def groups(folders: Iterable[Path]) -> list[tuple[str, list[Path]]]:
    """Each folder's groups, a document counted once: a later folder's copy of a document an
    earlier folder holds under the same group name is left out, so no figure counts it twice."""
    out = []
    seen: set[tuple[str, str]] = set()
    for folder in folders:
        for group in sorted(p for p in folder.iterdir() if p.is_dir()):
            docs = [d for d in documents(group) if (group.name, d.name) not in seen]
            seen.update((group.name, d.name) for d in docs)
            if docs:
                out.append((f"{folder.parent.name}/{folder.name}/{group.name}", docs))
    return out


def plant(text: str) -> str:
    """The text with the planted paragraph put at the paragraph break nearest its middle."""
    middle = len(text) // 2
    breaks = [m.end() for m in _BLANK_LINE.finditer(text)]
    at = min(breaks, key=lambda b: abs(b - middle)) if breaks else middle
    if not breaks:
        while at < len(text) and not text[at].isspace():
            at += 1  # never cut a word in two
    return f"{text[:at]}\n\n{PLANTED_PARAGRAPH}\n\n{text[at:]}"


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def planted_values_missed(verdict: Verdict) -> list[str]:
    """The planted entity types whose value no finding covers."""
    found = [_normal(f.text) for f in verdict.findings]
    return [kind for kind, value in PLANTED_VALUES.items() if not any(_normal(value) in f for f in found)]


def reason_key(rule: str, message: str) -> str:
    """A reason without its places, so the same reason on many documents counts once each."""
    return f"{rule}: {_PLACES.sub('', message)}"


def decision_for(verdict: Verdict, address: str) -> str:
    return next(r.decision.label for r in verdict.recipients if r.recipient.address == address)


def run(
    folders: Sequence[Path], planted: bool = True, show: bool = False, out: TextIO = sys.stdout
) -> tuple[dict[str, dict[str, Tally]], dict[str, PlantedTally]]:
    from .scanner import Scanner  # late: loading the model is the slow part

    scanner = Scanner(policy=POLICY)
    results: dict[str, dict[str, Tally]] = {}
    plants: dict[str, PlantedTally] = {}
    for name, docs in groups(folders):
        tallies = results.setdefault(name, {OUTSIDE: Tally(), INSIDE: Tally()})
        planted_tally = plants.setdefault(name, PlantedTally())
        for path in docs:
            analysis = scanner.analyse(path, to=[OUTSIDE, INSIDE])
            verdict = analysis.verdict
            for address, tally in tallies.items():
                decision = decision_for(verdict, address)
                tally.decisions[decision] += 1
                if decision == "block":
                    tally.blocked.append(path.name)
                elif decision == "warn":
                    tally.warned.append(path.name)
                elif any(f.person_role == PUBLIC_RECORD for f in verdict.findings):
                    tally.public_record.append(path.name)
                for r in verdict.reasons:
                    if r.recipient == address:
                        tally.reasons[reason_key(r.rule, r.message)] += 1
            if show:
                _show(path, analysis, out)
            if planted:
                text = "\n\n".join(s.text for s in analysis.segments if not s.hidden)
                host = path.read_text(encoding="utf-8") if path.suffix.lower() == ".txt" else text
                copy = scanner.scan(plant(host).encode("utf-8"), to=[OUTSIDE], name=f"{path.stem}-planted.txt")
                planted_tally.total += 1
                planted_tally.blocked += decision_for(copy, OUTSIDE) == "block"
                planted_tally.missed.extend(f"{path.name}: {kind}" for kind in planted_values_missed(copy))
    return results, plants


def _show(path: Path, analysis: Analysis, out: TextIO) -> None:
    """The findings behind each outside reason, with their context (public documents only)."""
    verdict = analysis.verdict
    print(f"-- {path.name}", file=out)
    for r in verdict.reasons:
        if r.recipient == OUTSIDE:
            for i in r.findings:
                f = verdict.findings[i]
                seg = analysis.segments[f.segment].text
                around = " ".join(seg[max(0, f.start - 50) : f.end + 30].split())
                print(f"   {r.rule}: {f.entity_type} {f.text!r} role={f.person_role} | {around}", file=out)


def report(results: dict[str, dict[str, Tally]], plants: dict[str, PlantedTally], top: int = 5) -> str:
    lines = []
    totals = {OUTSIDE: Counter[str](), INSIDE: Counter[str]()}
    for name, tallies in results.items():
        lines.append(f"== {name}")
        for address, tally in tallies.items():
            d = tally.decisions
            totals[address].update(d)
            lines.append(
                f"  to {address:<26} allow {d['allow']:>3}  warn {d['warn']:>3}  "
                f"redact {d['redact']:>3}  block {d['block']:>3}  of {sum(d.values())}"
            )
            for reason, count in tally.reasons.most_common(top):
                lines.append(f"      {count:>3} x {reason[:150]}")
            if tally.blocked:
                lines.append(f"      blocked: {', '.join(tally.blocked)}")
            if tally.warned:
                lines.append(f"      warned: {', '.join(tally.warned)}")
            if tally.public_record:
                lines.append(f"      allowed with names taken as a published judgment's public record: "
                             f"{len(tally.public_record)}")
        p = plants.get(name)
        if p and p.total:
            lines.append(f"  planted copies: {p.blocked} of {p.total} blocked; values missed: {len(p.missed)}")
            lines.extend(f"      missed {m}" for m in p.missed)
    lines.append("== targets")
    out, inside = totals[OUTSIDE], totals[INSIDE]
    n = sum(out.values())
    if n:
        lines.append(
            f"  outside: {out['block']} blocked (target 0); {out['allow']} of {n} allowed = "
            f"{out['allow'] / n:.0%} (target >= 90%)"
        )
        lines.append(f"  internal: {inside['allow']} of {sum(inside.values())} allowed (target all)")
    planted_total = sum(p.total for p in plants.values())
    if planted_total:
        blocked = sum(p.blocked for p in plants.values())
        missed = sum(len(p.missed) for p in plants.values())
        lines.append(f"  planted: {blocked} of {planted_total} blocked (target all); values missed {missed} (target 0)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m disclosureguard.realdocs", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of groups of documents")
    parser.add_argument("--no-planted", action="store_true", help="skip the planted copies")
    parser.add_argument("--show-findings", action="store_true", help="print the findings behind each outside reason")
    args = parser.parse_args(argv)
    folders = args.folders or [p for p in (REPO_SET, SHARED_SET) if p.is_dir()]
    results, plants = run(folders, planted=not args.no_planted, show=args.show_findings)
    print(report(results, plants))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
