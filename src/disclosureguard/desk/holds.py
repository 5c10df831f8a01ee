"""What the milter records when it holds a message, so a reviewer can decide it.

The verdict is kept with its values, and for each finding the extracted text around it
(the place the item page highlights). The text comes from extracting the message again
exactly as it was scanned (same bytes, name, media type and limits), so each finding's
segment index and span point into the same text; a finding whose span does not match is
located by its text (in its segment first), and otherwise kept without context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..extract import ExtractContext, extract
from ..limits import Limits
from ..masking import place_words
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
        at = _locate(f, segments)
        if at is not None:
            seg, start = at
            end = start + len(f.text)
            place["before"] = seg.text[max(0, start - CONTEXT):start]
            place["after"] = seg.text[end:end + CONTEXT]
            place["where"] = place_words(seg.place)
        places.append(place)
    return places


def _locate(f: Finding, segments: Sequence[Segment]) -> tuple[Segment, int] | None:
    """The segment and offset of a finding: its own span, else its text in its segment, else in any."""
    if not f.text:
        return None
    own = segments[f.segment] if 0 <= f.segment < len(segments) else None
    if own is not None and own.text[f.start:f.end] == f.text:
        return own, f.start
    for seg in ([own] if own is not None else []) + list(segments):
        start = seg.text.find(f.text)
        if start >= 0:
            return seg, start
    return None


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
