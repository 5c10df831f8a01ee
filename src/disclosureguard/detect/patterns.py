"""The pattern stage: every pattern and phrase of the catalogue, compiled once.

Each pattern is scanned on its own: measured here, one alternation of all patterns with
named groups was about twice as slow as the separate scans (the engine loses each pattern's
own literal and first-character optimisations in a big alternation), and separate scans
also find overlapping matches of different types (an NHS number and a ULN are both ten
digits) without extra work. The lexicon of phrases is compiled as a word trie and matched
on the lower-cased text, which made it four times faster than a flat case-insensitive
alternation. Every scan has a timeout proportional to the text, and running out of time is
an error, never a silent empty result.

A document's texts are scanned together (``scan_all``): a pattern that can never read some
character scans them all joined by it, in one call instead of one a paragraph, and finds
exactly what it finds in each alone (regex_separators.py); a pattern skips the texts that
lack what every one of its matches holds, a digit or one of a few strings (regex_digits.py,
regex_literals.py). On letters that made the stage about a third cheaper (issue 19).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import regex

from ..errors import ExtractionError
from . import name_shapes
from .catalogue import Definition
from .regex_digits import needs_a_digit
from .regex_literals import Needs, required_strings
from .regex_separators import unread_separator
from .validators import Check, check_for, compact

# Compiled once: these run for every finding of every scan.
_PHRASE_GAP = regex.compile(r"[\s\-,]+")

# Lexicon phrases match in any case and with any run of spaces, a line break, a hyphen or a
# comma between their words ("looked-after", "Education, Health and Care Plan").
_PHRASE_SPACE = r"(?:,?[ \t]+|[ \t]*\r?\n[ \t]*|[ \t]*-[ \t]*)"
_LABEL_GAP = regex.compile(r"[ \t(\[:\-]*")
_DIGIT = regex.compile(r"\d")
_BRACKET_GAP = regex.compile(r"[ \t]*[(\[][ \t]*")


def scan_timeout(length: int) -> float:
    """Seconds one pattern may take on a text of ``length`` characters (~100x the normal rate)."""
    return 5.0 + length / 20_000


@dataclass(frozen=True)
class Candidate:
    entity_type: str
    start: int  # offsets in the normalised text
    end: int
    score: float
    recogniser: str
    detail: str | None = None  # lexicon category
    context: bool = False  # a context word lifted the score


@dataclass(frozen=True)
class _Alternative:
    definition: Definition
    name: str
    compiled: regex.Pattern[str]
    on_lower: bool = False  # matched against the lower-cased text
    # Set when ``compiled`` is the consuming form of an ASCII-alphanumeric start (see
    # ``_consuming_start``): the pattern's body alone, tried at offset 0 only.
    at_text_start: regex.Pattern[str] | None = None
    # Read once from the expression (see ``_read``): whether every match holds a digit (then
    # it is not run on a text with none), what strings any match needs, and the character
    # that joins texts for one scan of them all (None: scanned text by text).
    digit: bool = field(default=False, compare=False)
    needs: Needs | None = field(default=None, compare=False)
    separator: str | None = field(default=None, compare=False)
    # Set for the lexicon: every match starts a word (a run of \w) that is one of these
    # keys, and is the match there of the expression it maps to (only the phrases that can
    # start with that word; see ``_first_word_patterns``).
    at_first_words: Mapping[str, regex.Pattern[str]] | None = field(default=None, compare=False)

    @property
    def first_words(self) -> frozenset[str] | None:
        return None if self.at_first_words is None else frozenset(self.at_first_words)

    @property
    def source(self) -> str:
        """The expression as the catalogue gives it (the lookbehind form of a consuming start)."""
        if self.at_text_start is None:
            return self.compiled.pattern
        return _ALNUM_START + self.at_text_start.pattern


def _read(alt: _Alternative) -> _Alternative:
    """``alt`` with what its expression tells (regex_digits.py, regex_literals.py,
    regex_separators.py) kept, so that nothing is parsed per text."""
    return replace(
        alt,
        digit=needs_a_digit(alt.source),
        needs=required_strings(alt.source),
        separator=unread_separator(alt.source),
    )


_ALNUM_START = "(?<![A-Za-z0-9])"
_FIRST_CLASS = regex.compile(r"(?:\(\?:)?(\[(?:\\.|[^\]\\])*\])")


def _consuming_start(alt: _Alternative) -> _Alternative:
    r"""The same alternative, faster where it opens with ``(?<![A-Za-z0-9])`` and a common letter.

    Such a pattern is tried, lookbehind first, at every letter of the text (NINO, UPN and the
    lower-case postcode took a third of the pattern stage's regex time beside the lexicon on letters, issue 19).
    Consuming the one non-alphanumeric character before the match and dropping it with ``\K``
    lets the engine look for that character first; about 2x faster on letters for those three,
    slower for patterns that open with a rare capital, so only a first character class that
    admits the common lower-case letters is rewritten. A match at offset 0 has no character
    before it: the body alone is tried there. ``_spans`` restarts each search one character
    before the previous match's end so that a match may start where the last one ended, as
    with the lookbehind (tests/test_pattern_alnum_start.py compares both forms).
    """
    source = alt.compiled.pattern
    if not source.startswith(_ALNUM_START):
        return alt
    body = source[len(_ALNUM_START):]
    first = _FIRST_CLASS.match(body)
    if first is None or not all(regex.fullmatch(first.group(1), c) for c in "etan"):
        return alt
    flags = alt.compiled.flags
    return _Alternative(
        alt.definition, alt.name, regex.compile(r"[^A-Za-z0-9]\K" + body, flags), alt.on_lower,
        regex.compile(body, flags),
    )


def _spans(alt: _Alternative, text: str, timeout: float) -> Iterator[tuple[int, int]]:
    if alt.at_first_words is not None:
        yield from _word_led_spans(alt.at_first_words, text, timeout)
        return
    if alt.at_text_start is None:
        for m in alt.compiled.finditer(text, timeout=timeout):
            yield m.span()
        return
    deadline = time.monotonic() + timeout
    pos = 0
    m = alt.at_text_start.match(text, timeout=timeout)
    if m is not None:
        yield m.span()
        pos = max(m.end() - 1, 0)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        m = alt.compiled.search(text, pos, timeout=left)
        if m is None:
            return
        yield m.span()
        # The next match may begin where this one ends: its consumed character is this
        # match's last. Always move on, even past an empty match.
        pos = max(m.end() - 1, pos + 1)


_WORD_RUN = regex.compile(r"\w+")


def _word_led_spans(
    at_first_words: Mapping[str, regex.Pattern[str]], text: str, timeout: float
) -> Iterator[tuple[int, int]]:
    """``finditer``'s matches, tried only where a word of ``at_first_words`` stands.

    The lexicon's expression, one alternation of some 160 first words, was tried by the
    engine at every word of the text: a third of the pattern stage's time on letters. Each
    of its matches starts a word with a phrase's first word (``\\m``), whole or with a plural
    ending, and the words of the text are cheap to look up; so an expression is tried at
    those words only, left to right and never inside the previous match, which is where
    ``finditer`` would find a match, and it is the expression of the phrases that can start
    with that word, which finds the whole expression's match there (``_first_word_patterns``;
    tests/test_lexicon_word_start.py compares both).
    """
    deadline = time.monotonic() + timeout
    done = 0
    # Words are found without the engine's time limit, which costs it four times as much
    # here: \w+ reads each character once, and every match tried below is limited.
    for word in _WORD_RUN.finditer(text):
        pattern = at_first_words.get(word.group())
        if pattern is None or word.start() < done:
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        m = pattern.match(text, word.start(), timeout=left)
        if m is not None:
            yield m.span()
            done = m.end()


def _first_word_patterns(phrases: list[str], start: str) -> dict[str, regex.Pattern[str]]:
    """For each word (run of \\w) a lexicon match can start with, the lexicon's expression over
    the phrases that can start there only.

    A match starts with a phrase's first word up to its first non-word character ("women" of
    "women's"), and with a plural ending when the phrase is that word alone or goes on after
    a space, comma or hyphen (which end a word). So at a word ``w`` of the text only the
    phrases whose first word's leading run of word characters is ``w``, or ``w`` less an
    ending "s" or "es", can match. The word trie keeps the whole expression's order among
    them, and every phrase left out fails there: the match is the one the whole expression
    makes at that word, at a fraction of its cost (the engine walked the whole alternation at
    each word tried).
    """
    lead_of: dict[str, str] = {}
    starts: set[str] = set()
    for phrase in phrases:
        first = _phrase_words(phrase)[0]
        lead = _WORD_RUN.match(first)
        if lead is None:
            continue  # a match starts a word: this phrase can never match
        lead_of[phrase] = lead.group()
        starts.add(lead.group())
        if lead.group() == first:
            starts.update((first + "s", first + "es"))
    known = set(lead_of.values())
    compiled: dict[frozenset[str], regex.Pattern[str]] = {}
    out: dict[str, regex.Pattern[str]] = {}
    for word in starts:
        leads = frozenset(
            lead for lead, ending in ((word, ""), (word[:-1], "s"), (word[:-2], "es"))
            if word.endswith(ending) and lead in known
        )
        pattern = compiled.get(leads)
        if pattern is None:
            subset = [p for p in phrases if lead_of.get(p) in leads]
            pattern = compiled[leads] = regex.compile(rf"{start}(?:{trie_regex(subset)})(?:s|es)?(?![\w-])")
        out[word] = pattern
    return out


def _word_alternation(words: tuple[str, ...]) -> regex.Pattern[str] | None:
    if not words:
        return None
    parts = sorted({_phrase_regex(w) for w in words}, key=len, reverse=True)
    return regex.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


def _phrase_regex(phrase: str) -> str:
    return _PHRASE_SPACE.join(regex.escape(w) for w in _phrase_words(phrase))


def _phrase_words(phrase: str) -> list[str]:
    return [w for w in _PHRASE_GAP.split(phrase.lower().strip()) if w]


def trie_regex(phrases: list[str]) -> str:
    """One regex for many phrases, factored by shared leading words (a word trie)."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for word in _phrase_words(phrase):
            node = node.setdefault(word, {})
        node[""] = {}
    return _node_regex(root)


