"""A published court judgment, recognised by the structure the courts publish at its head.

The courts of England and Wales publish a judgment with a heading block of its own: a neutral
citation ("Neutral Citation Number: [2020] EWCA Civ 1031"), a case number, the court
("IN THE COURT OF APPEAL (CIVIL DIVISION)"), the judges before whom it was heard ("Before:
LORD JUSTICE BAKER") and a hand-down line ("Approved Judgment", "Hearing date:"). The names of
private adults that a published judgment states (a company's officers, a claimant, a witness)
are public record: listing them is not a disclosure by whoever forwards the judgment.

A part of a message is such a judgment only when that structure stands at the head of the part
itself: the neutral citation in its first lines, and at least three of the four other markers
with it. A letter or an email that quotes a citation ("see Re D-S [2020] EWCA Civ 1031") opens
with its own words ("Dear ...") and is not a judgment; a judgment attached to an email is judged
as its own part. A judgment that says it was heard in private or that the anonymity of the
children must be preserved (the banner of a family court judgment) is never public record: a
copy of it with the names in is exactly what must not leave.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from .model import Finding, Segment

# The role roles.py gives a name no case file knows and no other role explains, in such a judgment.
PUBLIC_RECORD = "public-record"

# Where the heading block stands: the first characters of a part's visible text.
_HEAD = 3000
_CITATION_REACH = 1500  # the neutral citation within this much of the part's start
# "Neutral Citation Number: [2020] EWCA Civ 1031", "Neutral citation number [2020] EWCA (Civ) 1503".
_NEUTRAL_CITATION = regex.compile(
    r"Neutral\s+Citation(?:\s+(?:Number|No\.?))?\s*:?\s*\[\d{4}\]\s*(?:EWCA|EWHC|EWFC|UKSC|UKPC|UKUT|EWCOP|UKFTT"
    r"|EWCC|JRC|GRC|JCA|NICA|NIQB|CSIH|CSOH)\b",
    regex.IGNORECASE,
)
_MARKERS = (
    # "Case No: B4/2020/0962", "Case Nos: A3/2019/2341 and ..."
    regex.compile(r"\bCase\s+(?:No|Number)s?\.?\s*:?\s*[A-Z]{0,3}\d", regex.IGNORECASE),
    # "IN THE COURT OF APPEAL (CIVIL DIVISION)", "IN THE HIGH COURT OF JUSTICE": the heading in capitals.
    regex.compile(r"\bIN\s+THE\s+(?:[A-Z’']+\s+){0,4}COURT\b"),
    # "Before : LORD JUSTICE BAKER", "Before: THE MASTER OF THE ROLLS": the bench.
    regex.compile(
        r"\bBefore\s*:\s*(?:THE\s+)?(?:HON(?:OURABLE)?\.?\s+)?(?:LORD|LADY|MR|MRS|MS|SIR|DAME|PRESIDENT|MASTER|HIS|HER"
        r"|HHJ|DISTRICT|DEPUTY|JUDGE|RECORDER|BARONESS|CHANCELLOR|VICE|BAILIFF|DEPUTY\s+BAILIFF|COMMISSIONER)\b",
        regex.IGNORECASE,
    ),
    # "Approved Judgment", "Judgment Approved by the court for handing down", "Hearing date: ...".
    regex.compile(
        r"\bApproved\s+(?:Costs\s+)?Judgment\b|\bJudgment\s+Approved\b|\bhanded\s+down\b|\bHearing\s+dates?\s*:",
        regex.IGNORECASE,
    ),
)
_MARKERS_NEEDED = 3
# The banner of a judgment heard in private: its names are never public record.
_PRIVATE = regex.compile(
    r"\b(?:delivered|heard|given|held)\s+in\s+private\b|\banonymity\s+of\s+the\s+(?:child|children|family|parties)"
    r"|\breporting\s+restrictions?\s+(?:order\s+)?(?:apply|applies|are\s+in\s+force|is\s+in\s+force)"
    r"|\bsubject\s+to\s+(?:a\s+)?reporting\s+restrictions?|\bmust\s+(?:not\s+be\s+identified|be\s+strictly\s+preserved)",
    regex.IGNORECASE,
)
# Text a reader of the part sees as the part's own words: not the message's headers, the file's
# properties or its name.
_NOT_CONTENT = frozenset({"email-header", "file-name", "metadata", "link"})


def _parts(segments: Sequence[Segment]) -> dict[tuple[str, ...], list[int]]:
    """The visible text segments of each part (the outer document, each attachment), in order."""
    parts: dict[tuple[str, ...], list[int]] = {}
    for i, seg in enumerate(segments):
        if not seg.hidden and seg.kind not in _NOT_CONTENT:
            parts.setdefault(seg.container, []).append(i)
    return parts


def is_published_judgment(head: str) -> bool:
    """The heading block of a published judgment at the start of ``head`` (a part's first text)."""
    citation = _NEUTRAL_CITATION.search(head[:_CITATION_REACH])
    if citation is None:
        return False
    return sum(1 for marker in _MARKERS if marker.search(head)) >= _MARKERS_NEEDED


def judgment_segments(segments: Sequence[Segment], heard_in_private_too: bool = False) -> frozenset[int]:
    """The visible segments of every part that is a published judgment: only those heard in public,
    unless ``heard_in_private_too`` (a judgment's own citation data, such as the lower courts' case
    numbers in its heading, is public in either)."""
    out: set[int] = set()
    for indices in _parts(segments).values():
        head = ""
        for i in indices:
            head += segments[i].text + "\n\n"
            if len(head) >= _HEAD:
                break
        if not is_published_judgment(head[:_HEAD]):
            continue
        if not heard_in_private_too and any(_PRIVATE.search(segments[i].text) for i in indices):
            continue
        out.update(indices)
    return frozenset(out)


def public_judgment_segments(segments: Sequence[Segment]) -> frozenset[int]:
    """The visible segments of every part that is a published judgment heard in public."""
    return judgment_segments(segments)


def public_record_note(findings: Sequence[Finding]) -> str | None:
    """What the verdict says when names were taken as a published judgment's public record
    (how many, never which)."""
    names = sum(1 for f in findings if f.person_role == PUBLIC_RECORD)
    if not names:
        return None
    return (f"a published court judgment heard in public: {names} mention(s) of people no case file knows are "
            "taken as its public record, not as personal data to check (any other detail is still checked)")
