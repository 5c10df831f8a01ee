"""Texts joined by a character a pattern never reads scan as they do apart (issue 19)."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from disclosureguard.detect import Detector
from disclosureguard.detect.catalogue import load_catalogue
from disclosureguard.detect.normalise import normalise
from disclosureguard.detect.patterns import PatternStage
from disclosureguard.detect.regex_separators import unread_separator
from disclosureguard.extract import extract

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("source", "separator"),
    [
        (r"\d{3}[ \t]?\d{4}", "\x00"),
        (r"(?<![\w-])\d+(?![\w-])", "\x00"),
        (r"\d+[ \t]*\r?\n[ \t]*\d+", "\x00"),  # reads a line break, never a NUL
        (r"[^\d\n]{1,40}\d", "\n"),  # reads a NUL, never a line break
        (r"a.b", "\n"),
        (r"\p{Lu}\p{Ll}+", "\x00"),
        (r"\mcare\M", "\x00"),
        (r"[^A-Za-z]\Kab", None),  # the consuming start reads anything but a letter
        (r"^ab", None),  # an anchor tells a text's start from the separator
        (r"ab$", None),
        (r"\Aab", None),
        (r"(?s:a.b)", None),
        (r"\W", None),
        (r"[^a]", None),
        (r"\P{Lu}", None),
        (r"[^\p{L}]x", None),
        (r"\s", "\x00"),
    ],
)
def test_unread_separator_reads_the_expression(source: str, separator: str | None) -> None:
    assert unread_separator(source) == separator


def _segment_texts() -> list[str]:
    texts = []
    for f in sorted(SAMPLES.rglob("*")):
        if f.suffix in (".txt", ".eml", ".docx", ".rtf", ".odt") and f.is_file():
            document = extract(f.read_bytes(), f.name)
            texts.extend(normalise(s.text).text for s in document.all_segments())
    return texts


def test_joined_scan_finds_what_each_text_alone_finds() -> None:
    stage = Detector(model=None)._stage
    joinable = {alt.name for alt in stage._alternatives if alt.separator is not None}
    assert {"nhs-ten-digits", "uk-phone", "special_category-lexicon", "nino", "sort-code-then-account"} <= joinable
    texts = _segment_texts()
    # Edges made to tempt a pattern across: a number cut in two, a phrase cut at its space,
    # texts that end or start with a digit, a letter or a line break, and the separators themselves.
    texts += ["NHS 943 476", "5919 is", "mental", "health", "07700", "900456", "Flat 3, 8 Seaview",
              "Terrace", "A\x00B 12", "12\n", "\n34", "AB 12 34 56 C", "care\x00order", "", "x"]
    rnd = random.Random(19)
    for _ in range(60):
        group = [rnd.choice(texts) for _ in range(rnd.randint(2, 25))]
        assert stage.scan_all(group) == [stage.scan(t) for t in group]


def test_a_match_across_texts_falls_back_to_one_text_at_a_time() -> None:
    # Were the reading of an expression ever wrong, a match over the join is caught and the
    # texts are scanned one by one: forced here with a separator the pattern does read.
    stage = PatternStage(load_catalogue(()))
    stage._alternatives = [
        dataclasses.replace(alt, separator="\n") if alt.name == "nhs-ten-digits" else alt
        for alt in stage._alternatives
    ]
    texts = ["NHS number 943 476", "5919 and more", "943 476 5919"]
    found = stage.scan_all(texts)
    assert found == [stage.scan(t) for t in texts]
    assert [c.recogniser for c in found[2]] == ["nhs-ten-digits"]
    assert not any(c.recogniser == "nhs-ten-digits" for c in found[0] + found[1])
