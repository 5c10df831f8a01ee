"""What the milter records when it holds a message, so a reviewer can decide it.

The verdict is kept with its values, and for each finding the extracted text around it
(the place the item page highlights). The text comes from extracting the message again
exactly as it was scanned (same bytes, name, media type and limits), so each finding's
segment index and span point into the same text; a finding whose span does not match is
located by its text in its segment, and otherwise kept without context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..extract import ExtractContext, extract
from ..limits import Limits
from ..model import Finding, Segment, Verdict
from .store import Store

CONTEXT = 160  # characters shown each side of a finding


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """The verdict as JSON with values, and each finding's segment and span."""
    record = verdict.to_dict(values=True)
    for f, d in zip(verdict.findings, record.get("findings", []), strict=False):
        d.update({"segment": f.segment, "start": f.start, "end": f.end, "recogniser": f.recogniser,
                  "person_name": f.person_name})
    return record


def finding_places(findings: Sequence[Finding], segments: Sequence[Segment]) -> list[dict[str, Any]]:
    places = []
    for f in findings:
        place: dict[str, Any] = {"location": f.location, "text": f.text, "before": None, "after": None}
        seg = segments[f.segment] if 0 <= f.segment < len(segments) else None
        if seg is not None:
            start, end = f.start, f.end
            if seg.text[start:end] != f.text:
                start = seg.text.find(f.text)
                end = start + len(f.text)
            if start >= 0 and f.text:
                place["before"] = seg.text[max(0, start - CONTEXT):start]
                place["after"] = seg.text[end:end + CONTEXT]
                place["where"] = seg.location
        places.append(place)
    return places


def extracted_segments(data: bytes, name: str, limits: Limits) -> tuple[Segment, ...]:
    document = extract(data, name, ExtractContext(limits=limits), media_type="message/rfc822")
    return document.all_segments()


def record_hold(store: Store, ref: str, sender: str, recipients: Sequence[str], verdict: Verdict | None,
                segments: Sequence[Segment], rules: Sequence[str], decision: str) -> int:
    findings = verdict.findings if verdict is not None else ()
    cases = sorted({f.case for f in findings if f.case} | {c for rv in (verdict.recipients if verdict else ())
                                                          for c in rv.recipient.cases})
    record = verdict_record(verdict) if verdict is not None else {"findings": [], "reasons": [], "errors": []}
    return store.record_hold(ref, sender, list(recipients), decision, list(rules), cases, record,
                             finding_places(findings, segments))
