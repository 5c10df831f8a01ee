"""The built index: same answers as the case files, no cleartext, mode 0600, tamper-proof."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard.cases import CaseIndex, build_index, load_case_files, load_cases
from disclosureguard.cases.index_file import KEY_ENV, key_path_for
from disclosureguard.cli.index import index as index_command
from disclosureguard.errors import CaseFileError
from disclosureguard.model import Segment

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "cases"

LETTER = [
    Segment("Mr Mark Jones\n22 Elm Grove\nSt Helier", "body, paragraph 1"),
    Segment("Dear Mr Jones,", "body, paragraph 2"),
    Segment(
        "Re: Lily Smith, DOB 02/03/2014, NHS 943 476 5919 (CSC-2021-004512). Sarah now lives at "
        "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY, phone 07700 900456, sarah.smith@example.com. "
        "Janet Cooper made the referral; Priya Shah visited Noah Le Brocq at Rosemount, 4 La Rue des Pres.",
        "body, paragraph 3",
    ),
]

# Every value of the sample cases that must not be readable from the index file.
CLEARTEXT = [
    "Seaview",
    "SEAVIEW",
    "seaview",
    "Rue de Haut",
    "ruedehaut",
    "JE3 8XY",
    "je38xy",
    "JE38XY",
    "9434765919",
    "943 476 5919",
    "A123456789012",
    "a123456789012",
    "900456",
    "07700900456",
    "sarah.smith@example.com",
    "sarahsmith",
    "mjones",
    "2014-03-02",
    "Rosemount",
    "Lily-Mae",
    "stmarys",
    "priya.shah@gov.je",
    "JY 12 34 56",
    "jy123456a",
    "0163296",
    "Bagatelle",
]


@pytest.fixture()
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(KEY_ENV, raising=False)
    out = tmp_path / "idx" / "cases.idx"
    build_index(SAMPLES, out)
    return out


def _summary(ctx: CaseIndex) -> list[tuple[object, ...]]:
    return [(f.text, f.entity_type, f.case, f.person, f.detail, f.score) for f in ctx.attribute(LETTER, [])]


def test_built_index_attributes_exactly_like_the_case_files(built: Path) -> None:
    from_files = load_cases(SAMPLES)
    from_index = load_cases(built)
    assert isinstance(from_files, CaseIndex) and isinstance(from_index, CaseIndex)
    assert _summary(from_index) == _summary(from_files)
    assert len(_summary(from_index)) >= 12
    for addr in ("mjones@example.net", "dsl@stmarys.sch.je", "priya.shah@gov.je", "nobody@example.com"):
        assert from_index.recipient(addr) == from_files.recipient(addr)
    assert from_index.addressee(LETTER) == from_files.addressee(LETTER)
    assert len(from_index) == 3


def test_index_file_holds_no_cleartext_values(built: Path) -> None:
    blob = built.read_bytes()
    for value in CLEARTEXT:
        assert value.encode() not in blob, value
    # Kept in clear on purpose: case references, ids, roles and display names for messages.
    assert b"CSC-2021-004512" in blob and b"Sarah Smith" in blob


def test_index_and_key_files_are_mode_0600(built: Path) -> None:
    assert stat.S_IMODE(built.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path_for(built).stat().st_mode) == 0o600


def test_rebuild_reuses_the_key_beside_the_index(built: Path) -> None:
    key = key_path_for(built).read_text()
    build_index(SAMPLES, built)
    assert key_path_for(built).read_text() == key
    assert len(load_cases(built)) == 3


def test_tampered_index_is_refused(built: Path) -> None:
    blob = bytearray(built.read_bytes())
    blob[-100] ^= 0x01
    built.write_bytes(bytes(blob))
    with pytest.raises(CaseFileError, match="integrity check failed"):
        load_cases(built)


def test_wrong_key_is_refused_with_a_clear_message(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "another-key-of-enough-length")
    with pytest.raises(CaseFileError, match="the key it was built with"):
        load_cases(built)


def test_missing_key_is_a_clear_error(built: Path) -> None:
    key_path_for(built).unlink()
    with pytest.raises(CaseFileError, match=KEY_ENV):
        load_cases(built)


def test_key_file_readable_by_others_is_refused(built: Path) -> None:
    os.chmod(key_path_for(built), 0o644)
    with pytest.raises(CaseFileError, match="chmod 600"):
        load_cases(built)


def test_key_from_environment_writes_no_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a-gateway-key-from-the-vault-0123")
    out = tmp_path / "cases.idx"
    report = build_index(SAMPLES, out)
    assert report.key_path is None and not key_path_for(out).exists()
    assert len(load_cases(out)) == 3


def test_built_index_cannot_be_mixed_with_case_files(built: Path) -> None:
    with pytest.raises(CaseFileError, match="on its own"):
        load_cases([built, SAMPLES / "smith-CSC-2021-004512.yaml"])


def test_cli_index_build_writes_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    out = tmp_path / "cases.idx"
    result = CliRunner().invoke(index_command, ["build", str(SAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 cases" in result.output and str(key_path_for(out)) in result.output
    assert len(load_cases(out)) == 3


def test_cli_index_build_bad_case_file_is_one_line_and_nonzero(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("case: C\npeople:\n  - {id: a, role: cousin, names: [A B]}\n")
    result = CliRunner().invoke(index_command, ["build", str(tmp_path), "-o", str(tmp_path / "x.idx")])
    assert result.exit_code not in (0, 1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.yaml: people[0].role" in lines[0]
    assert not (tmp_path / "x.idx").exists()


def test_cli_index_build_without_output_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(index_command, ["build", str(SAMPLES)])
    assert result.exit_code == 2


def test_in_memory_index_from_case_files_has_no_cleartext_table_keys() -> None:
    idx = CaseIndex.from_cases(load_case_files([SAMPLES]))
    assert all(isinstance(k, bytes) and len(k) == 16 for k in idx.data.table)
