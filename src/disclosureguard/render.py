"""Verdicts as text a social worker reads: the decision first, then why and where to look."""

from __future__ import annotations

from collections import Counter

from .entities import label
from .model import Action, Verdict
from .policy.advice import advice

_HEADLINE = {
    Action.ALLOW: "ALLOW  - nothing found that this recipient may not see",
    Action.WARN: "WARN   - check before sending",
    Action.REDACT: "REDACT - remove the marked details before sending",
    Action.BLOCK: "BLOCK  - do not send",
}


def render_text(v: Verdict) -> str:
    lines = [f"{v.source}", f"  {_HEADLINE[v.decision]}"]
    for rv in v.recipients:
        r = rv.recipient
        who = r.address if not r.person_name or r.person_name == r.address else f"{r.person_name} <{r.address}>"
        case = f", case {', '.join(r.cases)}" if r.cases else ""
        how = "" if r.found_by in ("given", "email headers", "none") else f", found by {r.found_by}"
        lines.append(f"  to {who} ({r.cls}{case}{how}): {rv.decision.label.upper()}")
        for reason in (x for x in v.reasons if x.recipient == r.address):
            hint = advice(reason, v.findings)
            fix = f". To fix: {hint}" if hint else ""
            lines.append(f"    - [{reason.rule}, {reason.action.label}] {reason.message}{fix}")
    for e in v.errors:
        lines.append(f"  could not read {e.part}: {e.message}")
    if v.findings:
        counts = Counter(label(f.entity_type) for f in v.findings)
        summary = ", ".join(f"{n} x {what}" for what, n in counts.most_common())
        lines.append(f"  found: {summary}")
    for note in v.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)