def _node_regex(node: dict[str, dict]) -> str:
    alternatives = []
    for word in sorted((w for w in node if w), key=len, reverse=True):
        child = node[word]
        if any(child):
            tail = f"(?:{_PHRASE_SPACE}{_node_regex(child)})" + ("?" if "" in child else "")
            alternatives.append(regex.escape(word) + tail)
        else:
            alternatives.append(regex.escape(word))
    return "(?:" + "|".join(alternatives) + ")"


class PatternStage:
    """Compiled once from the catalogue; ``scan`` finds candidates in one normalised text."""

    def __init__(self, definitions: list[Definition]):
        self._alternatives: list[_Alternative] = []
        self._checks: dict[str, Check] = {}  # validator and booster, by entity type
        self._context: dict[str, regex.Pattern[str] | None] = {}
        self._negative: dict[str, regex.Pattern[str] | None] = {}
        self._ignore: dict[str, frozenset[str]] = {}
        self._phrase_category: dict[str, dict[str, str]] = {}
        for d in definitions:
            self._checks[d.entity_type] = check_for(d.validator, d.boost_validator)
            self._context[d.entity_type] = _word_alternation(d.context)
            self._negative[d.entity_type] = _word_alternation(d.negative_context)
            self._ignore[d.entity_type] = frozenset(compact(v) for v in d.ignore)
            alternatives = [
                _consuming_start(
                    _Alternative(d, p.name, regex.compile(f"(?i:{p.regex})" if p.ignore_case else p.regex))
                )
                for p in d.patterns
            ]
            if d.kind == "lexicon":
                lookup: dict[str, str] = {}
                for category, phrases in d.phrases.items():
                    for phrase in phrases:
                        lookup[_phrase_key(phrase)] = category
                self._phrase_category[d.entity_type] = lookup
                # A phrase matches in the plural too ("criminal convictions"). When every phrase
                # starts with a word character, "at a word's start, not after a hyphen" is the
                # same test as "not after a word character or a hyphen", and \m lets the engine
                # pass over the inside of words (the lexicon was 40% of the pattern stage's time
                # on letters; 2.4x faster so).
                word_led = all(regex.match(r"\w", k) for k in lookup)
                start = r"\m(?<!-)" if word_led else r"(?<![\w-])"
                source = rf"{start}(?:{trie_regex(list(lookup))})(?:s|es)?(?![\w-])"
                alternatives.append(_Alternative(
                    d, f"{d.entity_type.lower()}-lexicon", regex.compile(source), True,
                    at_first_words=_first_word_patterns(list(lookup), start) if word_led else None,
                ))
            self._alternatives.extend(_read(alt) for alt in alternatives)

    def scan(self, text: str) -> list[Candidate]:
        """The candidates in one normalised text."""
        return self.scan_all([text])[0]

    def scan_all(self, texts: Sequence[str]) -> list[list[Candidate]]:
        """The candidates in each of ``texts`` (the segments of one document), exactly as
        ``scan`` finds them in each text alone.

        A pattern that can never read some character (regex_separators.py) scans all the
        texts joined by that character in one call; any other scans them one by one. A
        pattern is not run where it cannot match: on a text (or joined texts) without a
        digit when every match holds one (regex_digits.py), or without any of the strings
        every match holds one of (regex_literals.py).
        """
        views = [_View(text) for text in texts]
        out: list[list[Candidate]] = [[] for _ in texts]
        joined: dict[tuple[str, tuple[int, ...]], _Joined] = {}
        # One look at the whole document first: most patterns' strings are in none of its texts.
        document = views[0] if len(views) == 1 else _View(
            "\n".join(texts), lower="", has_digit=any(v.has_digit for v in views)  # its lower case is never read
        )
        for alt in self._alternatives:
            if document.lacks(alt):
                continue
            chosen = tuple(i for i, view in enumerate(views) if not view.lacks(alt))
            if alt.separator is not None and len(chosen) > 1:
                # Only the texts it may match: the digit patterns skip the paragraphs without one.
                key = (alt.separator, chosen)
                whole = joined.get(key)
                if whole is None:
                    if len(joined) >= _JOINS_KEPT:  # each is a copy of the document: a few at a time
                        del joined[next(iter(joined))]
                    whole = joined[key] = _Joined(views, chosen, alt.separator)
                if self._scan_joined(alt, whole, out):
                    continue
            for i in chosen:
                for start, end in _nonempty(alt, views[i]):
                    self._keep(alt, views[i], start, end, out[i])
        return out

    def _scan_joined(self, alt: _Alternative, whole: _Joined, out: list[list[Candidate]]) -> bool:
        """Scan the joined texts once; False (nothing kept) if a match were to cross from one
        text into the next, which the separator's choice rules out: the texts are then
        scanned one by one instead."""
        placed: list[tuple[_View, int, int, int]] = []
        starts = whole.starts
        for start, end in _nonempty(alt, whole.view):
            k = bisect_right(starts, start) - 1
            view = whole.views[k]
            if end - starts[k] > len(view.text):
                return False
            placed.append((view, whole.indices[k], start - starts[k], end - starts[k]))
        for view, i, start, end in placed:
            self._keep(alt, view, start, end, out[i])
        return True

    def _keep(self, alt: _Alternative, view: _View, start: int, end: int, found: list[Candidate]) -> None:
        cand = self._judge(alt, view.text, view.lower, start, end)
        if cand is not None:
            found.append(cand)

    def _judge(self, alt: _Alternative, text: str, lower: str, start: int, end: int) -> Candidate | None:
        d = alt.definition
        value = text[start:end]
        valid, boosted = self._checks[d.entity_type](value)
        if not valid:
            return None
        if self._ignore[d.entity_type] and compact(value) in self._ignore[d.entity_type]:
            return None
        negative = self._negative[d.entity_type]
        # A label in front ("Invoice no. 01534 555123") or right after ("(switchboard)") makes
        # a match something else.
        if negative is not None and _near(
            negative, lower, start, end, min(d.context_before, 30), 15, False, after_gap=_BRACKET_GAP
        ):
            return None
        context = self._context[d.entity_type]
        has_context = context is not None and _near(
            context, lower, start, end, d.context_before, d.context_after, d.context_gap_no_digits
        )
        if not has_context and d.context_name_before and name_shapes.record_name_before(text, start):
            has_context = True
        if d.context_required and not has_context:
            return None
        detail = None
        if d.kind == "lexicon":
            lookup = self._phrase_category[d.entity_type]
            key = _phrase_key(value)
            detail = lookup.get(key) or lookup.get(key.removesuffix("s")) or lookup.get(key.removesuffix("es"))
        score = d.context_score if has_context else d.score
        if boosted():
            score = min(1.0, score + d.boost)
        return Candidate(d.entity_type, start, end, score, alt.name, detail, has_context)


