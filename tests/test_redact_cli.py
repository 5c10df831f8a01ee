"""Redaction from a scan: what the decision names is removed, the copy rescans clean, and
`disclosureguard redact` writes it mode 0600, records it in the audit log without values,
and writes nothing when the document cannot be redacted."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import docx
import pytest

from cli_run import Ran, run_cli
from disclosureguard.model import Action
from disclosureguard.redact import redact_analysis
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, letter_docx, letter_text

FATHER = ["mjones@example.net"]


def run(*args: str) -> Ran:
    return run_cli(*args)  # in this process: a real process would add only its start


def test_default_removes_what_made_the_decision_block_and_the_copy_rescans_clean(patterns_scanner, samples):
    analysis = patterns_scanner.analyse(samples / "letters" / "letter-to-father.txt", FATHER)
    assert analysis.verdict.decision == Action.BLOCK
    result = redact_analysis(analysis)
    assert {r.entity_type for r in result.removed} >= {"ADDRESS", "UK_POSTCODE"}
    assert {r.rule for r in result.removed} == {"withheld-detail"}
    text = result.data.decode()
    assert ADDRESS not in text and POSTCODE not in text
    assert "Mr Mark Jones" in text and "Lily" in text  # the rest of the letter is the father's to read
    again = patterns_scanner.scan(result.data, FATHER, name="letter-redacted.txt")
    assert "withheld-detail" not in {r.rule for r in again.reasons}
    assert again.decision < Action.REDACT


def test_entities_picks_types_and_all_takes_every_finding(patterns_scanner):
    analysis = patterns_scanner.analyse(letter_text().encode(), FATHER, name="letter.txt")
    phones = redact_analysis(analysis, entities=["phone_number"])
    assert {r.entity_type for r in phones.removed} == {"PHONE_NUMBER"}
    assert PHONE not in phones.data.decode() and POSTCODE in phones.data.decode()
    everything = redact_analysis(analysis, all=True)
    assert len(everything.removed) == len(analysis.findings)
    assert {r.rule for r in everything.removed} == {"requested: all findings"}


def test_word_letter_to_the_father_rescans_without_withheld_or_hidden_content(patterns_scanner):
    analysis = patterns_scanner.analyse(letter_docx(), FATHER, name="letter.docx")
    rules = {r.rule for r in analysis.verdict.reasons}
    assert "withheld-detail" in rules
    result = redact_analysis(analysis)
    again = patterns_scanner.scan(result.data, FATHER, name="letter-redacted.docx")
    assert not {"withheld-detail", "hidden-content"} & {r.rule for r in again.reasons}


def test_cli_writes_a_private_copy_and_an_audit_record_without_values(smith_cases, samples, tmp_path):
    out = tmp_path / "clean.txt"
    log = tmp_path / "audit.jsonl"
    p = run("redact", str(samples / "letters" / "letter-to-father.txt"), "--to", FATHER[0],
            "--cases", str(smith_cases), "--policy", str(samples / "policy.yaml"), "--no-model",
            "-o", str(out), "--audit-log", str(log))
    assert p.returncode == 0, p.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert ADDRESS not in out.read_text()
    assert "ADDRESS at body, paragraph" in p.stdout and "withheld-detail" in p.stdout
    for value in (ADDRESS, POSTCODE, PHONE, EMAIL):
        assert value not in p.stdout and value not in log.read_text()
    record = json.loads(log.read_text().splitlines()[-1])
    assert record["event"] == "redact" and record["verified"] is True
    assert {"entity_type": "ADDRESS", "location": "body, paragraph 8", "rule": "withheld-detail"} in record["removed"]
    from disclosureguard.audit import verify

    assert verify(log).ok


def test_cli_fails_with_exit_3_and_writes_nothing_when_the_format_cannot_be_redacted(smith_cases, samples, tmp_path):
    archive = tmp_path / "letters.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("letter.txt", letter_text())
    archive.write_bytes(buf.getvalue())
    out = tmp_path / "clean.zip"
    p = run("redact", str(archive), "--to", FATHER[0], "--cases", str(smith_cases), "--no-model", "--all",
            "-o", str(out))
    assert p.returncode == 3
    assert "cannot redact" in p.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "extra, message",
    [(["--all", "--entities", "UK_NHS"], "not both"), (["--operator", "UK_NHS=encrypt", "--all"], "TYPE=replace")],
)
def test_cli_rejects_contradictory_or_unknown_options(samples, tmp_path, extra, message):
    p = run("redact", str(samples / "letters" / "letter-to-father.txt"), "--no-model", "-o",
            str(tmp_path / "out.txt"), *extra)
    assert p.returncode == 2
    assert message in p.stderr


def test_the_letter_writers_name_in_the_author_field_goes_but_her_signature_stays(scanner):
    analysis = scanner.analyse(letter_docx(), FATHER, name="letter.docx")
    authors = [f for f in analysis.findings if f.location == "document property: author"]
    assert authors and authors[0].entity_type == "PERSON"
    result = redact_analysis(analysis)
    document = docx.Document(io.BytesIO(result.data))
    assert document.core_properties.author == ""
    assert "Priya Shah, Social Worker" in [p.text for p in document.paragraphs]
