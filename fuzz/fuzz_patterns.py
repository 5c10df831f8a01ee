"""Fuzz target: the pattern stage's quick paths against plain ``finditer``, on any texts.

.venv/bin/python fuzz/fuzz_patterns.py fuzz/corpus/patterns fuzz/seeds/text -max_total_time=600

The pattern stage scans a document's texts joined by a character each pattern never reads,
skips texts that lack the strings or the digit a pattern needs, and tries the lexicon only at
its first words (detect/regex_separators.py, regex_literals.py, regex_digits.py). None of that
may change a candidate. The input's first byte picks the character the rest is cut into texts
at (a line break, a NUL, a bar or a space, so texts hold NULs and line breaks too); the
candidates of ``PatternStage.scan_all`` must equal those of every catalogue pattern run with
plain ``finditer`` on each text alone, in its lookbehind form, with no skip.
"""

from __future__ import annotations

import contextlib
import os
import sys

import atheris

with (
    contextlib.nullcontext()
    if os.environ.get("FUZZ_NO_INSTRUMENT") == "1"
    else atheris.instrument_imports(include=["disclosureguard"])
):
    import regex

    from disclosureguard.detect import patterns
    from disclosureguard.detect.catalogue import load_catalogue

STAGE = patterns.PatternStage(load_catalogue(()))
PLAIN = [(alt, regex.compile(alt.source)) for alt in STAGE._alternatives]
CUTS = ("\n", "\x00", "|", " ")


def reference(texts: list[str]) -> list[list[patterns.Candidate]]:
    out = []
    for text in texts:
        view = patterns._View(text)
        found = []
        for alt, plain in PLAIN:
            for m in plain.finditer(view.lower if alt.on_lower else text, timeout=30):
                if m.end() > m.start():
                    cand = STAGE._judge(alt, text, view.lower, m.start(), m.end())
                    if cand is not None:
                        found.append(cand)
        out.append(found)
    return out


def one_input(data: bytes) -> None:
    if not data:
        return
    texts = data[1:5000].decode("utf-8", "replace").split(CUTS[data[0] % len(CUTS)])
    got = STAGE.scan_all(texts)
    if got != reference(texts):
        raise AssertionError(f"the pattern stage differs from plain finditer on {texts!r}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