_JOINS_KEPT = 3  # joined copies of a document kept for the next pattern (the digit patterns share one)


class _View:
    """A text as the patterns read it: itself, lower-cased (same length), case-folded (for
    the strings of a case-insensitive pattern, made when first asked for), and whether it holds a digit."""

    __slots__ = ("_folded", "has_digit", "lower", "text")

    def __init__(self, text: str, lower: str | None = None, has_digit: bool | None = None) -> None:
        self.text = text
        if lower is None:
            lower = text.lower()
            if len(lower) != len(text):  # a few characters change length when lower-cased
                lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.lower = lower
        self.has_digit = _DIGIT.search(text) is not None if has_digit is None else has_digit
        self._folded: str | None = None

    def lacks(self, alt: _Alternative) -> bool:
        """True when ``alt`` cannot match here: no digit, or none of the strings it needs."""
        if alt.digit and not self.has_digit:
            return True
        needs = alt.needs
        if needs is None:
            return False
        if needs.folded:
            if self._folded is None:
                self._folded = self.text.casefold()
            return needs.absent_from(self._folded)
        return needs.absent_from(self.text)


class _Joined:
    """Some texts joined by a separator no pattern using it can read, and where each one starts."""

    def __init__(self, views: list[_View], indices: tuple[int, ...], separator: str) -> None:
        self.indices = indices
        self.views = [views[i] for i in indices]
        self.starts: list[int] = []
        at = 0
        for view in self.views:
            self.starts.append(at)
            at += len(view.text) + len(separator)
        self.view = _View(
            separator.join(v.text for v in self.views),
            separator.join(v.lower for v in self.views),
            any(v.has_digit for v in self.views),
        )


