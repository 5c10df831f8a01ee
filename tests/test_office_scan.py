"""The Smith letter in every spreadsheet, slide and OpenDocument format, end to end: the
version with the mother's withheld address blocks for the father, the clean version goes
to the mother, through `disclosureguard scan` and `disclosureguard batch`; a list of ten
children goes nowhere outside; no extractor hands markup to the name finder."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from disclosureguard.cli.main import main
from disclosureguard.model import Action
from office_fixtures import FORMATS, children_xlsx, letter

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "samples" / "policy.yaml")
FATHER = "mjones@example.net"
MOTHER = "sarah.smith@example.com"
# What markup read as text looks like: tags, attributes, entities, control words, XML names.
MARKUP = re.compile(r"[<>{}\\=\"/]|&\w+;|xmlns|\b(?:w|a|p|text|office|table|style|draw|config|xl):\w")


def scan_json(path: Path, cases: Path, *to: str) -> tuple[int, dict]:
    out = io.StringIO()
    args = ["scan", str(path), "--cases", str(cases), "--policy", POLICY, "--no-model", "--format", "json"]
    for address in to:
        args += ["--to", address]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_with_the_withheld_address_blocks_for_the_father_through_the_cli(
    fmt: str, tmp_path: Path, smith_cases: Path
) -> None:
    path = tmp_path / f"letter.{fmt}"
    path.write_bytes(letter(fmt, "father"))
    code, verdict = scan_json(path, smith_cases)  # the addressee is read from the letter itself
    assert verdict["errors"] == []
    assert [r["person"] for r in verdict["recipients"]] == ["mark"]
    assert verdict["decision"] == "block" and code == 30
    withheld = [r for r in verdict["reasons"] if r["rule"] == "withheld-detail"]
    assert withheld and withheld[0]["action"] == "block"
    places = {verdict["findings"][i]["location"] for r in withheld for i in r["findings"]}
    assert places and all(("row" in p or "paragraph" in p or "notes" in p) for p in places), places


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_letter_goes_to_the_mother_through_the_cli(fmt: str, tmp_path: Path, smith_cases: Path) -> None:
    path = tmp_path / f"letter.{fmt}"
    path.write_bytes(letter(fmt, "mother"))
    code, verdict = scan_json(path, smith_cases)
    assert verdict["errors"] == []
    assert [r["person"] for r in verdict["recipients"]] == ["sarah"]
    assert verdict["decision"] == "allow" and code == 0, verdict["reasons"]


def test_children_in_care_list_to_an_outside_address_blocks_and_names_the_sheet_and_rows(
    tmp_path: Path, smith_cases: Path
) -> None:
    path = tmp_path / "children-in-care.xlsx"
    path.write_bytes(children_xlsx())
    code, verdict = scan_json(path, smith_cases, "placements@example.org")
    assert verdict["decision"] == "block" and code == 30
    nhs = [f for f in verdict["findings"] if f["entity_type"] == "UK_NHS"]
    assert len(nhs) == 10
    assert {f["location"] for f in nhs} == {f"sheet 'Children in care', row {n}" for n in range(2, 12)}
    assert len([f for f in verdict["findings"] if f["entity_type"] == "DATE_OF_BIRTH"]) == 10
    blocking = [r for r in verdict["reasons"] if r["action"] == "block"]
    assert blocking and "sheet 'Children in care', row 2" in blocking[0]["message"]


def test_batch_sweep_blocks_each_fathers_letter_and_allows_each_mothers(tmp_path: Path, smith_cases: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    rows = ["path,recipients"]
    for fmt in FORMATS:
        for to, address in (("father", FATHER), ("mother", MOTHER)):
            path = folder / f"letter-to-{to}.{fmt}"
            path.write_bytes(letter(fmt, to))
            rows.append(f"{path},{address}")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("\n".join(rows) + "\n")
    out = tmp_path / "sweep"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["batch", str(folder), "--cases", str(smith_cases), "--recipients", str(recipients), "--no-model",
              "--workers", "1", "--out", str(out)])
    records = [json.loads(line) for line in (out / "verdicts.jsonl").read_text().splitlines() if line.strip()]
    by_name = {Path(r["path"]).name: r for r in records}
    assert len(by_name) == 2 * len(FORMATS)
    for fmt in FORMATS:
        father, mother = by_name[f"letter-to-father.{fmt}"], by_name[f"letter-to-mother.{fmt}"]
        assert father["decision"] == "block", (fmt, father)
        assert "withheld-detail" in {r["rule"] for r in father["reasons"]}, fmt
        assert mother["decision"] == "allow", (fmt, mother)


@pytest.mark.parametrize("fmt", [*FORMATS, "odp"])
def test_no_person_found_in_a_clean_file_is_made_of_markup(fmt: str, scanner) -> None:
    from office_fixtures import convert

    data = convert(letter("pptx", "mother"), "pptx", "odp") if fmt == "odp" else letter(fmt, "mother")
    analysis = scanner.analyse(data, [MOTHER], name=f"letter.{fmt}")
    assert analysis.document.all_problems() == ()
    people = [f for f in analysis.findings if f.entity_type == "PERSON"]
    assert people, "the letter names people: a scan that finds none has not read it"
    assert not [f.text for f in people if MARKUP.search(f.text)]
    assert analysis.verdict.decision == Action.ALLOW, [r.message for r in analysis.verdict.reasons]
