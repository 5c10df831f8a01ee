"""A pattern is not run on a text that lacks every string its matches need (issue 19)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from disclosureguard.detect import Detector, patterns
from disclosureguard.detect.regex_literals import required_strings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("source", "strings", "folded"),
    [
        (r"CSC-\d{6}", {"CSC-"}, False),
        (r"\d+ (?:Road|Rd|Street)\b", {"Road", "Rd", "Street"}, False),
        (r"(?i:jan(?:uary)?|feb)\s\d", {"jan", "feb"}, True),
        (r"[\w.]+[@]\w+", {"@"}, False),
        (r"\d{2}[-\u2013]\d{2}", {"-", "\u2013"}, False),
        (r"(?<=Name:\s)\w+", {"Name:"}, False),  # a lookbehind that must hold: its words are in the text
        (r"(?:Mr|Mrs)\.? \p{Lu}\w+", {"Mr"}, False),  # "Mrs" holds "Mr": one look finds both
        (r"\mcare\M order", {"care order"}, False),
        (r"[^A-Za-z0-9]\Kab12", {"ab12"}, False),
    ],
)
def test_required_strings_reads_the_expression(source: str, strings: set[str], folded: bool) -> None:
    needs = required_strings(source)
    assert needs is not None
    assert (set(needs.strings), needs.folded) == (strings, folded)


@pytest.mark.parametrize(
    "source",
    [
        r"\d{10}",  # no string at all
        r"(?:Road|\d)x",  # a branch that needs none of them
        r"(?:Road)?\d",  # optional
        r"(?!Road)\w+",  # a lookahead that must fail needs nothing
        r"a\s*b",  # lone letters are not worth looking for
        r"(?i:stra\u00dfe)",  # case-folding beyond ASCII is not read through
        r"[^\p{L}]Road",  # a negated set holding a property: not read
        r"[",  # not an expression
    ],
)
def test_no_strings_when_a_match_may_lack_them(source: str) -> None:
    assert required_strings(source) is None


def test_a_skipped_pattern_never_matches_the_text_it_skips() -> None:
    # Every catalogue pattern with strings, on every sample text and on random mixes of its
    # own strings' neighbours: a text without the strings has no match (the skip loses nothing),
    # and texts with the long s or the Kelvin sign that (?i) matches as s and k count too.
    stage = Detector(model=None)._stage
    with_needs = [alt for alt in stage._alternatives if alt.needs is not None]
    assert {"email", "house-name-and-street", "day-month-year", "title-and-surname"} <= {a.name for a in with_needs}
    texts = [f.read_text(errors="replace") for f in sorted(SAMPLES.rglob("*")) if f.suffix in (".txt", ".eml")]
    rnd = random.Random(19)
    pieces = ["Mr ", "Dr. ", "1 ", "12/03/2014 ", "Rose Cottage, ", "La Rue du Pont ", "\u017fep ", "12 \u212aan 2020 ",
              "a@b.org ", "Jan ", "3 Mar 2012 ", "12-34-56 12345678 ", "Flat 2, 8 Seaview Terrace ", "Name: Lily "]
    texts += ["".join(rnd.choice(pieces) for _ in range(6)) for _ in range(2000)]
    skipped = 0
    for text in texts:
        view = patterns._View(text)
        for alt in with_needs:
            if view.lacks(alt):
                skipped += 1
                on = view.lower if alt.on_lower else text
                assert list(patterns._spans(alt, on, 10.0)) == [], (alt.name, text)
    assert skipped > 1000
    assert regex.search(r"(?i:sep)", "\u017fep")  # the regex module does match the long s so
