"""Strings one of which every match of a regular expression contains, read from its syntax.

A pattern like the house-name address cannot match a paragraph that holds none of
"Cottage", "House", "Farm"...; most paragraphs of a letter hold none, and running the
regular expression to find nothing cost more than half of the pattern stage (issue 19).
Looking for a few plain strings first (``str.__contains__``, a C loop) is far cheaper. The
answer comes from the expression's parse tree (Python's own parser, which reads the
``regex`` module's version-0 syntax the same way) and errs one way only: a pattern gets
strings only when no match without one of them is possible; a syntax the parser does not
know (``\\p{..}``, ``\\m``, ``\\K``) or a construct it cannot see into gives no strings, and
the pattern is then always run.

A lookaround that must hold counts too: what it needs is in the text (the scan is of one
text, so a lookbehind's words are in that text). Under ``(?i)`` the strings are compared
case-folded (``str.casefold`` on both sides, ASCII strings only, so that the ``regex``
module's case-insensitive matches of the long s or the Kelvin sign still count).
"""

from __future__ import annotations

import re
import re._constants as _c  # Python's own regular-expression parser (3.11+)
import re._parser as _parser
from dataclasses import dataclass, field, replace
from typing import Any

from .regex_syntax import in_python_syntax

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT}
_LARGEST_SET = 8  # a character set of more characters than this is not worth looking for
_MOST_STRINGS = 64  # more alternatives than this: the look-up would cost as much as the scan
_FEW_STRINGS = 4  # up to this many, a loop of ``in`` is quicker than a regular expression


@dataclass(frozen=True)
class Needs:
    """Every match contains one of ``strings``; compared case-folded when ``folded``."""

    strings: frozenset[str]
    folded: bool
    # Many strings (the street words) are looked for in one pass of Python's own engine, three
    # times faster than a loop of ``in``; an alternation of plain strings cannot backtrack.
    finder: re.Pattern[str] | None = field(default=None, compare=False)

    def absent_from(self, haystack: str) -> bool:
        """True when ``haystack`` (the text, or its ``casefold()`` when ``folded``) holds none
        of the strings: the pattern cannot match the text."""
        if self.finder is not None:
            return self.finder.search(haystack) is None
        return not any(s in haystack for s in self.strings)


def required_strings(source: str) -> Needs | None:
    """What every match of ``source`` must contain, or None when that cannot be told."""
    widened = in_python_syntax(source, _widened)
    if widened is None:
        return None
    try:
        tree = _parser.parse(widened)
    except Exception:  # a syntax Python's parser does not know
        return None
    folded = bool(tree.state.flags & _c.SRE_FLAG_IGNORECASE)
    needs = _sequence(list(tree), folded)  # only strings worth looking for (_worth)
    if needs is None or len(needs.strings) > _MOST_STRINGS:
        return None
    if len(needs.strings) <= _FEW_STRINGS:
        return needs
    return replace(needs, finder=re.compile("|".join(re.escape(s) for s in sorted(needs.strings))))


def _widened(escape: str, in_set: bool, negated: bool) -> str | None:
    """What matches at least as much as one of the regex module's own escapes, so that the
    strings still hold: a property ``\\p{..}`` or ``\\P{..}`` becomes any character (outside a
    set) or every character (inside one); the word-edge assertions ``\\m`` and ``\\M`` and
    the match-start ``\\K`` become nothing. A property in a negated set is not widened."""
    if escape[1] in "pP":
        if in_set and negated:
            return None
        return r"\s\S" if in_set else r"(?s:.)"
    return ""


def _worth(s: str) -> bool:
    """A string worth looking for: not empty, not a lone letter, digit or space."""
    return len(s) >= 2 or (len(s) == 1 and not s.isalnum() and not s.isspace())


def _rank(needs: Needs) -> tuple[int, int]:
    """Prefer the needs whose shortest string is longest, then the fewest strings."""
    return (min(len(s) for s in needs.strings), -len(needs.strings))


def _sequence(items: list[tuple[Any, Any]], folded: bool) -> Needs | None:
    """The best of what the items of a sequence need: a run of literal characters as one
    string, or any single item's needs (every item of a sequence is in every match)."""
    candidates: list[Needs] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            needs = _needs({"".join(run)}, folded)
            if needs is not None:
                candidates.append(needs)
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        needs = _item(op, av, folded)
        if needs is not None:
            candidates.append(needs)
    end_run()
    candidates = [n for n in candidates if n.strings and all(_worth(s) for s in n.strings)]
    return max(candidates, key=_rank, default=None)


def _item(op: Any, av: Any, folded: bool) -> Needs | None:
    if op in _REPEATS:
        low, _high, sub = av
        return _sequence(list(sub), folded) if low >= 1 else None
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags & _c.SRE_FLAG_IGNORECASE:
            folded = True
        elif del_flags & _c.SRE_FLAG_IGNORECASE:
            folded = False
        return _sequence(list(sub), folded)
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av), folded)
    if op is _c.BRANCH:
        _, branches = av
        parts = [_sequence(list(b), folded) for b in branches]
        if any(p is None for p in parts):
            return None
        either_folded = any(p.folded for p in parts if p is not None)
        return _needs({s for p in parts if p is not None for s in p.strings}, either_folded)
    if op is _c.ASSERT:  # a lookaround that must hold: what it needs is in the text too
        _direction, sub = av
        return _sequence(list(sub), folded)
    if op is _c.IN:
        chars = _set_chars(av)
        return _needs(set(chars), folded) if chars else None
    return None  # ANY, AT, ASSERT_NOT, NOT_LITERAL, GROUPREF, CATEGORY outside a set ...


def _needs(strings: set[str], folded: bool) -> Needs | None:
    if folded:
        if not all(s.isascii() for s in strings):
            return None  # case-folding beyond ASCII is not read through
        strings = {s.casefold() for s in strings}
    # A string that holds another of the set adds nothing: "Ave" is found wherever "Avenue" is.
    kept = {s for s in strings if not any(t != s and t in s for t in strings)}
    return Needs(frozenset(kept), folded)


def _set_chars(members: list[tuple[Any, Any]]) -> list[str] | None:
    """The characters of a small set of literals and ranges, or None."""
    chars: list[str] = []
    for op, av in members:
        if op is _c.LITERAL:
            chars.append(chr(av))
        elif op is _c.RANGE:
            low, high = av
            if high - low >= _LARGEST_SET:
                return None
            chars.extend(chr(c) for c in range(low, high + 1))
        else:  # NEGATE, CATEGORY (\d, \w ...)
            return None
        if len(chars) > _LARGEST_SET:
            return None
    return chars
