"""Redaction of plain text, the value matcher, the operators and the verifier."""

from __future__ import annotations

import re

import pytest

from disclosureguard.errors import DisclosureGuardError
from disclosureguard.redact import RedactionError, VerificationFailed, redact_values
from disclosureguard.redact.text import Operators, redact_text
from disclosureguard.redact.values import Target, ValueMatcher
from disclosureguard.redact.verify import Verifier
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, WITHHELD, letter_text


def test_matcher_finds_values_whatever_the_spacing_punctuation_and_case():
    matcher = ValueMatcher([Target("943 476 5919", "UK_NHS"), Target("Lily Smith", "PERSON")])
    text = "NHS 9434765919, also 943-476-5919; LILY\nSMITH and lily  smith"
    found = [text[m.start : m.end] for m in matcher.find(text)]
    assert found == ["9434765919", "943-476-5919", "LILY\nSMITH", "lily  smith"]


def test_matcher_does_not_match_inside_a_longer_word():
    matcher = ValueMatcher([Target("Lily", "PERSON")])
    assert [m.start for m in matcher.find("Lilyanne and Lily-Mae")] == [13]


def test_text_redaction_replaces_each_value_with_its_type_and_keeps_the_rest():
    text, count = redact_text(letter_text(), ValueMatcher(WITHHELD), Operators())
    assert count == 3
    for value in (ADDRESS, POSTCODE, PHONE, EMAIL):
        assert value not in text
    assert "[REDACTED: ADDRESS]" in text
    assert "[REDACTED: PHONE_NUMBER]" in text
    assert "[REDACTED: EMAIL_ADDRESS]" in text
    assert "Re: Lily Smith" in text and "Mr Mark Jones" in text


def test_mask_operator_keeps_the_length_and_hides_every_character():
    text, _ = redact_text(f"call {PHONE} now", ValueMatcher(WITHHELD), Operators({"PHONE_NUMBER": "mask"}))
    assert text == "call " + "*" * len(PHONE) + " now"


def test_hash_operator_uses_a_random_salt_so_the_same_value_hashes_differently():
    ops = Operators({"PHONE_NUMBER": "hash"})
    first, _ = redact_text(PHONE, ValueMatcher(WITHHELD), ops)
    second, _ = redact_text(PHONE, ValueMatcher(WITHHELD), ops)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first != second


def test_unknown_operator_and_fixed_hash_salt_are_refused():
    with pytest.raises(DisclosureGuardError, match="expected one of replace, mask, hash"):
        Operators({"UK_NHS": "encrypt"})
    with pytest.raises(DisclosureGuardError, match="salt"):
        Operators({"UK_NHS": ("hash", {"salt": "x" * 16})})


def test_redacted_text_file_is_verified_and_holds_no_value(tmp_path):
    result = redact_values(letter_text().encode(), "letter.txt", WITHHELD)
    assert result.verified and result.format == "text"
    data = result.data
    for value in (ADDRESS, POSTCODE, PHONE, EMAIL):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert value.encode(encoding) not in data
    assert "re-extracted text (extraction registry)" in result.checks


def test_verifier_fails_on_a_value_left_in_utf16_and_names_no_value():
    leaked = f"all clear, but {PHONE} is still here".encode("utf-16")
    with pytest.raises(VerificationFailed) as caught:
        Verifier(WITHHELD).verify(leaked, "copy.txt", "text")
    message = str(caught.value)
    assert "PHONE_NUMBER" in message and "Nothing was written" in message
    assert PHONE not in message
    assert {leak.check for leak in caught.value.leaks} >= {"raw byte search"}


def test_unsupported_format_cannot_be_redacted():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("letter.txt", letter_text())
    with pytest.raises(RedactionError, match="cannot redact zip files"):
        redact_values(buf.getvalue(), "letters.zip", WITHHELD)


def test_write_private_replaces_a_readable_file_with_one_only_its_owner_can_read(tmp_path):
    import stat

    from disclosureguard.redact import write_private

    target = tmp_path / "copy.txt"
    target.write_text("old")
    target.chmod(0o644)
    write_private(b"new", target)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["copy.txt"]  # no temporary file left behind


def test_raw_byte_search_finds_a_name_as_a_word_not_inside_another_word():
    verifier = Verifier([Target("Mark", "PERSON")])
    assert verifier._raw(b"<w:bookmarkStart w:name='_GoBack'/>", "part") == []
    assert verifier._raw("<w:t>MARK</w:t>".encode("utf-16-le"), "part")[0].entity_type == "PERSON"
    assert verifier._raw(b"Dear Mark,", "part")
