"""Normalised text for evasion-resistant matching, with offsets that map back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosureguard.detect.normalise import _map_char, normalise


def _back(original: str, value: str) -> str:
    n = normalise(original)
    i = n.text.index(value)
    start, end = n.to_original(i, i + len(value))
    return original[start:end]


def test_ascii_text_is_unchanged_and_maps_to_itself() -> None:
    n = normalise("NHS 943 476 5919")
    assert n.text == "NHS 943 476 5919"
    assert n.to_original(4, 16) == (4, 16)


def test_zero_width_characters_are_removed_and_span_covers_them() -> None:
    original = "NHS 943\u200b476\u200b5919 ok"
    assert normalise(original).text == "NHS 9434765919 ok"
    assert _back(original, "9434765919") == "943\u200b476\u200b5919"


def test_full_width_digits_and_letters_become_ascii() -> None:
    original = "NI: ＡＢ１２３４５６Ｃ."
    assert normalise(original).text == "NI: AB123456C."
    assert _back(original, "AB123456C") == "ＡＢ１２３４５６Ｃ"


def test_cyrillic_look_alike_letters_become_latin() -> None:
    assert normalise("АВ123456С").text == "AB123456C"


def test_other_scripts_digits_become_ascii() -> None:
    assert normalise("٩٤٣").text == "943"


def test_ligature_expands_and_maps_back_to_the_one_character() -> None:
    original = "ﬁle 943"
    n = normalise(original)
    assert n.text == "file 943"
    assert n.to_original(0, 2) == (0, 1)
    assert _back(original, "943") == "943"


def test_letters_standing_for_digits_inside_a_number_become_digits() -> None:
    assert normalise("tel O77OO 9OO555").text == "tel 07700 900555"
    assert normalise("943 476 59l9").text == "943 476 5919"


def test_words_next_to_numbers_are_left_alone() -> None:
    assert normalise("I 1234 people").text == "I 1234 people"
    assert normalise("Zoo l 1234").text == "Zoo l 1234"
    assert normalise("Room 12, Oak House").text == "Room 12, Oak House"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "9", " ", "\u200b", "ﬁ", "１", "А", "é", "\u00ad", "-", "O", "l", "\n"]), max_size=40
    )
)
def test_each_normalised_character_maps_to_the_character_it_came_from(chars: list[str]) -> None:
    original = "".join(chars)
    n = normalise(original)
    previous = 0
    for i, ch in enumerate(n.text):
        start, end = n.to_original(i, i + 1)
        assert 0 <= start < end <= len(original)
        assert start >= previous  # offsets never go backwards
        previous = start
        source = original[start]
        lookalike = source in "Ol" and ch in "01"
        assert ch in _map_char(source) or lookalike, (original, i)
