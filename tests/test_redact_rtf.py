"""Redacting RTF: values split by Word's groups and escapes truly cut, hidden content and metadata
removed, the copy verified by reading it again; Outlook and legacy files refused with a reason."""

from __future__ import annotations

import re

import pytest

from disclosureguard.extract import extract
from disclosureguard.model import Action
from disclosureguard.redact import RedactionError, redact_analysis, redact_values
from legacy_fixtures import FATHER, legacy_letter, letter_lines, rtf_letter
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, WITHHELD

LETTER = letter_lines()


def texts(data: bytes) -> list[str]:
    doc = extract(data, "out.rtf")
    assert doc.problems == ()
    return [s.text for s in doc.all_segments()]


def test_withheld_address_split_by_insrsid_groups_is_cut_and_the_rest_kept():
    data = rtf_letter(LETTER)
    result = redact_values(data, "letter.rtf", WITHHELD)
    assert result.format == "rtf" and result.verified
    out = texts(result.data)
    assert not any(ADDRESS in t or POSTCODE in t or "Seaview" in t for t in out)
    assert "Lily's mother has now moved to [REDACTED: ADDRESS], so the handover will no longer happen at the " \
           "old address." in out
    assert "Mr Mark Jones" in out and "Dear Mr Jones," in out
    assert sum(t.count("[REDACTED: ADDRESS]") for t in out) == 1


def test_values_written_with_hex_and_unicode_escapes_are_cut():
    data = rb"{\rtf1\ansi\ansicpg1252 Call 07700 \'39\'30\'30456 or \u115?arah.smith@example.com\par}"
    out = texts(redact_values(data, "x.rtf", WITHHELD).data)
    assert out == ["Call [REDACTED: PHONE_NUMBER] or [REDACTED: EMAIL_ADDRESS]"]


def test_hidden_text_comments_properties_and_objects_are_removed():
    data = (rb"{\rtf1\ansi{\info{\author Priya Shah}{\title Sarah Smith}}Visible {\v hidden Lily} text"
            rb"{\*\atnauthor Janet Cooper}\chatn{\*\annotation note}{\deleted old words}"
            rb"{\object\objemb{\*\objclass Package}{\*\objdata 0102}}{\*\madeup secret} end\par}")
    result = redact_values(data, "x.rtf", [])
    out = texts(result.data)
    assert out == ["Visible  text end"]
    assert set(result.notes) >= {"removed comments", "removed document properties", "removed embedded objects",
                                 "removed unrecognised destinations", "removed hidden text and tracked deletions"}
    for word in (b"Priya", b"Janet", b"note", b"hidden", b"old words", b"secret", b"objdata"):
        assert word not in result.data


def test_field_code_values_are_cut_where_a_reader_does_not_see_them():
    data = (rb"{\rtf1\ansi {\field{\*\fldinst HYPERLINK mailto:sarah.smith@example.com}{\fldrslt write to her}}"
            rb"\par}")
    result = redact_values(data, "x.rtf", [t for t in WITHHELD if t.value == EMAIL])
    assert b"sarah.smith" not in result.data
    assert "write to her" in texts(result.data)


def test_the_copy_still_reads_as_rtf_with_its_formatting():
    data = rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0\fs24 {\b Phone:} 07700 900456\par}"
    result = redact_values(data, "x.rtf", WITHHELD)
    assert result.data.startswith(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0\fs24 {\b Phone:} ")
    assert PHONE.encode() not in result.data


def test_redaction_from_a_scan_of_the_letter_to_the_father(patterns_scanner):
    analysis = patterns_scanner.analyse(rtf_letter(LETTER), [FATHER], name="letter.rtf")
    assert analysis.verdict.decision == Action.BLOCK
    result = redact_analysis(analysis)
    assert {r.rule for r in result.removed} == {"withheld-detail"}
    rescanned = patterns_scanner.scan(result.data, [FATHER], name="letter.rtf")
    assert "withheld-detail" not in {r.rule for r in rescanned.reasons}


@pytest.mark.parametrize(("fmt", "expected"), [
    ("msg", "cannot redact Outlook .msg files"),
    ("winmail.dat", "cannot redact winmail.dat (TNEF) files"),
])
def test_outlook_files_are_refused_with_the_reason(fmt: str, expected: str):
    with pytest.raises(RedactionError, match=re.escape(expected)):
        redact_values(legacy_letter(fmt, "father"), "letter", WITHHELD)


def test_doc_is_refused_with_the_reason():
    with pytest.raises(RedactionError, match=r"cannot redact Word 97-2003 \.doc files.*save it as \.docx"):
        redact_values(legacy_letter("doc", "father"), "letter.doc", WITHHELD)


def test_unclosed_rtf_is_refused_not_half_redacted():
    with pytest.raises(RedactionError):
        redact_values(rb"{\rtf1\ansi Phone 07700 900456 {\b x", "x.rtf", WITHHELD)


def test_cli_redact_writes_the_rtf_and_a_msg_is_refused_cleanly(samples, tmp_path):
    from cli_run import run_cli  # in this process: a real process would add only its start

    common = ["--to", FATHER, "--cases", str(samples / "cases"), "--policy", str(samples / "policy.yaml"),
              "--no-model"]
    source = tmp_path / "letter.rtf"
    source.write_bytes(rtf_letter(LETTER))
    out = tmp_path / "clean.rtf"
    p = run_cli("redact", str(source), *common, "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert "Seaview" not in "".join(texts(out.read_bytes())) and "withheld-detail" in p.stdout
    msg = tmp_path / "letter.msg"
    msg.write_bytes(legacy_letter("msg", "father"))
    p = run_cli("redact", str(msg), *common, "-o", str(tmp_path / "clean.msg"))
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert "cannot redact Outlook .msg files" in p.stderr and not (tmp_path / "clean.msg").exists()
    assert "Seaview" not in p.stderr


def test_white_and_tiny_text_are_removed_with_the_hidden_text():
    data = (rb"{\rtf1\ansi{\colortbl;\red255\green255\blue255;}Dear Mr Jones {\cf1 Sarah is at JE3 8XY}"
            rb"{\fs1 07700 900456}\par}")
    result = redact_values(data, "x.rtf", [])
    assert texts(result.data) == ["Dear Mr Jones"]
    assert b"JE3" not in result.data and b"07700" not in result.data
