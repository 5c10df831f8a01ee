"""Keep matched values and names from the input out of text meant for operators.

A place names the attachments a finding stands in, and an attachment may be named after the
child ("Lily Smith 943 476 5919.pdf"). :func:`place_words` is the one way a place becomes
words: every output (the text and JSON verdicts, milter replies, audit records, batch reports,
the desk) goes through it. It knows each name by its position in the place (a container name,
the header or property name), not by reading the words back.

Names taken from the input (part, member and attachment names, titles) can hold personal
data that was never a finding: a part nothing scanned, an attachment that could not be read.
:func:`scrub` masks those whether or not they were findings: anything a recogniser of the
catalogue matches, any name on the frequency lists, any run of six or more digits. A name
that still carries a matched value after that is withheld whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol


class Place(Protocol):
    """What masking reads of a place (``model.Place``): its containers' names and the
    extractor's words. A protocol, not an import, so model can mask with this module."""

    @property
    def container(self) -> tuple[str, ...]: ...

    @property
    def where(self) -> str: ...

WITHHELD_NAME = "[a name holding personal data]"
WITHHELD_PART = "a part whose name holds personal data"
_NON_WORD = re.compile(r"[\W_]+")
_MIN_VALUE = 3  # shorter values ("JE", "A") would mask every location


def _fold(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


def folded_values(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v for v in (_fold(x) for x in values) if len(v) >= _MIN_VALUE)


def holds(text: str, values: frozenset[str]) -> bool:
    """Whether ``text`` carries one of the (folded) ``values``."""
    return bool(values) and any(v in _fold(text) for v in values)


def mask(text: str, values: frozenset[str]) -> str:
    """``text``, or :data:`WITHHELD_PART` if it carries one of the (folded) ``values``."""
    return WITHHELD_PART if holds(text, values) else text


def place_words(place: Place, withheld: frozenset[str] | None = None) -> str:
    """The place in words: "attachment 'bundle.zip', attachment 'letter.docx', footnote 1".

    ``withheld=None``: as it is, for a reader who may see the values. Otherwise (the folded
    matched values an output must not show) each container name is scrubbed and replaced by
    :data:`WITHHELD_NAME` if it still carries a value; the extractor's words likewise (they
    can quote a sheet's or a property's name), replaced whole by :data:`WITHHELD_PART`."""
    if withheld is None:
        return "".join(f"attachment {name!r}, " for name in place.container) + place.where
    names = "".join(f"attachment {_quoted(name, withheld)}, " for name in place.container)
    return names + scrub(place.where, withheld)


def _quoted(name: str, withheld: frozenset[str]) -> str:
    shown = name_words(name, withheld)
    return shown if shown == WITHHELD_NAME else repr(shown)


def name_words(name: str, withheld: frozenset[str] = frozenset()) -> str:
    """A name taken from the input standing alone (a source path, a part that could not be
    read, a header name): scrubbed, and withheld whole if it still carries a value."""
    shown = scrub(name)
    return WITHHELD_NAME if holds(shown, withheld) else shown


def path_words(path: str) -> str:
    """A path the operator gave, or a member's path in an archive: scrubbed. Not withheld for
    carrying a matched value, unlike a name inside a document: a file is named by whoever
    filed it, and "leaflet-domestic-abuse.txt" is the name of a leaflet that mentions abuse."""
    return scrub(path)


def message_words(message: str, places: Sequence[Place], parts: Iterable[str], withheld: frozenset[str],
                  keep: Iterable[str] = ()) -> str:
    """A reason's message for an output without values. The message names its findings'
    places and the problems' parts as words; each is put back masked by its position
    (:func:`place_words`, :func:`name_words`), longest first so a place is never half
    replaced. Then the rest is scrubbed; a value still in it is kept (a sentence a person
    reads: its places are already masked), and ``keep`` (the recipients named on purpose) stays."""
    swaps: dict[str, str] = {}
    for place in places:
        swaps.setdefault(place_words(place), place_words(place, withheld))
    for part in parts:
        if part:
            swaps.setdefault(repr(part), _quoted(part, withheld))
            swaps.setdefault(part, name_words(part, withheld))
    said = [s for s in sorted(swaps, key=len, reverse=True) if s and s in message]
    if said:  # one pass: a masked place is never read again as another's words
        message = re.sub("|".join(map(re.escape, said)), lambda m: swaps[m.group()], message)
    return scrub(message, keep=keep)


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
            from .detect.patterns import PatternStage

            stage = PatternStage(list(load_catalogue(())))

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
