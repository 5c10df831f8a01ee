"""Keep matched values out of text meant for operators: locations, error parts, messages.

A location names the attachment a finding stands in, and an attachment may be named after
the child ("Lily Smith 943 476 5919.pdf"). Where text for an operator would carry a matched
value that way, the quoted name is replaced; where the value stands unquoted (an error's
part is the bare attachment name), the whole text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WITHHELD_NAME = "[a name holding personal data]"
WITHHELD_PART = "a part whose name holds personal data"
# A name as Document.walk and the policy quote it: after "attachment " or "part ", in repr().
_QUOTED = re.compile(r"(?:(?<=attachment )|(?<=part ))(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
_NON_WORD = re.compile(r"[\W_]+")
_MIN_VALUE = 3  # shorter values ("JE", "A") would mask every location


def _fold(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def folded_values(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v for v in (_fold(x) for x in values) if len(v) >= _MIN_VALUE)


def mask(text: str, values: frozenset[str], *, whole: bool = True) -> str:
    """``text`` without any of the (folded) ``values``.

    Quoted names holding a value are replaced by a placeholder. If a value is still there
    and ``whole`` is true, the whole text is replaced; with ``whole`` false (a message a
    person wrote for a person) it is kept as it is.
    """
    if not values or not any(v in _fold(text) for v in values):
        return text
    masked = _QUOTED.sub(lambda m: WITHHELD_NAME if any(v in _fold(m.group()) for v in values) else m.group(), text)
    if whole and any(v in _fold(masked) for v in values):
        return WITHHELD_PART
    return masked
