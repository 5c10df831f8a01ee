"""Properties that must hold for every input, not only the examples: validators, normalisation
and the policy, checked with hypothesis.

Example counts stay modest (200) so the suite stays fast; a failure prints the smallest
input that breaks the property.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import stdnum.gb.nhs
import stdnum.gb.upn
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosureguard.detect.normalise import normalise
from disclosureguard.detect.validators import nhs_number, nino, uln, upn
from disclosureguard.entities import LABELS
from disclosureguard.judge import Judge
from disclosureguard.model import Action, Finding, Place, Problem, Recipient, RecipientClass
from disclosureguard.policy import decide, default_policy

SETTINGS = settings(max_examples=200, deadline=None)
POLICY = default_policy()
TODAY = date(2026, 11, 24)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def _digit_strings(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def _nhs_check(nine: str) -> int:
    check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


@st.composite
def valid_nhs(draw: st.DrawFn) -> str:
    nine = draw(_digit_strings(9).filter(lambda s: _nhs_check(s) != 10))
    return nine + str(_nhs_check(nine))


def _uln_last(nine: str) -> int:
    # Σ(digit × weight 10..1) mod 11 = 10; the last digit has weight 1, so the rest fix it.
    return (10 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))) % 11


valid_uln = (
    st.tuples(st.sampled_from("123456789"), _digit_strings(8))
    .map("".join)
    .filter(lambda nine: _uln_last(nine) < 10)
    .map(lambda nine: nine + str(_uln_last(nine)))
)


def _change_one(value: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(value) - 1))
    new = data.draw(digits.filter(lambda d: d != value[i]))
    return value[:i] + new + value[i + 1 :]


# -- validators -------------------------------------------------------------------------------


@SETTINGS
@given(_digit_strings(10))
def test_nhs_validator_agrees_with_python_stdnum_on_every_ten_digit_string(value: str):
    assert nhs_number(value) == stdnum.gb.nhs.is_valid(value)


@SETTINGS
@given(valid_nhs(), st.data())
def test_changing_any_one_digit_of_a_valid_nhs_number_makes_it_invalid(value: str, data: st.DataObject):
    assert nhs_number(value)
    assert not nhs_number(_change_one(value, data))


@SETTINGS
@given(valid_nhs(), st.lists(st.sampled_from([" ", "-", "  ", " - "]), min_size=9, max_size=9))
def test_separators_between_digits_never_change_the_nhs_verdict(value: str, seps: list[str]):
    spaced = "".join(d + s for d, s in zip(value, [*seps, ""], strict=True))
    assert nhs_number(spaced)


@SETTINGS
@given(valid_uln, st.data())
def test_a_valid_uln_passes_and_any_one_digit_changed_fails(value: str, data: st.DataObject):
    assert uln(value)
    changed = _change_one(value, data)
    assert changed[0] == "0" or not uln(changed)


@SETTINGS
@given(_digit_strings(12))
def test_upn_with_the_check_letter_python_stdnum_computes_is_valid_and_no_other_letter_is(body: str):
    value = stdnum.gb.upn.calc_check_digit(body) + body
    assert upn(value)
    wrong = next(c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if c != value[0])
    assert not upn(wrong + body)


@SETTINGS
@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    _digit_strings(6),
    st.sampled_from("ABCDEFZ"),
)
def test_nino_follows_the_prefix_and_suffix_rules_of_the_spec(prefix: str, number: str, suffix: str):
    expected = (
        prefix[0] not in "DFIQUV"
        and prefix[1] not in "DFIOQUV"
        and prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
        and suffix in "ABCD"
    )
    assert nino(f"{prefix} {number[:2]} {number[2:4]} {number[4:]} {suffix}") == expected


# -- normalisation ----------------------------------------------------------------------------

# Text with the characters evasion uses: digits of several scripts, invisible characters,
# look-alike letters, ligatures and other characters NFKC expands.
evasive_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("0123456789 -OoIl|\n"),
        st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u2011"),
        st.sampled_from("\uff10\uff19\u0660\u0669\u0966\u096f\U0001d7ce\u2460\u00bd\u2075\ufb01АВСОо"),
        st.characters(),
    ),
    max_size=60,
)


def _decimal_digits(text: str) -> list[int]:
    return [v for v in (unicodedata.decimal(c, None) for c in text) if v is not None]


def _is_subsequence(small: list[int], big: list[int]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


@SETTINGS
@given(evasive_text)
def test_normalisation_never_loses_a_digit(text: str):
    norm = normalise(text)
    assert _is_subsequence(_decimal_digits(text), _decimal_digits(norm.text))


@SETTINGS
@given(evasive_text)
def test_every_digit_of_the_normalised_text_maps_back_to_a_character_that_shows_it(text: str):
    norm = normalise(text)
    for i, ch in enumerate(norm.text):
        if not ch.isdigit():
            continue
        start, end = norm.to_original(i, i + 1)
        assert 0 <= start < end <= len(text)
        source = text[start:end]
        shown = unicodedata.normalize("NFKC", source)
        assert (
            str(unicodedata.decimal(ch, ch)) in shown
            or any(unicodedata.decimal(c, None) == int(ch) for c in shown)
            or source in "OoIl|"
        ), (ch, source)


@SETTINGS
@given(evasive_text, st.integers(0, 70), st.integers(0, 70))
def test_any_span_of_the_normalised_text_maps_inside_the_original(text: str, a: int, b: int):
    norm = normalise(text)
    start, end = sorted((min(a, len(norm.text)), min(b, len(norm.text))))
    o_start, o_end = norm.to_original(start, end)
    assert 0 <= o_start <= o_end <= len(text)


# -- the policy -------------------------------------------------------------------------------

CASES = ("C1", "C2")
PEOPLE = ("lily", "sarah", "mark", "janet")
DETAILS = ("name", "address", "phone", "email", "identifiers", "born")

findings_st = st.builds(
    Finding,
    entity_type=st.sampled_from(sorted(LABELS)),
    text=st.sampled_from(["Lily Smith", "943 476 5919", "02/03/2014", "JE3 8XY", "x"]),
    score=st.floats(0.0, 1.0),
    segment=st.integers(0, 3),
    start=st.just(0),
    end=st.just(1),
    place=st.sampled_from([Place("body, paragraph 1"), Place("email header To", field="to"),
                           Place("email header Subject", field="subject"), Place("comment 1")]),
    hidden=st.booleans(),
    kind=st.sampled_from(["body", "email-header", "comment", "metadata"]),
    case=st.sampled_from([None, *CASES]),
    person=st.sampled_from([None, *PEOPLE]),
    person_name=st.sampled_from([None, "Lily Smith"]),
    person_role=st.sampled_from([None, "child", "parent", "relative", "professional", "referrer"]),
    detail=st.sampled_from([None, *DETAILS]),
)
recipients_st = st.builds(
    Recipient,
    address=st.sampled_from(["a@example.com", "b@gov.je", "c@nhs.net"]),
    cls=st.sampled_from(RecipientClass.ALL),
    cases=st.lists(st.sampled_from(CASES), max_size=2, unique=True).map(tuple),
    person=st.sampled_from([None, *PEOPLE]),
    role=st.sampled_from([None, "child", "parent", "professional"]),
    withheld=st.frozensets(st.tuples(st.sampled_from(CASES), st.sampled_from(PEOPLE), st.sampled_from(DETAILS))),
)
problems_st = st.builds(
    Problem,
    part=st.just("letter.docx"),
    cause=st.sampled_from(["corrupt", "limit", "timeout", "encrypted", "unsupported", "crashed"]),
    message=st.just("could not be read"),
)


def _decisions(findings, recipients, problems) -> list[Action]:
    verdicts, _ = decide(findings, recipients, problems, POLICY, TODAY)
    return [v.decision for v in verdicts]


@SETTINGS
@given(
    st.lists(findings_st, max_size=6),
    findings_st,
    st.lists(recipients_st, min_size=1, max_size=3),
    st.lists(problems_st, max_size=1),
)
def test_adding_a_finding_never_makes_a_decision_less_strict(findings, extra, recipients, problems):
    before = _decisions(findings, recipients, problems)
    after = _decisions([*findings, extra], recipients, problems)
    assert all(a >= b for a, b in zip(after, before, strict=True))


@SETTINGS
@given(st.lists(findings_st, max_size=6), st.lists(recipients_st, min_size=1, max_size=3), problems_st)
def test_adding_an_error_never_makes_a_decision_less_strict(findings, recipients, problem):
    before = _decisions(findings, recipients, [])
    after = _decisions(findings, recipients, [problem])
    assert all(a >= b for a, b in zip(after, before, strict=True))


@SETTINGS
@given(
    st.lists(findings_st, max_size=6),
    st.lists(recipients_st, min_size=1, max_size=3),
    st.lists(problems_st, min_size=1, max_size=3),
)
def test_an_error_never_yields_allow_for_any_recipient(findings, recipients, problems):
    assert Action.ALLOW not in _decisions(findings, recipients, problems)


JUDGE = Judge()


@SETTINGS
@given(problems_st, st.lists(st.sampled_from(["a@example.com", "b@gov.je", "c@nhs.net"]), max_size=3))
def test_a_document_that_could_not_be_scanned_at_all_is_never_allowed(problem: Problem, to: list[str]):
    verdict = JUDGE.failure("letter.docx", b"", to or None, problem)
    assert verdict.decision != Action.ALLOW
    assert verdict.errors == (problem,)
