"""Text that cannot hold a name is blanked before spaCy sees it: offsets kept, tokens collapsed,
names beside it still found (issue 13, linear cost)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosureguard.detect import Detector, ner
from disclosureguard.model import Segment


@pytest.fixture(scope="module")
def with_model() -> Detector:
    return Detector()


@given(st.text(alphabet="1-a. J\n@/Smé", max_size=600))
@settings(max_examples=300, deadline=None)
def test_blanking_keeps_every_offset_and_every_letter_pair_near_a_capital_or_digit(text: str) -> None:
    out = ner.blank_nameless(text)
    assert len(out) == len(text)
    for a, b in zip(text, out, strict=True):
        assert b == a or b == " "
    words = list(re.finditer(r"\S+", text))
    marked = [i for i, w in enumerate(words) if any(c.isupper() or c.isdigit() for c in w.group())]
    near = {j for i in marked for j in range(i - ner.LOWER_MARGIN, i + ner.LOWER_MARGIN + 1)}
    for i, w in enumerate(words):
        if i in near or len(words) < ner.LOWER_MIN:  # a word the model reads for its context stays
            for k in range(w.start(), w.end() - 1):
                if text[k].isalpha() and text[k + 1].isalpha():
                    assert out[k : k + 2] == text[k : k + 2]


def test_the_middle_of_a_long_lower_case_run_is_blanked_and_its_ends_kept() -> None:
    run = " ".join(["the", "family", "support", "worker", "visited", "home"] * 4)  # 24 words, no capital
    text = f"Lily Smith said {run} to Mark Jones."
    out = ner.blank_nameless(text)
    # "said ... to" is the run: its first and last six words stay
    assert out.startswith("Lily Smith said the family support worker visited  ")
    assert out.endswith("  family support worker visited home to Mark Jones.")
    assert "  " * 20 in out  # the middle went
    assert ner.blank_nameless("Dear Sarah, the visit went well and the children were happy to see you.") == (
        "Dear Sarah, the visit went well and the children were happy to see you."
    )  # a sentence's run is mostly shorter than LOWER_MIN words


@pytest.mark.parametrize("unit", ["1-", "a-", "a.", "@", "12/03/2019 ", "1\n"])
def test_a_long_nameless_run_becomes_a_handful_of_tokens(with_model: Detector, unit: str) -> None:
    text = unit * (20_000 // len(unit))
    blanked = ner.blank_nameless(text)
    tokens = len(with_model._nlp.tokenizer(blanked))  # type: ignore[union-attr]
    assert tokens < 20, (unit, tokens)


def _names(detector: Detector, text: str) -> list[str]:
    return [f.text for f in detector.detect([Segment(text, "body")]) if f.entity_type == "PERSON"]


def test_names_beside_and_inside_adversarial_runs_are_found_as_without_them(with_model: Detector) -> None:
    letter = "Dear Mrs Cooper,\n\nJ. Smith wrote to Lily Cooper about the visit by Mr Aiden Walsh.\n"
    alone = _names(with_model, letter)
    assert {"Lily Cooper", "Aiden Walsh"} <= set(alone) or {"Lily Cooper", "Mr Aiden Walsh"} <= set(alone)
    for unit in ("1-", "a-", "a."):
        filler = unit * 50_000
        assert _names(with_model, f"{filler}\n{letter}{filler}") == alone, unit


def test_an_nhs_number_in_a_run_of_dashes_is_still_found(with_model: Detector) -> None:
    text = "1-" * 30_000 + " Her NHS number is 943 476 5919, she said. " + "1-" * 30_000
    found = [f for f in with_model.detect([Segment(text, "body")]) if f.entity_type == "UK_NHS"]
    assert [f.text for f in found] == ["943 476 5919"]
