"""Sensitive values fed through every error path we can reach appear in no message, log record or stderr.

Each path gets the same values (a name, a postcode, a phone, an NHS number, an email) in
the place that goes wrong: text passed as a path, damaged bytes, a folder, a bad policy, a
bad case file, a limit, a time limit. Error messages name the file and the cause only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard import Scanner
from disclosureguard.cli.main import cli
from disclosureguard.errors import DisclosureGuardError
from disclosureguard.limits import Limits
from disclosureguard.model import Verdict

VALUES = ["Sarah Smith", "JE3 8XY", "07700 900456", "943 476 5919", "sarah.smith@example.com"]
LETTER = ("Dear Mr Jones, Sarah Smith now lives at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY. "
          "Her phone is 07700 900456, email sarah.smith@example.com, NHS number 943 476 5919.")


def _folded(text: str) -> str:
    return "".join(text.split()).lower()


def assert_no_values(*texts: str) -> None:
    for text in texts:
        for value in VALUES:
            assert _folded(value) not in _folded(text), f"{value!r} leaked into: {text[:200]!r}"


def _error_text(v: Verdict) -> list[str]:
    return [f"{e.part} {e.cause} {e.message}" for e in v.errors] + [r.message for r in v.reasons
                                                                     if r.rule.startswith("unscannable")]


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    caplog.set_level(logging.DEBUG)
    yield caplog.records


@pytest.fixture(scope="module")
def quick(samples: Path) -> Scanner:
    return Scanner(cases=str(samples / "cases"), model=None)


def test_text_passed_as_a_path_is_never_repeated(quick: Scanner, records, capfd):
    with pytest.raises(DisclosureGuardError) as e:
        quick.scan(LETTER)
    assert "scan_text" in str(e.value)
    assert_no_values(str(e.value), repr(e.value), *(r.getMessage() for r in records), *capfd.readouterr())


@pytest.mark.parametrize("name", ["report.docx", "report.pdf", "letter.zip", "message.eml", "sheet.xlsx"])
def test_damaged_bytes_holding_values_give_errors_without_them(quick: Scanner, records, capfd, name: str):
    magic = {"report.docx": b"PK\x03\x04", "letter.zip": b"PK\x03\x04", "report.pdf": b"%PDF-1.7\n",
             "sheet.xlsx": b"PK\x03\x04", "message.eml": b"Content-Type: multipart/mixed; boundary=x\n\n--x\n"}[name]
    data = magic + LETTER.encode() + b"\x00\xff\xfe" * 50 + LETTER.encode("utf-16-le")
    verdict = quick.scan(data, ["someone@example.com"], name=name)
    assert verdict.decision.label != "allow"
    assert_no_values(*_error_text(verdict), *(r.getMessage() for r in records), *capfd.readouterr())


def test_over_the_size_limit_is_an_error_without_values(samples: Path, records, capfd):
    scanner = Scanner(cases=str(samples / "cases"), model=None, limits=Limits(max_bytes=20))
    verdict = scanner.scan(LETTER.encode(), ["someone@example.com"], name="letter.txt")
    assert [e.cause for e in verdict.errors] == ["limit"]
    assert_no_values(*_error_text(verdict), *(r.getMessage() for r in records), *capfd.readouterr())


def _cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "policy",
    [
        f"organisation: {{internal_domains: ['{VALUES[0]}']}}\n",
        f"organisation: {{own_details: [{{x: '{VALUES[1]}'}}]}}\n",
        f"organisation: {{}}\nrules:\n  - {{id: a, when: '{VALUES[2]}', action: block}}\n",
        f"organisation: {{}}\nrules:\n  - {{id: a, when: unscannable, action: block, recipients: ['{VALUES[0]}']}}\n",
        f"organisation: {{}}\ndisable: ['{VALUES[4]}']\n",
        f"organisation: {{name: [unclosed '{VALUES[3]}'\n",
    ],
)
def test_a_bad_policy_is_named_without_its_values(tmp_path: Path, samples: Path, policy: str):
    path = tmp_path / "policy.yaml"
    path.write_text(policy)
    code, out, err = _cli("scan", str(samples / "letters/letter-to-father.txt"), "--policy", str(path), "--no-model")
    assert code == 3 and str(path) in err
    assert_no_values(out, err)
    code, out, err = _cli("policy", "check", str(path))
    assert code == 3
    assert_no_values(out, err)


@pytest.mark.parametrize(
    "case",
    [
        f"case: CSC-1\npeople:\n  - {{id: s, role: parent, names: [Sarah], born: '{VALUES[1]}'}}\n",
        f"case: CSC-1\npeople:\n  - {{id: s, role: '{VALUES[0]}', names: [Sarah]}}\n",
        f"case: CSC-1\npeople:\n  - {{id: s, role: parent, names: [Sarah], emails: ['{VALUES[2]}']}}\n",
        f"case: CSC-1\npeople:\n  - {{id: s, role: parent, names: [Sarah], identifiers: {{nhs: '{VALUES[3]}'}}}}\n",
        f"case: CSC-1\npeople:\n  - {{id: '{VALUES[4]}', role: parent, names: [Sarah]}}\n",
        f"case: CSC-1\npeople:\n  - {{id: s, role: parent, names: [{VALUES[0]}, phones: ['{VALUES[2]}']\n",
        f"case: CSC-1\npeople:\n  - {{id: s, role: parent, names: [Sarah], phones: {{a: '{VALUES[2]}'}}}}\n",
    ],
)
def test_a_bad_case_file_is_named_without_its_values(tmp_path: Path, samples: Path, case: str):
    path = tmp_path / "bad-case.yaml"
    path.write_text(case)
    code, out, err = _cli("scan", str(samples / "letters/letter-to-father.txt"), "--case", str(path), "--no-model")
    assert code == 3 and str(path) in err, err
    assert_no_values(out, err)
    code, out, err = _cli("index", "build", str(path), "-o", str(tmp_path / "x.idx"))
    assert code == 3
    assert_no_values(out, err)


def test_a_folder_and_a_missing_text_file_are_named_without_the_values_inside(tmp_path: Path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / ".hidden").write_text(LETTER)
    code, out, err = _cli("scan", str(folder), "--no-model")
    assert code == 3
    code2, out2, err2 = _cli("scan", "--text", str(tmp_path / "gone.txt"), "--no-model")
    assert code2 == 3
    assert_no_values(out, err, out2, err2)


def test_a_timed_out_scan_says_timeout_without_the_values(tmp_path: Path, samples: Path):
    slow = tmp_path / "slow.txt"
    slow.write_text(LETTER + " a" * 1_500_000 + LETTER)
    code, out, err = _cli("scan", str(slow), "--cases", str(samples / "cases"), "--no-model", "--time-limit", "1",
                          "--to", "someone@example.com", "--format", "json")
    assert code == 30 and '"timeout"' in out
    assert_no_values(out, err)
