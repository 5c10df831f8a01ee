"""Every verdict on samples/, recorded and diffed against a saved snapshot.

A refactor must not change behaviour: take a snapshot before it, and diff after it.
For each sample document and each recipient list below, it records the overall decision,
the decision per recipient, the reasons (rule, action, recipient), the problems' causes
and the number of findings per entity type.

    .venv/bin/python bench/diff_sample_verdicts.py --save     # take the snapshot
    .venv/bin/python bench/diff_sample_verdicts.py            # diff against it (exit 1 on a change)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from disclosureguard import Scanner
from disclosureguard.model import Verdict

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SNAPSHOT = Path(__file__).resolve().parent / "data" / "sample_verdicts.json"
FOLDERS = ("letters", "documents", "emails", "rules", "accuracy/dev", "accuracy/heldout")
SUFFIXES = {".txt", ".eml", ".msg", ".docx", ".odt", ".rtf", ".xlsx", ".pdf"}

# None: the recipients the document itself names (mail headers, a letter's address block).
RECIPIENT_LISTS: dict[str, list[str] | None] = {
    "own": None,
    "father": ["mjones@example.net"],
    "mother": ["sarah.smith@example.com"],
    "colleague": ["priya.shah@gov.je"],
    "school": ["dsl@stmarys.sch.je"],
    "unknown": ["someone@unknown.example"],
}


def summary(verdict: Verdict) -> dict[str, Any]:
    return {
        "decision": verdict.decision.label,
        "recipients": sorted(f"{rv.recipient.address} {rv.decision.label}" for rv in verdict.recipients),
        "reasons": sorted(f"{r.rule} {r.action.label} {r.recipient}" for r in verdict.reasons),
        "errors": sorted(e.cause for e in verdict.errors),
        "findings": dict(sorted(Counter(f"{f.entity_type} {f.person or '-'}" for f in verdict.findings).items())),
    }


def sample_files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (SAMPLES / folder).iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES)


def record() -> dict[str, dict[str, Any]]:
    scanner = Scanner(cases=str(SAMPLES / "cases"), policy=str(SAMPLES / "policy.yaml"))
    verdicts: dict[str, dict[str, Any]] = {}
    for path in sample_files():
        key = str(path.relative_to(SAMPLES))
        verdicts[key] = {label: summary(scanner.scan(path, to)) for label, to in RECIPIENT_LISTS.items()}
    return verdicts


def differences(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for name in sorted(set(before) | set(after)):
        if name not in after or name not in before:
            lines.append(f"{name}: {'gone' if name not in after else 'new'}")
            continue
        for label in sorted(set(before[name]) | set(after[name])):
            was, now = before[name].get(label), after[name].get(label)
            if was != now:
                lines.append(f"{name} [{label}]:\n  before {json.dumps(was)}\n  after  {json.dumps(now)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", action="store_true", help="write the snapshot instead of diffing")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    args = parser.parse_args(argv)
    now = record()
    if args.save:
        args.snapshot.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(now)} samples x {len(RECIPIENT_LISTS)} recipient lists saved to {args.snapshot}")
        return 0
    before = json.loads(args.snapshot.read_text(encoding="utf-8"))
    changed = differences(before, now)
    for line in changed:
        print(line)
    print(f"{len(now)} samples x {len(RECIPIENT_LISTS)} recipient lists: {len(changed)} differences")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
