"""Keep matched values out of text meant for operators: locations, error parts, messages.

A location names the attachment a finding stands in, and an attachment may be named after
the child ("Lily Smith 943 476 5919.pdf"). Where text for an operator would carry a matched
value that way, the quoted name is replaced; where the value stands unquoted (an error's
part is the bare attachment name), the whole text is.

Names taken from the input (part, member and attachment names, titles) can hold personal
data that was never a finding: a part nothing scanned, an attachment that could not be read.
:func:`scrub` masks those whether or not they were findings: anything a recogniser of the
catalogue matches, any name on the frequency lists, any run of six or more digits.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

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


# Six or more digits, single separators allowed between them (943 476 5919, 07700-900456).
_DIGIT_RUN = re.compile(r"\d(?:[ \-./]?\d){5,}")
_DIGITS = "[digits]"
# An address in a file name ("sarah.smith@example.com.pdf") fails the catalogue's domain check.
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A capitalised word straight after a listed first name is taken as its surname ("Grace Nwosu"):
# over-masking a file name costs nothing, a surname left in it is a leak.
_NEXT_WORD = re.compile(r"[ _.\-]?(?:[A-Z][a-z'’]+|[A-Z]{2,})(?:-[A-Z][a-z'’]+)*")
# File names join words with these; the name lists read words between spaces.
_JOINERS = re.compile(r"[_'\"/\\.()\[\]{}<>+=,;:~#|]")
_Finder = Callable[[str], list[tuple[int, int, str]]]
_finder: _Finder | None = None
_finder_lock = threading.Lock()


def _recognisers() -> _Finder:
    """The catalogue's pattern stage and the name lists, built once per process on first use
    (about a second): a process that never masks a name never pays for it."""
    global _finder
    with _finder_lock:
        if _finder is None:
            from .detect import name_lists
            from .detect.catalogue import load_catalogue
            from .detect.offline import email_domain
            from .detect.patterns import PatternStage

            stage = PatternStage(list(load_catalogue(())), {"email_domain": email_domain})

            def find(text: str) -> list[tuple[int, int, str]]:
                spans = [(c.start, c.end, c.entity_type) for c in stage.scan(text) if c.entity_type != "PERSON"]
                spaced = _JOINERS.sub(" ", text)  # same length: offsets hold
                for a, b, _ in name_lists.list_names(spaced):
                    more = _NEXT_WORD.match(text, b)
                    spans.append((a, more.end() if more else b, "PERSON"))
                spans += [(m.start(), m.end(), "EMAIL_ADDRESS") for m in _EMAIL_LIKE.finditer(text)]
                return spans

            _finder = find
        return _finder


def warm() -> None:
    """Build the scrubbing recognisers now (the milter does this in a thread as it starts, so
    its first reply does not wait for them)."""
    _recognisers()


def scrub(text: str, values: frozenset[str] = frozenset(), keep: Iterable[str] = ()) -> str:
    """``text`` (a name or message built from input names) with every recogniser match, every
    listed name and every digit run of six or more replaced by a placeholder, then
    :func:`mask` of the ``values`` found. Matches equal to one of ``keep`` (the recipients'
    addresses a reason names on purpose) stay."""
    if text:
        spans = [(m.start(), m.end(), "digits") for m in _DIGIT_RUN.finditer(text)]
        if any(c.isalpha() for c in text):
            spans += _recognisers()(text)
        kept = {k.casefold() for k in keep if k}
        text = _replace(text, [s for s in spans if text[s[0] : s[1]].casefold() not in kept])
    return mask(text, values)


def scrub_message(text: str, values: frozenset[str] = frozenset(), keep: Iterable[str] = ()) -> str:
    """A reason's message: scrubbed as :func:`scrub`, but a value still in it after that does
    not replace the whole message (it is a sentence a person reads)."""
    return mask(scrub(text, keep=keep), values, whole=False)


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    last = 0
    for start, end, kind in sorted(spans):
        if start < last:  # overlapping: the earlier placeholder already covers it
            if end > last:
                last = end
            continue
        out.append(text[last:start])
        out.append(_DIGITS if kind == "digits" else f"[{kind.lower()}]")
        last = end
    out.append(text[last:])
    return "".join(out)
