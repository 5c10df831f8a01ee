"""Postcodes OCR misread, put back by the shape of a postcode (detect/ocr_postcodes.py), for OCR
text only; ordinary words and numbers left alone."""

from __future__ import annotations

import pytest

from disclosureguard.detect.normalise import normalise
from disclosureguard.detect.ocr_postcodes import repair_postcodes
from disclosureguard.extract.ocr import word_text
from disclosureguard.model import Segment


@pytest.mark.parametrize("read, meant", [
    ("Exeter, Ex3 6BF", "Exeter, EX3 6BF"),  # a capital read as its small letter of the same shape
    ("Leeds, LS15 SFX", "Leeds, LS15 5FX"),  # the inward digit read as a letter
    ("Bristol BSl2 4AB", "Bristol BS12 4AB"),  # l for 1 in the outward code
    ("Cardiff CF1O 3QY", "Cardiff CF10 3QY"),  # O for 0
    ("Norwich NR3 1A8", "Norwich NR3 1AB"),  # 8 for B where a letter stands
    ("St Brelade, JE3 8xY", "St Brelade, JE3 8XY"),
    ("London SW1A0AA", "London SW1A0AA"),  # a postcode OCR read right is as it was
])
def test_a_postcode_ocr_misread_is_put_back_by_its_shape(read: str, meant: str):
    assert repair_postcodes(read) == meant
    assert normalise(read, ocr=True).text == meant
    assert len(meant) == len(read)  # one character for one: findings still point at the text


@pytest.mark.parametrize("text", [
    "Room 12 3AB",  # a number first: a postcode starts with a letter
    "Case 2O24 1AB",
    "Open to 10am daily",
    "Print on A4 1st class paper",  # small letters other than the same-shape ones: words
    "SOLO 1st",  # no real digit in what would be the outward code
    "NHS 943 476 5919",
    "ring 01632 960123",
    "born 12 Mar 2019",
    "ls1 4dy",  # all small letters: the recogniser's own lower-case pattern decides
    "B5OO OSS",  # more than two letters and digits exchanged
    "Ex3 6BC",  # no postcode ends in C
])
def test_words_and_numbers_are_left_alone(text: str):
    assert repair_postcodes(text) == text


def test_typed_text_is_not_repaired():
    assert normalise("Exeter, Ex3 6BF").text == "Exeter, Ex3 6BF"


def test_an_ocr_segment_finds_the_postcode_and_typed_text_does_not(scanner):
    text = "Address: 26 Station Street, Exeter, Ex3 6BF"
    read = scanner.detector.detect([Segment(text, "page 1 (read by OCR)", ocr=True)])
    typed = scanner.detector.detect([Segment(text, "body")])
    (postcode,) = [f for f in read if f.entity_type == "UK_POSTCODE"]
    assert postcode.text == "Ex3 6BF"  # the finding points at the text as the page holds it
    assert not [f for f in typed if f.entity_type == "UK_POSTCODE"]


@pytest.mark.parametrize("read, word", [
    ("2F]J", "2FJ"),  # the descender of a J read as a bracket of its own
    ("NR{15", "NR15"),
    ("[redacted]", "[redacted]"),  # brackets around a word are the text's own
    ("(2FJ)", "(2FJ)"),
    ("Wi|son", "Wi|son"),  # a bar stands for l, I or 1: the normalisation reads it
    (" 41C ", "41C"),
])
def test_a_bracket_inside_a_word_is_a_glyph_fragment_and_is_dropped(read: str, word: str):
    assert word_text(read) == word

