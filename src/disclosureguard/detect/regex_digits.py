"""Whether every match of a regular expression holds a decimal digit, read from its syntax.

Most of the catalogue's patterns (NHS numbers, phone numbers, postcodes, dates) cannot match
a text with no digit in it, and most paragraphs of a letter have none: the pattern stage
skips those patterns on such a text instead of running each one to find nothing. The answer
comes from the expression's parse tree (Python's own parser, which reads the ``regex``
module's version-0 syntax the same way) and errs one way only: True only when a match
without a digit is impossible; a syntax it does not know (``\\p{..}``, ``\\m``, ``\\K``) or a
construct it cannot see into gives False, and the pattern is then always run.
"""

from __future__ import annotations

import re._constants as _c  # Python's own regular-expression parser (3.11+)
import re._parser as _parser
import unicodedata
from typing import Any

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT}
_LARGEST_RANGE_READ = 256  # a wider character range is not read through: taken as "may be no digit"


def needs_a_digit(source: str) -> bool:
    """True when every string ``source`` matches contains a decimal digit (Unicode Nd)."""
    try:
        tree = _parser.parse(source)
    except Exception:  # the regex module's own syntax, unknown to Python's parser
        return False
    return _sequence(list(tree))


def _sequence(items: list[tuple[Any, Any]]) -> bool:
    return any(_item(op, av) for op, av in items)


def _item(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:
        return _is_digit(av)
    if op is _c.IN:
        return _digits_only(av)
    if op in _REPEATS:
        low, _high, sub = av
        return low >= 1 and _sequence(list(sub))
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is _c.BRANCH:
        _, branches = av
        return all(_sequence(list(b)) for b in branches)
    if op is _c.ASSERT:  # a lookaround that must succeed: what it needs is in the text too
        _, sub = av
        return _sequence(list(sub))
    return False  # ANY, AT, ASSERT_NOT, NOT_LITERAL, GROUPREF, CATEGORY outside a set ...


def _digits_only(members: list[tuple[Any, Any]]) -> bool:
    """A character set every character of which is a decimal digit."""
    if not members:
        return False
    for op, av in members:
        if op is _c.NEGATE:
            return False
        if op is _c.LITERAL:
            if not _is_digit(av):
                return False
        elif op is _c.RANGE:
            low, high = av
            if high - low >= _LARGEST_RANGE_READ or not all(_is_digit(c) for c in range(low, high + 1)):
                return False
        elif op is _c.CATEGORY:
            if av is not _c.CATEGORY_DIGIT:
                return False
        else:
            return False
    return True


def _is_digit(code: int) -> bool:
    return unicodedata.category(chr(code)) == "Nd"
