"""The regex module's own escapes, replaced so that Python's parser can read an expression.

Two readers of the catalogue's expressions (regex_literals.py, regex_separators.py) parse
them with Python's own parser, which does not know the ``regex`` module's properties
(``\\p{..}``, ``\\P{..}``), word-edge assertions (``\\m``, ``\\M``) or match-start reset
(``\\K``). Each reader says what to put in their place for its own question; this walks the
expression once, other escapes and character sets included, and hands each such escape over
with whether it stands in a set and whether that set is negated.
"""

from __future__ import annotations

from collections.abc import Callable

# (the escape as written, inside a set, the set negated) -> what to write instead; None: give up.
Replace = Callable[[str, bool, bool], str | None]


def in_python_syntax(source: str, replace: Replace) -> str | None:
    """``source`` with each of the regex module's own escapes replaced, or None if ``replace``
    gives up on one (or a property is not closed)."""
    out: list[str] = []
    i, n = 0, len(source)
    in_set = negated = False
    set_start = 0
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            nxt = source[i + 1]
            end = i + 2
            if nxt in "pP" and i + 2 < n and source[i + 2] == "{":
                close = source.find("}", i + 3)
                if close < 0:
                    return None
                end = close + 1
            elif nxt not in "mMK" or in_set:
                out.append(source[i:end])  # any other escape, kept as it is
                i = end
                continue
            replacement = replace(source[i:end], in_set, negated)
            if replacement is None:
                return None
            out.append(replacement)
            i = end
            continue
        if not in_set and c == "[":
            in_set, set_start = True, i
            negated = source.startswith("^", i + 1)
        elif in_set and c == "]" and i > set_start + 1 + negated:  # "[]..." and "[^]...": a literal ]
            in_set = False
        out.append(c)
        i += 1
    return "".join(out)
