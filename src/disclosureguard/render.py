"""Verdicts as text a social worker reads: the decision first, then why and where to look."""

from __future__ import annotations

from collections import Counter

from .entities import label
from .masking import folded_values, path_words, scrub
from .model import Action, Verdict
from .policy.advice import advice

_HEADLINE = {
    Action.ALLOW: "ALLOW  - nothing found that this recipient may not see",
    Action.WARN: "WARN   - check before sending",
    Action.REDACT: "REDACT - remove the marked details before sending",
    Action.BLOCK: "BLOCK  - do not send",
}


def render_text(v: Verdict, *, values: bool = True) -> str:
    """The verdict for a person. ``values=False`` (a report for someone who may not see the
    values): the source, the places and the parts it names are masked as in the JSON verdict
    without values (masking.place_words, name_words), and the rest of each line is scrubbed."""
    withheld = folded_values(f.text for f in v.findings)
    named = [x for rv in v.recipients for x in (rv.recipient.address, rv.recipient.person_name) if x]

    def shown(text: str) -> str:
        return text if values else scrub(text, keep=named)

    lines = [v.source if values else path_words(v.source), f"  {_HEADLINE[v.decision]}"]
    for rv in v.recipients:
        r = rv.recipient
        who = r.address if not r.person_name or r.person_name == r.address else f"{r.person_name} <{r.address}>"
        case = f", case {', '.join(r.cases)}" if r.cases else ""
        how = "" if r.found_by in ("given", "email headers", "none") else f", found by {r.found_by}"
        lines.append(f"  to {who} ({r.cls}{case}{how}): {rv.decision.label.upper()}")
        for reason in (x for x in v.reasons if x.recipient == r.address):
            message = reason.message if values else v.reason_words(reason, withheld, keep=named)
            hint = advice(reason, v.findings)
            fix = f". To fix: {shown(hint)}" if hint else ""
            lines.append(f"    - [{reason.rule}, {reason.action.label}] {message}{fix}")
    for e in v.errors:
        part, message = (e.part, e.message) if values else (scrub(e.part, withheld), scrub(e.message, withheld))
        lines.append(f"  could not read {part}: {message}")
    if v.findings:
        counts = Counter(label(f.entity_type) for f in v.findings)
        summary = ", ".join(f"{n} x {what}" for what, n in counts.most_common())
        lines.append(f"  found: {summary}")
    for note in v.notes:
        lines.append(f"  note: {shown(note)}")
    return "\n".join(lines)
