"""The index keeps each value's turns (a letter after a digit), and the scan stops a run that
turns where no value does: the same sightings as extending every run, with fewer hashes."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from disclosureguard.cases import CaseIndex, build_index, load_case_files, load_cases
from disclosureguard.cases.compiled import compile_cases
from disclosureguard.cases.index_file import KEY_ENV, MAGIC, _subkeys, resolve_key
from disclosureguard.cases.match_keys import tokens, turn_shape, turns
from disclosureguard.cases.matching import Matcher
from disclosureguard.extract import extract
from disclosureguard.model import Segment

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"
KEY = b"turns test key 0123456789"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("12march2014", [2]),
        ("je32bt", [4]),
        ("t936339317416", []),
        ("07700900123", []),
        ("sarahsmith", []),
        ("2nd3rd", [1, 4]),
        ("٣x", [1]),  # an Arabic-Indic three is a digit
        ("²x", []),  # a superscript two is not (\d is Unicode Nd)
    ],
)
def test_turns_are_letters_right_after_digits(key: str, expected: list[int]) -> None:
    assert turns(key) == expected
    assert turns(key, 3) == [t for t in expected if t >= 3]


@pytest.mark.parametrize("token", ["smith", "2014", "12th", "je3", "2bt", "t93x", "٣x", "x٣", "²a", "ǅ1a", "½"])
def test_turn_shape_reads_a_token_as_turns_reads_a_run(token: str) -> None:
    inner, letter_first, digit_last = turn_shape(token)
    assert list(inner) == turns(token)
    assert letter_first == (turns("0" + token[:1]) == [1])
    assert digit_last == (turns(token[-1:] + "a") == [1])


def _mixed_texts(rng: random.Random, count: int) -> list[str]:
    """Texts made of the sample cases' own words and numbers, spaced, joined and split at
    random, among words and numbers that turn ("12th", "2bt", "x9y") and other digits."""
    raw = " ".join(p.read_text("utf-8") for p in sorted(CASES.iterdir()))
    pool = [t for t, _, _ in tokens(raw)] + [
        "12th", "2nd", "of", "March", "Sept", "2bt", "x9y", "٣", "²", "½", "No", "DOB", "tel", "Flat", "3",
        "02", "03", "2014", "14", "9", "2017", "the", "at", "and",
    ]
    glue = [" ", " ", " ", "", "-", "\n", "/", ", ", ".", "  "]
    texts = []
    for _ in range(count):
        words = []
        for _ in range(rng.randrange(1, 30)):
            w = rng.choice(pool)
            if len(w) > 3 and rng.random() < 0.2:  # split a word or number where nothing splits it
                cut = rng.randrange(1, len(w))
                w = w[:cut] + rng.choice(glue) + w[cut:]
            words.append(w)
        texts.append("".join(w + rng.choice(glue) for w in words))
    return texts


def _sightings(matcher: Matcher, segments: list[Segment]) -> list[tuple[object, ...]]:
    found, surnames = matcher.sightings(segments)
    return [(s.seg, s.start, s.end, s.refs) for s in found] + sorted(surnames.items())


def test_stopping_at_turns_changes_no_sighting() -> None:
    data = compile_cases(load_case_files([CASES]), KEY)
    assert data.turn_marks
    stopping, extending = Matcher(data), Matcher(replace(data, turn_marks=False))
    documents = [
        [Segment(t, "body") for t in _mixed_texts(random.Random(seed), 8)] for seed in range(400)
    ]
    documents += [
        list(extract(p.read_bytes(), p.name).all_segments())
        for p in sorted((ROOT / "samples").iterdir())
        if p.is_file() and p.suffix in {".txt", ".eml", ".docx", ".pdf"}
    ]
    seen = 0
    for segments in documents:
        expected = _sightings(extending, segments)
        assert _sightings(stopping, segments) == expected, [s.text for s in segments]
        seen += len(expected)
    assert seen > 500  # the texts do hold the values, written every way


class _CountingMac:
    def __init__(self, mac: object) -> None:
        self.mac = mac
        self.calls = 0

    def __call__(self, normal_form: str) -> bytes:
        self.calls += 1
        return self.mac(normal_form)  # type: ignore[operator]


def _hashes(data: object, text: str) -> int:
    matcher = Matcher(data)  # type: ignore[arg-type]
    counting = _CountingMac(matcher.data.mac)
    matcher.data.mac = counting  # type: ignore[assignment]
    matcher.sightings([Segment(text, "body")])
    return counting.calls


def test_a_run_that_turns_where_no_value_does_is_not_extended() -> None:
    data = compile_cases(load_case_files([CASES]), KEY)
    text = "Passport 120983647 has been kept by the school since the trip; seen on 11 April 2024 at 3pm."
    stopping = _hashes(replace(data), text)
    extending = _hashes(replace(data, turn_marks=False), text)
    assert stopping < 0.6 * extending  # 20 against 38 as written
    # A run that turns as a known value does goes on: Lily's date of birth, 2 March 2014.
    found = Matcher(data).sightings([Segment("born 2nd March 2014, at 8 Seaview Terrace", "body")])[0]
    assert {k.name for s in found for k, _ in s.refs} >= {"born", "address"}


def test_a_format_1_index_is_read_and_scanned_without_stopping_at_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "format one test key 0123456789")
    path = tmp_path / "cases.idx"
    build_index(CASES, path)
    current = load_cases(path)
    assert isinstance(current, CaseIndex) and current.data.turn_marks

    # The same index as format 1 wrote it: no turns, "format": 1, authenticated again.
    blob = path.read_bytes()[:-32]
    (head_len,) = struct.unpack_from(">I", blob, len(MAGIC))
    head_at = len(MAGIC) + 4
    header = json.loads(blob[head_at : head_at + head_len])
    turn = header["kinds"].index("turn")
    records, old_records, at = blob[head_at + head_len :], bytearray(), 0
    while at < len(records):
        _, kind, count = struct.unpack_from(">16sHI", records, at)
        size = 22 + 4 * count
        if kind != turn:  # later kinds keep their numbers: "turn" is simply never referred to
            old_records += records[at : at + size]
        at += size
    header["format"] = 1
    head = json.dumps(header).encode()
    content = MAGIC + struct.pack(">I", len(head)) + head + bytes(old_records)
    master, _ = resolve_key(path, None, create=False)
    old = tmp_path / "old.idx"
    old.write_bytes(content + hmac.digest(_subkeys(master)[1], content, hashlib.sha256))

    from_old = load_cases(old)
    assert isinstance(from_old, CaseIndex) and not from_old.data.turn_marks
    letter = [Segment("Re: Lily Smith, DOB 02/03/2014, at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY", "body")]
    found = [(f.text, f.case, f.person) for f in from_old.attribute(letter, [])]
    assert found == [(f.text, f.case, f.person) for f in current.attribute(letter, [])]
    assert len(found) >= 3
