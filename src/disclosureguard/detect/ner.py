"""Names from spaCy's NER: the model loaded once, only the components NER needs, texts batched.

In spaCy's small English pipeline the ``ner`` component has its own embedding layer, so
tok2vec, tagger, parser, lemmatizer and the rest are excluded: they cost time and add
nothing to entities. Small texts are joined into one document (fewer calls, better use of
the model); long texts are cut into overlapping windows under the model's ``max_length`` so
that memory stays bounded and no entity is lost at a cut. A text met twice in one call (a
mail's plain and HTML bodies say the same) is read once.

Stretches that cannot hold a name are blanked before the model sees them (two kinds below). The model's cost
is per token, and text like ``1-1-1-...`` or ``a.a-a.a`` is a token per character (five
times prose); 150 KB of it took 24 s and 1.7 GB. A name needs a word of two letters or
more, so a long run with no two adjacent letters is turned into spaces (offsets kept; a
run of spaces is one token). A margin at each end stays, so an initial before a surname
("J. Smith") still reaches the model with its context.

The other kind is a long run of words with no capital letter and no digit, the body of
most prose sentences ("...visited the home and found the arrangements settled..."): the
model finds names by their capitals and never tags a word deep inside such a run. Its
middle is blanked, keeping LOWER_MARGIN words at each end: the model's window reaches four
tokens either side, so every capitalised word still sees exactly the context it had, and
entities are what they were. On real Ofsted reports this is about a quarter of the text;
on letters, where names and dates are dense, almost none.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..errors import ConfigError

JOIN_TARGET = 20_000  # characters per joined document of small texts
WINDOW = 50_000  # characters per window of a long text
OVERLAP = 1_000  # characters shared by neighbouring windows
SEPARATOR = "\n\n"
BATCH_SIZE = 4  # documents per nlp.pipe batch: at most ~200,000 characters in memory at once
# A run of characters none of which is a letter next to another letter: digits, punctuation,
# spaces, lone letters.
_NAMELESS = re.compile(r"(?:(?<![^\W\d_])[^\W\d_](?![^\W\d_])|[\W\d_])+")
BLANK_MIN = 64  # shorter nameless runs (a date, a phone number, "J. K.") stay as they are
BLANK_MARGIN = 8  # characters kept at each end of a blanked run
# A run of words none of which holds an upper- or titlecase letter or a digit.
_LOWER_RUN = regex.compile(r"(?<!\S)(?:[^\s\p{Lu}\p{Lt}\p{N}]+\s+)+[^\s\p{Lu}\p{Lt}\p{N}]+(?!\S)")
# The same runs in an ASCII text, by Python's own engine (twice as fast; its \s would also
# take \x1c-\x1f, so the regex module's ASCII white space is spelled out).
_SPACE_ASCII, _NOT_SPACE_ASCII = r"[\t\n\x0b\x0c\r ]", r"[^\t\n\x0b\x0c\r ]"
_LOWER_ASCII = r"[^\t\n\x0b\x0c\r A-Z0-9]"  # not a space, a capital or a digit
_LOWER_RUN_ASCII = re.compile(
    rf"(?<!{_NOT_SPACE_ASCII})(?:{_LOWER_ASCII}+{_SPACE_ASCII}+)+{_LOWER_ASCII}+(?!{_NOT_SPACE_ASCII})"
)
_WORD = re.compile(r"\S+")
LOWER_MARGIN = 6  # words kept at each end of a blanked lower-case run (the model sees 4 tokens each side)
LOWER_MIN = 2 * LOWER_MARGIN + 4  # shorter runs stay whole: blanking them would save little


@dataclass(frozen=True)
class Entity:
    text_index: int
    start: int
    end: int
    label: str


def load_pipeline(name: str) -> Any:
    """spaCy's pipeline ``name`` with only NER running. Never downloads anything."""
    import spacy

    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise ConfigError("model", name, "an installed spaCy pipeline")
    try:
        nlp = _load_without_plugins(spacy, name)
    except (OSError, ImportError, ValueError) as exc:
        raise ConfigError("model", name, f"an installed spaCy pipeline ({exc.__class__.__name__})") from None
    if "ner" not in nlp.pipe_names:
        raise ConfigError("model", name, "a spaCy pipeline with an 'ner' component")
    keep = {"tok2vec", "ner"} if _ner_listens_to_tok2vec(nlp) else {"ner"}
    for pipe in list(nlp.pipe_names):
        if pipe not in keep:
            nlp.remove_pipe(pipe)
    nlp.max_length = max(nlp.max_length, WINDOW + OVERLAP + 10)
    return nlp


_PLUGINS_LOCK = threading.Lock()


def _load_without_plugins(spacy: Any, name: str) -> Any:
    """``spacy.load(name)`` without importing the packages that offer spaCy components.

    Building a pipeline, spaCy imports every package that registers a component factory by
    entry point, needed or not. Presidio registers one (a Hugging Face pipe this project
    never uses), and importing presidio_analyzer for it cost 0.9 s of every start, the
    command's and each scanning worker's. The model's own components are spaCy's; a pipeline
    that names a component from another package is loaded again the usual way.
    """
    factories = getattr(spacy.util.registry, "_entry_point_factories", None)
    if factories is None or getattr(factories, "entry_points", None) is not True:
        return spacy.load(name)  # not the spaCy this was written for: its own way
    with _PLUGINS_LOCK:
        factories.entry_points = False
        try:
            return spacy.load(name)
        except ValueError as exc:
            if "[E002]" not in str(exc):  # anything but "no such factory" is the model's own fault
                raise
        finally:
            factories.entry_points = True
    return spacy.load(name)  # a component from another package: with the entry points this time


