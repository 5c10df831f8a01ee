"""What reviewers' marks say about the policy: which rules and recognisers raise false alarms.

Counts are per ISO week of the mark, per rule and per recogniser, of each mark; the
false-alarm rate is false alarms over all marks of that rule or recogniser. Held mail adds,
per week and rule, how many held messages were released, partly released or returned. The export of
false-alarm examples masks every value (letters become ``x``, digits ``9``), keeping the
shape a recogniser sees, for the accuracy harness's near-miss lists.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .store import MARKS, Store


def week_of(timestamp: float) -> str:
    year, week, _ = datetime.fromtimestamp(timestamp, UTC).isocalendar()
    return f"{year}-W{week:02d}"


def summarise(marked: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``{"totals": {mark: n}, "by_rule": [...], "by_recogniser": [...], "weeks": [...]}``."""
    totals: Counter[str] = Counter()
    by: dict[str, dict[tuple[str, str], Counter[str]]] = {"rule": defaultdict(Counter),
                                                         "recogniser": defaultdict(Counter)}
    for f in marked:
        mark = f["mark"]
        totals[mark] += 1
        week = week_of(float(f["marked_at"]))
        by["rule"][(week, f["rule"] or "(no rule)")][mark] += 1
        by["recogniser"][(week, f["recogniser"])][mark] += 1

    def rows(table: dict[tuple[str, str], Counter[str]]) -> list[dict[str, Any]]:
        out = []
        for (week, name), counts in table.items():
            total = sum(counts.values())
            out.append({"week": week, "name": name, **{m: counts.get(m, 0) for m in MARKS}, "marked": total,
                        "false_alarm_rate": round(counts.get("false-alarm", 0) / total, 3) if total else 0.0})
        return sorted(out, key=lambda r: (r["week"], -r["false-alarm"], r["name"]), reverse=False)

    return {"totals": {m: totals.get(m, 0) for m in MARKS}, "by_rule": rows(by["rule"]),
            "by_recogniser": rows(by["recogniser"]),
            "weeks": sorted({r["week"] for r in rows(by["rule"])})}


HELD_OUTCOMES = ("released", "partly-released", "returned")


def held_by_rule(decided: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per week and rule, how reviewers decided held mail: a hold released whole is the mail
    side's nearest thing to a false alarm (or an exception the policy could name)."""
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for h in decided:
        for rule in h["rules"] or ["(no rule)"]:
            table[(week_of(float(h["decided_at"])), rule)][h["status"]] += 1
    rows = []
    for (week, rule), counts in table.items():
        total = sum(counts.values())
        rows.append({"week": week, "name": rule, **{s: counts.get(s, 0) for s in HELD_OUTCOMES}, "decided": total,
                     "released_rate": round(counts.get("released", 0) / total, 3) if total else 0.0})
    return sorted(rows, key=lambda r: (r["week"], -r["released"], r["name"]))


def report(store: Store) -> dict[str, Any]:
    return {**summarise(store.marked()), "held_by_rule": held_by_rule(store.held_decisions())}


def as_text(summary: dict[str, Any]) -> str:
    t = summary["totals"]
    lines = [f"marked: {sum(t.values())}  true breach: {t['true-breach']}  false alarm: {t['false-alarm']}  "
             f"already known: {t['already-known']}"]
    for title, key in (("rule", "by_rule"), ("recogniser", "by_recogniser")):
        lines += ["", f"{'week':<9} {title:<28} {'false':>6} {'true':>6} {'known':>6} {'rate':>6}"]
        for r in summary[key]:
            lines.append(f"{r['week']:<9} {r['name']:<28} {r['false-alarm']:>6} {r['true-breach']:>6} "
                         f"{r['already-known']:>6} {r['false_alarm_rate']:>6.0%}")
    if summary.get("held_by_rule"):
        lines += ["", f"{'week':<9} {'held mail, rule':<28} {'released':>8} {'partly':>6} {'returned':>8}"]
        for r in summary["held_by_rule"]:
            lines.append(f"{r['week']:<9} {r['name']:<28} {r['released']:>8} {r['partly-released']:>6} "
                         f"{r['returned']:>8}")
    return "\n".join(lines) + "\n"


def masked_value(text: str | None) -> str | None:
    if text is None:
        return None
    return re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "x", text))


def false_alarm_examples(store: Store) -> Iterable[str]:
    """JSON lines, one a false alarm: type, recogniser, rule, location kind, masked value, note."""
    for f in store.marked():
        if f["mark"] != "false-alarm":
            continue
        yield json.dumps({"entity_type": f["entity_type"], "recogniser": f["recogniser"], "rule": f["rule"],
                          "masked": masked_value(f["text"]), "length": len(f["text"]) if f["text"] else None,
                          "week": week_of(float(f["marked_at"]))}, ensure_ascii=False) + "\n"
