"""The check-digit and shape validators, from the primary rules in shared/spec/identifiers.md."""

from __future__ import annotations

import random

import pytest
from stdnum.gb import upn as stdnum_upn

from disclosureguard.detect import validators as v


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "6105765495", "4010232137"])
def test_nhs_number_with_valid_check_digit_passes(value: str) -> None:
    assert v.nhs_number(value)


@pytest.mark.parametrize("value", ["9434765918", "943476591", "94347659190", "abcdefghij"])
def test_nhs_number_with_wrong_check_digit_or_length_fails(value: str) -> None:
    assert not v.nhs_number(value)


def test_nhs_number_whose_check_would_be_ten_is_never_valid() -> None:
    # Find nine leading digits whose check value is 10: no tenth digit may make them valid.
    prefix = next(
        p
        for p in (f"{n:09d}" for n in range(100000000, 100001000))
        if 11 - sum(int(d) * w for d, w in zip(p, range(10, 1, -1), strict=True)) % 11 == 10
    )
    assert not any(v.nhs_number(prefix + str(d)) for d in range(10))


def test_nhs_check_matches_one_random_number_in_about_eleven() -> None:
    rng = random.Random(5)
    hits = sum(v.nhs_number(f"{rng.randrange(10**9, 10**10)}") for _ in range(11000))
    assert 850 < hits < 1150


@pytest.mark.parametrize("value", ["6969881872", "2132637511", "1634 295 292"])
def test_uln_with_valid_check_passes(value: str) -> None:
    assert v.uln(value)


@pytest.mark.parametrize("value", ["6969881873", "0969881872", "696988187"])
def test_uln_wrong_check_leading_zero_or_short_fails(value: str) -> None:
    assert not v.uln(value)


def test_upn_agrees_with_python_stdnum_on_random_numbers() -> None:
    rng = random.Random(11)
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    for _ in range(2000):
        body = f"{rng.choice([201, 330, 850, 936])}{rng.randrange(10**8, 10**9)}"
        value = rng.choice(letters) + body
        assert v.upn(value) == stdnum_upn.is_valid(value), value


def test_temporary_upn_ending_in_a_letter_is_checked_too() -> None:
    body = "93630001937A"
    good = next(c + body for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if v.upn(c + body))
    assert stdnum_upn.is_valid(good)
    assert not v.upn(("B" if good[0] == "A" else "A") + body)


@pytest.mark.parametrize("value", ["AB123456C", "ab 12 34 56 d", "JY 45 67 89 A", "GY123456B", "NH557799B"])
def test_nino_valid_shapes_pass_including_jersey_and_guernsey(value: str) -> None:
    assert v.nino(value)


@pytest.mark.parametrize(
    "value", ["QQ123456C", "DA123456C", "AO123456C", "BG123456A", "GB123456A", "ZZ123456A", "AB123456E", "AB12345C"]
)
def test_nino_forbidden_letters_prefixes_and_suffixes_fail(value: str) -> None:
    assert not v.nino(value)


@pytest.mark.parametrize(
    "value", ["07700 900123", "07700900999", "01632 960000", "0113 496 0123", "020 7946 0999", "+44 7700 900456"]
)
def test_ofcom_drama_numbers_count_as_uk_phones(value: str) -> None:
    assert v.uk_phone(value)


@pytest.mark.parametrize("value", ["01534 555123", "(01481) 712 345", "01624 555123", "+44 (0)1624 555123"])
def test_crown_dependency_landlines_are_valid(value: str) -> None:
    assert v.uk_phone(value)


@pytest.mark.parametrize("value", ["07700 9001234", "0770090", "01534 12"])
def test_wrong_length_numbers_are_not_phones(value: str) -> None:
    assert not v.uk_phone(value)


@pytest.mark.parametrize("value", ["0800 123 4567", "0300 123 5577", "0845 600 7000"])
def test_non_geographic_numbers_are_not_personal_phones(value: str) -> None:
    assert not v.uk_personal_phone(value)


@pytest.mark.parametrize(
    "value", ["02/03/2014", "2 March 2014", "2nd March 2014", "5th of June 2016", "3/4/15", "March 2, 2014"]
)
def test_uk_day_first_dates_are_dates(value: str) -> None:
    assert v.uk_date(value)


@pytest.mark.parametrize("value", ["31/02/2014", "13/13/2014", "2 Marchember 2014", "02/03/1850", "02/03/2999"])
def test_impossible_or_out_of_range_dates_are_not(value: str) -> None:
    assert not v.uk_date(value)


@pytest.mark.parametrize("value", ["MORGA753116SM9IJ", "SMITH 861022 JA 9AB", "JONES962105MK1XY"])
def test_driving_licence_with_real_month_and_day_passes(value: str) -> None:
    assert v.driving_licence(value)


@pytest.mark.parametrize("value", ["MORGA713116SM9IJ", "MORGA753116SM9I", "1ORGA753116SM9IJ"])
def test_driving_licence_bad_month_length_or_surname_fails(value: str) -> None:
    assert not v.driving_licence(value)


def test_family_court_case_shape() -> None:
    assert v.family_court_case("ZW21C00123")
    assert not v.family_court_case("ZW21C0012")
    assert not v.family_court_case("Z121C00123")


def test_passport_needs_nine_digits_not_all_the_same() -> None:
    assert v.passport("925 076 473")
    assert not v.passport("111111111")
    assert not v.passport("12345678")


def test_every_validator_the_catalogue_names_is_registered_where_it_is_defined() -> None:
    from disclosureguard.detect.catalogue import load_catalogue

    named = {d.validator for d in load_catalogue()} | {d.boost_validator for d in load_catalogue()}
    named.discard(None)
    assert "email_domain" in named  # the one that once needed passing in by every caller
    assert named <= set(v.VALIDATORS)
    assert all(v.VALIDATORS[name].__module__ == v.__name__ and v.VALIDATORS[name].__name__ == name for name in named)


def test_a_definition_naming_an_unknown_validator_is_refused_with_the_registered_names() -> None:
    from disclosureguard.detect.catalogue import parse_definition
    from disclosureguard.errors import ConfigError

    with pytest.raises(ConfigError) as refused:
        parse_definition({"entity_type": "X_ID", "kind": "pattern", "patterns": [{"regex": "X\\d{4}"}],
                          "validator": "no_such_check"}, "x.yaml")
    assert "email_domain" in str(refused.value) and "nhs_number" in str(refused.value)


def test_a_phone_read_once_gives_what_the_validator_and_booster_give() -> None:
    # The pattern stage reads a phone number once for both checks (validators.PAIRED).
    import random

    from disclosureguard.detect.validators import PAIRED, VALIDATORS

    rnd = random.Random(11)
    values = ["07700 900456", "01534 444444", "+44 7700 900123", "0044 (0)20 7946 0000", "0800 123 4567",
              "+33 1 42 68 53 00", "020 7946 0999", "01632 960411", "07911 123456", "0113 496 0000", "12345"]
    for _ in range(3000):
        lead = rnd.choice(["0", "07", "01", "02", "03", "08", "+44 ", "0044 ", "+353 ", "+1 ", ""])
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randrange(6, 13)))
        values.append(lead + " ".join(digits[i:i + rnd.randrange(2, 6)] for i in range(0, len(digits), 4)))
    for (valid_name, boost_name), read_once in PAIRED.items():
        valid, boost = VALIDATORS[valid_name], VALIDATORS[boost_name]
        for value in values:
            passes, boost_later = read_once(value)
            assert passes == valid(value), value
            assert boost_later() == boost(value), value