def _ner_listens_to_tok2vec(nlp: Any) -> bool:
    """True when ``ner`` uses the shared tok2vec layer (then it must run too)."""
    ner_model = nlp.get_pipe("ner").model
    return any(node.name.startswith("tok2vec-listener") for node in ner_model.walk())


@dataclass(frozen=True)
class _Piece:
    """A stretch of one text inside one spaCy document."""

    text_index: int
    text_start: int  # where the stretch begins in its text
    doc_start: int  # where it begins in the document
    length: int
    own_from: int  # this piece reports entities starting in [own_from, own_to) of its text
    own_to: int


def blank_nameless(text: str) -> str:
    """``text`` with the inside of each long run that cannot hold a name replaced by spaces."""
    return _blank(_blank(text, _nameless_runs(text)), _lower_case_runs(text))


def _nameless_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in _NAMELESS.finditer(text):
        if m.end() - m.start() >= BLANK_MIN:
            yield m.start() + BLANK_MARGIN, m.end() - BLANK_MARGIN


def _lower_case_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in (_LOWER_RUN_ASCII if text.isascii() else _LOWER_RUN).finditer(text):
        words = [(w.start(), w.end()) for w in _WORD.finditer(m.group())]
        if len(words) >= LOWER_MIN:
            yield m.start() + words[LOWER_MARGIN][0], m.start() + words[-LOWER_MARGIN - 1][1]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each (start, end) span, in order and apart, turned into spaces."""
    parts: list[str] = []
    last = 0
    for lo, hi in spans:
        lo = max(lo, last)
        if hi <= lo:
            continue
        parts.append(text[last:lo])
        parts.append(" " * (hi - lo))
        last = hi
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _plan(texts: Sequence[str]) -> Iterator[tuple[str, list[_Piece]]]:
    """Yield (document text, pieces): small texts joined, long ones windowed."""
    buffer: list[str] = []
    pieces: list[_Piece] = []
    size = 0
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        if len(text) > WINDOW:
            if buffer:
                yield "".join(buffer), pieces
                buffer, pieces, size = [], [], 0
            yield from _windows(i, text)
            continue
        if size and size + len(text) > JOIN_TARGET:
            yield "".join(buffer), pieces
            buffer, pieces, size = [], [], 0
        if buffer:
            buffer.append(SEPARATOR)
            size += len(SEPARATOR)
        pieces.append(_Piece(i, 0, size, len(text), 0, len(text)))
        buffer.append(text)
        size += len(text)
    if buffer:
        yield "".join(buffer), pieces


def _windows(index: int, text: str) -> Iterator[tuple[str, list[_Piece]]]:
    """Overlapping windows; an entity starting in an overlap belongs to the earlier window,
    which sees it whole because the overlap is far longer than any name."""
    start = 0
    while start < len(text):
        end = min(len(text), start + WINDOW)
        if end < len(text):
            cut = text.rfind(" ", start + WINDOW // 2, end)  # never split a word
            end = cut if cut > 0 else end
        next_start = len(text)
        if end < len(text):
            next_start = end - OVERLAP
            space = text.find(" ", next_start, end)
            next_start = space + 1 if space >= 0 else next_start
        yield text[start:end], [_Piece(index, start, 0, end - start, start, next_start)]
        start = next_start


def entities(nlp: Any, texts: Sequence[str], labels: frozenset[str]) -> list[Entity]:
    """Entities with a label in ``labels``, as offsets in ``texts``.

    A text met more than once in the call (the plain and the HTML body of the same mail,
    a repeated table cell or section header) goes to the model once, and its entities
    stand for every copy.
    """
    first: dict[str, int] = {}
    copies: dict[int, list[int]] = {}
    distinct: list[str] = []
    for i, text in enumerate(texts):
        at = first.setdefault(text, len(distinct))
        if at == len(distinct):
            distinct.append(text)
        copies.setdefault(at, []).append(i)
    return [
        Entity(i, e.start, e.end, e.label) for e in _entities(nlp, distinct, labels) for i in copies[e.text_index]
    ]


def _entities(nlp: Any, texts: Sequence[str], labels: frozenset[str]) -> list[Entity]:
    pending: deque[list[_Piece]] = deque()

    def docs() -> Iterator[str]:
        for doc_text, pieces in _plan([blank_nameless(t) for t in texts]):
            pending.append(pieces)
            yield doc_text

    out: list[Entity] = []
    for doc in nlp.pipe(docs(), batch_size=BATCH_SIZE):
        pieces = pending.popleft()  # nlp.pipe keeps order
        for ent in doc.ents:
            if ent.label_ not in labels:
                continue
            for piece in pieces:
                lo, hi = piece.doc_start, piece.doc_start + piece.length
                if ent.start_char >= hi or ent.end_char <= lo:
                    continue
                start = max(ent.start_char, lo) - lo + piece.text_start
                end = min(ent.end_char, hi) - lo + piece.text_start
                if piece.own_from <= start < piece.own_to:
                    out.append(Entity(piece.text_index, start, end, ent.label_))
    return out
