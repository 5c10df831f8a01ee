"""Every whole-word, same-case mention of a set of name words, without compiling a pattern per call.

This finds what ``(?<![\\w'’-])(?:w1|w2|...)(?![\\w-])`` (longest word first) finds. Compiling that
alternation for each scan's found names cost 3-5 ms a letter (issue 19), more than matching it.
Name words (``persons.name_words``) start with a capital and hold only letters, apostrophes and
hyphens, so a mention starts at a capital not after a word character, apostrophe or hyphen, and
ends either where such a run of letters, apostrophes and hyphens ends (not before a word
character) or just before one of its apostrophes; the longest word of the set that ends so is
the mention. tests/test_name_mentions.py compares it with the alternation.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

_START = regex.compile(r"(?<![\w'’-])\p{Lu}[\p{Lu}\p{Ll}'’\-]*")
_WORD_CHAR = regex.compile(r"[\w-]")
_APOSTROPHES = frozenset("'’")
_SHAPE = regex.compile(r"\p{Lu}[\p{Lu}\p{Ll}'’\-]*\p{Ll}")


class NameMentions:
    """The mentions of ``words`` (each as ``persons.name_words`` keeps them) in a text."""

    def __init__(self, words: set[str]):
        if not all(_SHAPE.fullmatch(w) for w in words):
            raise ValueError("a name word starts with a capital and ends with a small letter")
        self._words = frozenset(words)
        self._longest = max(map(len, words), default=0)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        pos = 0
        while (run := _START.search(text, pos)) is not None:
            start, end = run.span()
            found = self._longest_at(text, start, end)
            if found is None:
                pos = start + 1
                continue
            yield start, found
            pos = found

    def _longest_at(self, text: str, start: int, run_end: int) -> int | None:
        # The run's own end is a word's end unless a word character follows it (a digit, a
        # combining mark); inside the run, only an apostrophe can follow a word's end.
        ends_here = run_end == len(text) or not _WORD_CHAR.match(text, run_end)
        if ends_here and run_end - start <= self._longest and text[start:run_end] in self._words:
            return run_end
        for end in range(min(run_end - 1, start + self._longest), start, -1):
            if text[end] in _APOSTROPHES and text[start:end] in self._words:
                return end
        return None
