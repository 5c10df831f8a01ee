"""A batch run's results as desk findings: one row per finding of every record.

A batch OUTDIR holds ``verdicts.jsonl`` (one record per item: its path and verdict,
shared/spec/verdict.md). Each finding becomes a row a reviewer can mark, with the rules
whose reasons cite it; the strictest of them is the finding's rule for filtering and for
the false-alarm counts. Errors (parts that could not be read) are rows too, so a sweep
with unreadable files cannot look clean on the desk.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DisclosureGuardError

VERDICTS = "verdicts.jsonl"
_STRICTNESS = {"allow": 0, "warn": 1, "redact": 2, "block": 3}


class SweepImportError(DisclosureGuardError):
    """A batch output folder that cannot be loaded; the message names the file and the cause."""


def read_records(outdir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    path = Path(outdir) / VERDICTS
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise SweepImportError(f"{path}: cannot be read ({e.strerror or type(e).__name__}); "
                               "is it a `disclosureguard batch` output folder?") from None
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise SweepImportError(f"{path}: line {number} is not a JSON record") from None
        if not isinstance(record, dict) or not isinstance(record.get("path"), str):
            raise SweepImportError(f"{path}: line {number} is not a batch record (no path)")
        records.append(record)
    return records


def finding_rows(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        path = record["path"]
        folder = str(Path(record.get("container") or path).parent)
        decision = str(record.get("decision", ""))
        reasons = [r for r in record.get("reasons", []) if isinstance(r, dict)]
        for index, f in enumerate(record.get("findings", [])):
            if not isinstance(f, dict):
                continue
            citing = [r for r in reasons if index in (r.get("findings") or [])]
            rules = sorted({str(r.get("rule")) for r in citing})
            strictest = max(citing, key=lambda r: _STRICTNESS.get(str(r.get("action")), 0), default=None)
            entity = str(f.get("entity_type", ""))
            yield {
                "path": path, "folder": folder, "decision": decision, "rules": rules,
                "rule": str(strictest.get("rule")) if strictest else "",
                "entity_type": entity, "recogniser": str(f.get("recogniser") or entity),
                "location": str(f.get("location", "")), "text": f.get("text"), "case": f.get("case"),
            }
        for e in record.get("errors", []):
            if not isinstance(e, dict):
                continue
            rules = sorted({str(r.get("rule")) for r in reasons if not r.get("findings")
                            and str(r.get("rule", "")).startswith("unscannable")})
            yield {
                "path": path, "folder": folder, "decision": decision, "rules": rules,
                "rule": rules[0] if rules else "", "entity_type": "UNREADABLE_PART",
                "recogniser": f"error:{e.get('cause', '')}", "location": str(e.get("part", "")), "text": None,
                "case": None,
            }
