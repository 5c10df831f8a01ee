"""Patterns opening with ``(?<![A-Za-z0-9])`` and a common letter are scanned in a consuming form.

``patterns._consuming_start`` rewrites them as ``[^A-Za-z0-9]\\K`` plus the body, with the body
alone tried at offset 0 (issue 19: about 2x faster for NINO, UPN and the lower-case postcode).
Checked here against the lookbehind form on identifiers glued to every kind of neighbour, at the
text's start and end and back to back.
"""

from __future__ import annotations

import random

import regex

from disclosureguard.detect import Detector
from disclosureguard.detect.patterns import _spans


def _rewritten():
    stage = Detector(model=None)._stage
    return [a for a in stage._alternatives if a.at_text_start is not None]


def test_the_costly_identifier_patterns_are_rewritten():
    assert {a.name for a in _rewritten()} >= {"nino", "upn", "postcode-lower"}


def test_the_rewritten_patterns_find_what_the_lookbehind_form_finds():
    values = ["AB123456C", "ab 12 34 56 c", "QQ-12-34-56-D", "A123456789012", "a12345678901z",
              "sw1a 1aa", "m1 1ae", "ec1a1bb", "b33 8th", "nino", "upn", "x", "12", "s"]
    neighbours = ["", "", " ", "-", "_", "1", "a", "Z", "é", "\u0301", "'", ".", "\n", "\t", "(", "/", "\u00a0"]
    rnd = random.Random(19)
    texts = ["".join(rnd.choice(neighbours) + rnd.choice(values) + rnd.choice(neighbours) for _ in range(6))
             for _ in range(4000)]
    texts += [v + w for v in values for w in values]  # back to back, and at offset 0
    found = 0
    for alt in _rewritten():
        reference = regex.compile(r"(?<![A-Za-z0-9])" + alt.at_text_start.pattern, alt.compiled.flags)
        for text in texts:
            text = text.lower() if alt.on_lower else text
            expected = [m.span() for m in reference.finditer(text)]
            assert list(_spans(alt, text, 5.0)) == expected, (alt.name, text)
            found += len(expected)
    assert found > 3000  # the texts do hold identifiers, found by both
