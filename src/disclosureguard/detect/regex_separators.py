"""A character a regular expression can never read: texts joined by it scan as they do apart.

The pattern stage scans every text of a document (a letter is some twenty paragraphs) with
every pattern of the catalogue; each call to the ``regex`` module costs several
microseconds before it reads a character (more with a timeout), and for short paragraphs
that was most of the pattern stage's time (issue 19). Joined into one text, one call per
pattern reads them all, and gives the same matches as the calls apart when the joining
character can never be read by the pattern: no part of it (what it consumes and what its
lookarounds look at) accepts that character, and it has no anchor (``^``, ``$``, ``\\A``,
``\\Z``) that tells the start or end of a text from a place beside the character. Then no
match can hold the character, every attempt that reaches it fails there as it would at the
end (or before the start) of a text alone, and a word boundary sees a non-word character
as it sees a text's edge. So the matches in the joined text are exactly the matches of each
text, moved by its place.

Read from the expression's parse tree (Python's own parser; the ``regex`` module's own
escapes are first replaced by constructs that accept the character exactly when they do).
The answer errs one way only: a construct not known here means "no such character", and the
pattern is scanned text by text as before.
"""

from __future__ import annotations

import re._constants as _c  # Python's own regular-expression parser (3.11+)
import re._parser as _parser
from typing import Any

import regex

from .regex_syntax import Replace, in_python_syntax

# Tried in order. None is a word character, a space, or a letter with a case; a NUL almost
# never occurs in extracted text, a line break often (the second choice, for patterns that
# read NUL but not line breaks, such as "anything but a digit or a line break").
CANDIDATES = ("\x00", "\n")

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT}
_BOUNDARIES = {_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY, _c.AT_UNI_BOUNDARY, _c.AT_UNI_NON_BOUNDARY}
_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
}


def unread_separator(source: str) -> str | None:
    """A character of CANDIDATES that ``source`` can never read, or None."""
    for sep in CANDIDATES:
        rewritten = in_python_syntax(source, _as_read_of(sep))
        if rewritten is None:
            continue
        try:
            tree = _parser.parse(rewritten)
        except Exception:  # a syntax not read here: scanned text by text
            continue
        dotall = bool(tree.state.flags & _c.SRE_FLAG_DOTALL)
        if _never_reads(list(tree), sep, dotall):
            return sep
    return None


def _as_read_of(sep: str) -> Replace:
    """How one of the regex module's own escapes stands for the question "can it read
    ``sep``": a property ``\\p{..}``/``\\P{..}`` by ``sep`` itself if it accepts ``sep``, by a
    plain letter if not (in a set, negated or not, that keeps the set's answer); ``\\m`` and
    ``\\M`` by ``\\b`` (``sep`` is not a word character, so a word's edge beside it is a word's
    edge at a text's end); ``\\K`` by nothing (it reads no character)."""

    def replace(escape: str, _in_set: bool, _negated: bool) -> str | None:
        if escape[1] in "pP":
            try:
                accepts = regex.fullmatch(escape, sep) is not None
            except regex.error:
                return None
            return regex.escape(sep) if accepts else "a"
        return r"\b" if escape[1] in "mM" else ""

    return replace


def _never_reads(items: list[tuple[Any, Any]], sep: str, dotall: bool) -> bool:
    return all(_item_never_reads(op, av, sep, dotall) for op, av in items)


def _item_never_reads(op: Any, av: Any, sep: str, dotall: bool) -> bool:
    if op is _c.LITERAL:
        return chr(av) != sep
    if op is _c.IN:
        return not _set_accepts(av, sep)
    if op is _c.ANY:
        return sep == "\n" and not dotall
    if op is _c.AT:
        return av in _BOUNDARIES  # ^, $, \A, \Z tell a text's edge from the separator
    if op in _REPEATS:
        _low, _high, sub = av
        return _never_reads(list(sub), sep, dotall)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags & _c.SRE_FLAG_DOTALL:
            dotall = True
        elif del_flags & _c.SRE_FLAG_DOTALL:
            dotall = False
        return _never_reads(list(sub), sep, dotall)
    if op is _c.ATOMIC_GROUP:
        return _never_reads(list(av), sep, dotall)
    if op is _c.BRANCH:
        _, branches = av
        return all(_never_reads(list(b), sep, dotall) for b in branches)
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        _direction, sub = av
        return _never_reads(list(sub), sep, dotall)
    # A group holds only what the pattern read, never the separator. NOT_LITERAL,
    # GROUPREF_EXISTS and anything else are taken as reading it.
    return op is _c.GROUPREF


def _set_accepts(members: list[tuple[Any, Any]], sep: str) -> bool:
    negated = False
    found = False
    code = ord(sep)
    for op, av in members:
        if op is _c.NEGATE:
            negated = True
        elif op is _c.LITERAL:
            found = found or av == code
        elif op is _c.RANGE:
            low, high = av
            found = found or low <= code <= high
        elif op is _c.CATEGORY:
            pattern = _CATEGORIES.get(av)
            if pattern is None:
                return True  # not known here: taken as accepting
            found = found or regex.fullmatch(pattern, sep) is not None
        else:
            return True
    return found != negated
