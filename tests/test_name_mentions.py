"""``NameMentions`` finds what the alternation it replaced finds (issue 19: no pattern compiled per scan).

The reference is the old ``(?<![\\w'’-])(?:longest|...|shortest)(?![\\w-])``; the texts glue name
words, their possessives, double-barrelled and prefixed forms to every kind of neighbour.
"""

from __future__ import annotations

import random

import pytest
import regex

from disclosureguard.detect import persons
from disclosureguard.detect.name_mentions import NameMentions


def _reference(words: set[str]) -> regex.Pattern[str]:
    alternation = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\w'’-])(?:{alternation})(?![\w-])")


def test_mentions_match_the_alternation_on_glued_names():
    names = ["Grace Nwosu", "Kayden Smith-Jones", "D'Arcy O'Brien", "Seán MacDonald", "Smith", "Jo Marsh",
             "Ann-Marie Smith", "Zoë Brown", "Obrien Ovens"]
    words = persons.name_words(names)
    assert {"Smith-Jones", "O'Brien", "MacDonald", "Grace", "Seán"} <= words
    pieces = [*words, "Smith", "Smiths", "SMITH", "smith", "Jones", "Brien", "O", "Mac", "Grace’s", "Ann", "Marie"]
    neighbours = ["", " ", "-", "_", "1", "'", "’", "’s", "'s", ".", "\n", "(", "/", "\u0301", "é", "x", "X", "\u00a0"]
    rnd = random.Random(19)
    texts = ["".join(rnd.choice(neighbours) + rnd.choice(pieces) + rnd.choice(neighbours) for _ in range(6))
             for _ in range(5000)]
    texts += [a + b for a in pieces for b in pieces]
    reference, ours = _reference(words), NameMentions(words)
    found = 0
    for text in texts:
        expected = [m.span() for m in reference.finditer(text)]
        assert list(ours.spans(text)) == expected, text
        found += len(expected)
    assert found > 3000  # the texts do hold mentions, found by both


def test_a_word_of_another_shape_is_refused():
    with pytest.raises(ValueError):
        NameMentions({"smith"})
