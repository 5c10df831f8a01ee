"""The CLI in-process (click's CliRunner): policy check, index build, --to, --text, batch --recipients."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard.cli.main import cli

ALLOW, WARN, REDACT, BLOCK, FAILURE, USAGE = 0, 10, 20, 30, 3, 2


def invoke(*args: str, stdin: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_policy_check_shows_every_effective_rule_with_its_source(tmp_path: Path):
    path = tmp_path / "policy.yaml"
    path.write_text("organisation: {internal_domains: [gov.je]}\n"
                    "disable: [hidden-content]\n"
                    "rules:\n"
                    "  - {id: partner-warn, when: personal-data, action: warn, recipients: [partner]}\n"
                    "  - {id: partner-not-contact, action: block}\n")
    result = invoke("policy", "check", str(path))
    assert result.exit_code == ALLOW
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    assert rows["withheld-detail"] == ["block", "default"]
    assert rows["partner-not-contact"] == ["block", str(path)]
    assert rows["partner-warn"] == ["warn", str(path)]
    assert rows["hidden-content"][0] == "off"
    from disclosureguard.policy import default_policy

    assert len(rows) == len(default_policy().rules) + 1  # every default (one of them off) and the added rule


def test_policy_check_of_an_invalid_policy_exits_3_with_one_line(tmp_path: Path):
    path = tmp_path / "policy.yaml"
    path.write_text("organisation: {}\nrules:\n  - {id: x, when: nonsense, action: block}\n")
    result = invoke("policy", "check", str(path))
    assert result.exit_code == FAILURE
    assert result.stderr.count("\n") == 1 and "rules[0].when" in result.stderr


CASE_VALUES = ["JE3 8XY", "07700 900456", "sarah.smith@example.com", "943 476 5919", "JY 12 34 56 A",
               "Seaview Terrace", "Lily-Mae", "A123456789012", "2014-03-02"]


def _scan_json(*args: str) -> list[dict]:
    result = invoke("scan", *args, "--no-model", "--format", "jsonl")
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_index_build_then_scan_with_the_index_gives_the_decisions_of_the_case_folder(tmp_path: Path,
                                                                                    samples: Path):
    index = tmp_path / "cases.idx"
    result = invoke("index", "build", str(samples / "cases"), "-o", str(index))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    blob = index.read_bytes()
    for value in CASE_VALUES:
        for form in (value, value.replace(" ", ""), value.upper(), value.lower()):
            assert form.encode() not in blob, value
    targets = [str(samples / d) for d in ("letters", "emails", "rules")]
    by_folder = _scan_json(*targets, "--cases", str(samples / "cases"))
    by_index = _scan_json(*targets, "--cases", str(index))
    files = sum(1 for t in targets for p in Path(t).rglob("*") if p.is_file())
    assert len(by_folder) == files and {v["decision"] for v in by_folder} == {"allow", "warn", "redact", "block"}
    assert [(v["source"], v["decision"], sorted({r["rule"] for r in v["reasons"]})) for v in by_index] == [
        (v["source"], v["decision"], sorted({r["rule"] for r in v["reasons"]})) for v in by_folder]


def test_index_build_takes_several_case_sources(tmp_path: Path, samples: Path):
    cases = sorted((samples / "cases").iterdir())
    result = invoke("index", "build", *map(str, cases[:2]), "-o", str(tmp_path / "two.idx"))
    assert result.exit_code == 0 and "2 cases" in result.stdout


def test_to_splits_a_comma_separated_list_into_recipients(samples: Path):
    [verdict] = _scan_json(str(samples / "letters/letter-to-father.txt"), "--cases", str(samples / "cases"),
                           "--to", "Mark Jones <mjones@example.net>, someone@example.com")
    assert [(r["address"], r["class"]) for r in verdict["recipients"]] == [
        ("mjones@example.net", "case-person"), ("someone@example.com", "unknown")]


def test_scan_text_from_stdin_is_the_document_not_a_path(samples: Path):
    text = "Dear Mr Jones, Sarah now lives at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY."
    result = invoke("scan", "--text", "-", "--to", "mjones@example.net", "--cases", str(samples / "cases"),
                    "--no-model", "--format", "json", stdin=text)
    verdict = json.loads(result.stdout)
    assert result.exit_code == BLOCK
    assert verdict["source"] == "<stdin>"
    assert "withheld-detail" in {r["rule"] for r in verdict["reasons"]}


def test_scan_text_from_a_file_reads_it_as_plain_text_whatever_its_name(tmp_path: Path, samples: Path):
    notes = tmp_path / "notes.pdf"  # not a PDF: --text says it is text
    notes.write_text("Sarah's new number is 07700 900456.")
    result = invoke("scan", "--text", str(notes), "--to", "mjones@example.net", "--cases", str(samples / "cases"),
                    "--no-model", "--format", "json")
    verdict = json.loads(result.stdout)
    assert result.exit_code == BLOCK and verdict["errors"] == []
    assert verdict["source"] == f"{notes} (as text)"


@pytest.mark.parametrize("args", [(), ("x.txt", "--text", "-")])
def test_scan_needs_paths_or_text_but_not_both(args: tuple[str, ...]):
    result = invoke("scan", *args, "--no-model")
    assert result.exit_code == USAGE and result.stderr.count("\n") == 1


def _batch(tmp_path: Path, samples: Path, rows: list[str], *extra: str):
    csv = tmp_path / "letters.csv"
    csv.write_text("path,recipients\n" + "".join(row + "\n" for row in rows))
    return invoke("batch", str(samples / "letters"), "--cases", str(samples / "cases"), "--no-model",
                  "--workers", "1", "--recipients", str(csv), "--out", str(tmp_path / "sweep"), *extra)


def test_batch_reports_recipients_rows_that_match_no_file_and_fails(tmp_path: Path, samples: Path):
    rows = [f"{samples}/letters/letter-to-father.txt,mjones@example.net",
            f"{samples}/letters/not-there-1.txt,a@example.com", f"{samples}/letters/not-there-2.txt,b@example.com"]
    result = _batch(tmp_path, samples, rows)
    assert result.exit_code == FAILURE
    assert "2 row(s)" in result.stderr and "not-there-1.txt" in result.stderr and "--allow-unmatched" in result.stderr


def test_batch_allow_unmatched_accepts_them(tmp_path: Path, samples: Path):
    rows = [f"{samples}/letters/letter-to-father.txt,mjones@example.net", f"{samples}/letters/gone.txt,a@example.com"]
    result = _batch(tmp_path, samples, rows, "--allow-unmatched")
    assert result.exit_code == BLOCK, result.stderr


def test_text_typed_where_a_path_goes_is_refused_without_being_repeated():
    result = invoke("scan", "Dear Mr Jones, Sarah now lives at 8 Seaview Terrace", "--no-model")
    assert result.exit_code == FAILURE
    assert "--text" in result.stderr and "Seaview" not in result.stderr and "Sarah" not in result.stderr


def test_a_recipients_row_that_is_not_an_address_is_refused_naming_the_line(tmp_path: Path, samples: Path):
    result = _batch(tmp_path, samples, [f"{samples}/letters/letter-to-father.txt,Mark Jones"])
    assert result.exit_code == FAILURE
    assert "line 2, recipients" in result.stderr and "Mark Jones" not in result.stderr
