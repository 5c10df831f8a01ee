"""Patterns that cannot match without a digit are not run on a text with none (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from disclosureguard import Scanner
from disclosureguard.detect import patterns
from disclosureguard.detect.regex_digits import needs_a_digit

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("source", "needs"),
    [
        (r"\d{3}", True),
        (r"[0-9]+", True),
        (r"[A-Z]{2}\d{6}[A-D]", True),
        (r"(?:1|2)x", True),
        (r"x?\d", True),
        (r"(?i:[a-z]+ \d)", True),
        (r"(?=\d)\w+", True),  # a lookahead that must hold: the digit is in the text
        (r"(\d)\1", True),
        (r"[٠-٩]", True),  # Arabic-Indic digits are decimal digits too
        (r"[0-9]*", False),  # may match empty
        (r"a|1", False),  # one branch has none
        (r"\w+", False),
        (r"(?!\d)\w", False),
        (r"[^0-9]", False),
        (r"\D", False),
        (r"[\d ]+", False),
        (r"^$", False),
        (r"\p{Lu}\d", False),  # the regex module's own syntax: not read, so always run
        (r"[^A-Za-z0-9]\K\d", False),
        (r"[", False),  # not an expression at all
    ],
)
def test_needs_a_digit_reads_the_expression(source: str, needs: bool) -> None:
    assert needs_a_digit(source) is needs


def test_no_pattern_said_to_need_a_digit_matches_text_without_one() -> None:
    # Every sample text with its digits taken out (and with digits turned into letters that
    # look like them): the patterns skipped on such texts find nothing in them when run.
    stage = Scanner(cases=str(SAMPLES / "cases"), policy=str(SAMPLES / "policy.yaml"), model=None).detector._stage
    skipped = [alt for alt in stage._alternatives if alt.digit]
    assert {"nhs-ten-digits", "uk-phone", "postcode", "nino", "numeric-date"} <= {alt.name for alt in skipped}
    texts = [f.read_text(errors="replace") for f in sorted(SAMPLES.rglob("*")) if f.suffix in (".txt", ".eml", ".yaml")]
    assert len(texts) > 10
    digit = regex.compile(r"\d")
    lookalike = dict(zip("0123456789", "OIZEASGTBg", strict=True))
    for text in texts:
        shaped = digit.sub(lambda m: lookalike.get(m.group(), "O"), text)
        for variant in (digit.sub("", text), shaped, digit.sub(" ", text)):
            assert not digit.search(variant)
            for alt in skipped:
                for on in (variant, variant.lower()):
                    assert list(patterns._spans(alt, on, 10.0)) == [], alt.name


def test_a_text_without_digits_is_scanned_by_the_other_patterns_alone() -> None:
    stage = Scanner(cases=str(SAMPLES / "cases"), policy=str(SAMPLES / "policy.yaml"), model=None).detector._stage
    found = {c.recogniser for c in stage.scan("Mrs Patel said Lily has a learning disability; email a.b@example.org")}
    assert {"special_category-lexicon", "email"} <= found
    with_digits = {c.recogniser for c in stage.scan("NHS number 943 476 5919, phone 07700 900456")}
    assert {"nhs-ten-digits", "uk-phone"} <= with_digits
