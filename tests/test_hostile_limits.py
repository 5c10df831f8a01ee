"""Every limit of ``Limits`` has a default and a setting, and going past it is an error in the
verdict that names it — checked end to end through the Scanner, never at extractor level only.

``time_limit`` is the one limit the Scanner cannot enforce on itself (a runaway parser cannot
be interrupted from inside its own process): the scanning pool enforces it, and
tests/test_hostile_pool.py checks it there against genuinely slow input.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import fields
from email.message import EmailMessage
from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.limits import Limits
from disclosureguard.model import Action
from docfixtures import letter_page, pdf, zip_of

EXTERNAL = "someone@example.com"
INTERNAL = "colleague@gov.je"
ENFORCED_BY_THE_POOL = {"time_limit": "tests/test_hostile_pool.py::test_time_limit_setting_is_what_the_pool_enforces"}
ENFORCED_BY_OCR = {  # a scanned page is needed, and OCR's problems come with the page's own
    "ocr_max_pages": "tests/test_ocr.py::test_pages_past_the_ocr_page_limit_are_a_limit_problem",
    "ocr_page_time_limit": "tests/test_ocr.py::test_a_page_over_the_per_page_time_limit_is_a_timeout_problem",
}


def _whitespace(size: int) -> bytes:
    """Text that compresses only about 5:1 and holds no words: costs the detector nothing."""
    return bytes(random.Random(size).choices(b" \t\n", k=size))


def _nested_zips(levels: int) -> bytes:
    data = b"Dear Mr Jones,"
    for level in range(levels):
        data = zip_of({f"level{level}.zip" if level else "letter.txt": data})
    return data


def _email_with_attachments(count: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "sam.worker@gov.je"
    msg["Subject"] = "notes"
    msg.set_content("Please see attached.")
    for n in range(1, count + 1):
        msg.add_attachment(f"part {n}".encode(), maintype="text", subtype="plain", filename=f"a{n}.txt")
    return msg.as_bytes()


# limit -> (a setting it goes past, the input, the file name)
CASES: dict[str, tuple[Limits, Callable[[], bytes], str]] = {
    "max_bytes": (Limits(max_bytes=1_000), lambda: b"Dear Mr Jones,\n" * 100, "letter.txt"),
    "max_decompressed_bytes": (
        Limits(max_decompressed_bytes=100_000),
        lambda: zip_of({"notes.txt": _whitespace(200_000)}),
        "bundle.zip",
    ),
    "max_compression_ratio": (
        Limits(max_compression_ratio=2.0),
        lambda: zip_of({"notes.txt": _whitespace(1_500_000)}),
        "bundle.zip",
    ),
    "max_pages": (Limits(max_pages=2), lambda: pdf(letter_page, pages=3), "report.pdf"),
    "max_parts": (Limits(max_parts=3), lambda: _email_with_attachments(4), "message.eml"),
    "max_depth": (Limits(max_depth=1), lambda: _nested_zips(3), "bundle.zip"),
    "max_text_chars": (Limits(max_text_chars=1_000), lambda: b"Dear Mr Jones, " * 400, "letter.txt"),
}


def _scanner(smith_cases: Path, samples: Path, limits: Limits) -> Scanner:
    return Scanner(cases=str(smith_cases), policy=str(samples / "policy.yaml"), model=None, limits=limits)


def test_every_limit_has_a_default_and_an_end_to_end_test():
    assert set(CASES) | set(ENFORCED_BY_THE_POOL) | set(ENFORCED_BY_OCR) == set(Limits.names())
    for f in fields(Limits):
        assert getattr(Limits(), f.name) > 0, f"{f.name} has no sensible default"


@pytest.mark.parametrize("limit", sorted(CASES))
def test_going_past_a_limit_is_an_error_naming_it_and_never_allow(limit: str, smith_cases: Path, samples: Path):
    setting, build, name = CASES[limit]
    data = build()
    verdict = _scanner(smith_cases, samples, setting).scan(data, [EXTERNAL, INTERNAL], name=name)
    assert [e.cause for e in verdict.errors] == ["limit"], verdict.errors
    assert limit in verdict.errors[0].message
    decisions = {rv.recipient.address: rv.decision for rv in verdict.recipients}
    assert decisions == {EXTERNAL: Action.BLOCK, INTERNAL: Action.WARN}
    assert {r.rule for r in verdict.reasons} == {"unscannable", "unscannable-internal"}


@pytest.mark.parametrize("limit", sorted(CASES))
def test_the_same_input_under_the_default_limits_has_no_error(limit: str, smith_cases: Path, samples: Path):
    _, build, name = CASES[limit]
    verdict = _scanner(smith_cases, samples, Limits()).scan(build(), [EXTERNAL], name=name)
    assert verdict.errors == ()
