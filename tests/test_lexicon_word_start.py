"""The special-category lexicon finds a phrase only where a word starts, not after a hyphen.

Its regex opens with ``\\m(?<!-)`` (issue 19: faster than the lookbehind alone); for phrases that
start with a word character that is the same rule as ``(?<![\\w-])``. Checked against that form
on letters' words glued to every kind of neighbour.
"""

from __future__ import annotations

import random

import regex

from disclosureguard.detect import Detector


def test_the_lexicon_matches_where_the_lookbehind_form_does():
    stage = Detector(model=None)._stage
    (lexicon,) = [a.compiled for a in stage._alternatives if a.name == "special_category-lexicon"]
    assert lexicon.pattern.startswith(r"\m(?<!-)")
    reference = regex.compile(r"(?<![\w-])" + lexicon.pattern[len(r"\m(?<!-)"):])
    words = ["schizophrenia", "criminal convictions", "conviction", "asylum", "pregnant", "hiv", "autism",
             "domestic abuse", "self-harm", "mosque", "trade union", "sexual orientation"]
    neighbours = ["", " ", "-", "_", "1", "é", "\u0301", "'", ".", "\n", "(", "/", "\u00a0", "x", "s", "es"]
    rnd = random.Random(19)
    texts = ["".join(rnd.choice(neighbours) + rnd.choice(words) + rnd.choice(neighbours) for _ in range(5))
             for _ in range(3000)]
    found = 0
    for text in texts:
        expected = [m.span() for m in reference.finditer(text)]
        assert [m.span() for m in lexicon.finditer(text)] == expected, text
        found += len(expected)
    assert found > 1000  # the texts do hold phrases, found by both


def test_trying_the_lexicon_only_at_first_words_finds_what_finditer_finds():
    # The stage tries the expression only where a phrase's first word stands (issue 19).
    from pathlib import Path

    from disclosureguard.detect import patterns

    stage = Detector(model=None)._stage
    (alt,) = [a for a in stage._alternatives if a.name == "special_category-lexicon"]
    assert alt.first_words is not None and {"women", "autism", "autisms", "s"} <= alt.first_words
    words = ["schizophrenia", "criminal convictions", "conviction", "asylum seekers", "pregnant", "autism",
             "women's refuge", "down's syndrome", "s.47 enquiry", "s. 47", "at risk", "care order",
             "care-order", "care,\norder", "mental health", "allergies", "child in need", "looked-after"]
    neighbours = ["", " ", "-", "_", "1", "é", "\u0301", "'", ".", "\n", "(", "/", "s", "es", "x", "\x00"]
    rnd = random.Random(7)
    texts = ["".join(rnd.choice(neighbours) + rnd.choice(words) + rnd.choice(neighbours) for _ in range(8))
             for _ in range(3000)]
    samples = Path(__file__).resolve().parent.parent / "samples"
    texts += [f.read_text(errors="replace").lower() for f in sorted(samples.rglob("*.txt"))]
    found = 0
    for text in texts:
        expected = [m.span() for m in alt.compiled.finditer(text)]
        assert list(patterns._spans(alt, text, 10.0)) == expected, text
        found += len(expected)
    assert found > 3000
