"""The closed-world byte test's "text after a tag" check counts what its regex found (issue 19).

``docx_audit._text_after_a_tag`` replaced ``re.search(rb">[ \\t\\r\\n]*[^< \\t\\r\\n]")``; compared
here on every short string over the characters that matter and on random longer ones.
"""

from __future__ import annotations

import itertools
import random
import re

from disclosureguard.extract.docx_audit import _text_after_a_tag

_REGEX = re.compile(rb">[ \t\r\n]*[^< \t\r\n]")
_ALPHABET = [b"<", b">", b" ", b"\t", b"\r", b"\n", b"a", b"/", b"\xc3"]


def test_every_short_string_agrees_with_the_regex():
    checked = with_text = 0
    for n in range(7):
        for chars in itertools.product(_ALPHABET, repeat=n):
            source = b"".join(chars)
            expected = _REGEX.search(source) is not None
            assert _text_after_a_tag(source) is expected, source
            checked += 1
            with_text += expected
    assert checked > 500_000 and 0 < with_text < checked


def test_long_strings_agree_with_the_regex():
    rnd = random.Random(19)
    pieces = [b"<w:style w:type=\"paragraph\">", b"</w:style>", b"\r\n  ", b"x", b"<w:b/>", b">", b" "]
    found = 0
    for _ in range(3000):
        source = b"".join(rnd.choice(pieces) for _ in range(rnd.randrange(60)))
        expected = _REGEX.search(source) is not None
        assert _text_after_a_tag(source) is expected, source
        found += expected
    assert 0 < found < 3000