def _nonempty(alt: _Alternative, view: _View) -> Iterator[tuple[int, int]]:
    """The spans of ``alt``'s non-empty matches in ``view``; running out of time is an error."""
    text = view.lower if alt.on_lower else view.text
    try:
        for start, end in _spans(alt, text, scan_timeout(len(text))):
            if end > start:
                yield start, end
    except TimeoutError:
        raise ExtractionError(
            "timeout",
            f"the {alt.definition.entity_type} pattern {alt.name!r} ran out of time on a text of "
            f"{len(text)} characters",
        ) from None


def _phrase_key(phrase: str) -> str:
    return " ".join(_PHRASE_GAP.split(phrase.lower().strip()))


def _near(
    words: regex.Pattern[str],
    lower: str,
    start: int,
    end: int,
    before: int,
    after: int,
    no_digit_gap: bool,
    after_gap: regex.Pattern[str] = _LABEL_GAP,
) -> bool:
    """A word of the alternation within ``before`` characters before or ``after`` after."""
    window_start = max(0, start - before)
    last = None
    for last in words.finditer(lower, window_start, start):  # noqa: B007 - only the nearest counts
        pass
    if last is not None and (not no_digit_gap or not _DIGIT.search(lower, last.end(), start)):
        return True
    if after:
        # The word must start within ``after`` characters; it may end beyond them.
        nxt = words.search(lower, end, min(len(lower), end + after + 40))
        # A word after the value labels it only when nothing but brackets, spaces or a colon
        # stand between ("12/01/2011 (date of birth)"); after a comma or full stop it belongs
        # to the next thing.
        if nxt is not None and nxt.start() - end <= after and after_gap.fullmatch(lower, end, nxt.start()):
            return True
    return False
