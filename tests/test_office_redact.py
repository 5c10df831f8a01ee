"""Redacting spreadsheets and OpenDocument: the withheld values truly gone (from every part),
the copy opens in LibreOffice and rescans clean; the formats that cannot be written are
refused with a message saying what to do, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from cli_run import run_cli
from disclosureguard.model import Action
from disclosureguard.redact import RedactionError, Target, redact_analysis, redact_values
from office_fixtures import CHILDREN, children_xlsx, convert, letter, odt

FATHER = ["mjones@example.net"]
ADDRESS_PARTS = ("Seaview", "JE3 8XY", "St Brelade")


def every_part(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "odt", "csv"])
def test_fathers_letter_loses_the_withheld_address_and_rescans_clean(fmt: str, patterns_scanner) -> None:
    analysis = patterns_scanner.analyse(letter(fmt, "father"), FATHER, name=f"letter.{fmt}")
    assert analysis.verdict.decision == Action.BLOCK
    result = redact_analysis(analysis)
    assert result.verified and {r.rule for r in result.removed} == {"withheld-detail"}
    text = result.data.decode() if fmt == "csv" else every_part(result.data)
    assert not [p for p in ADDRESS_PARTS if p in text]
    assert "Mr Mark Jones" in text or "Mark Jones" in text  # the rest is the father's to read
    again = patterns_scanner.scan(result.data, FATHER, name=f"letter-redacted.{fmt}")
    assert "withheld-detail" not in {r.rule for r in again.reasons}
    assert again.decision < Action.REDACT


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "odt"])
def test_redacted_copy_opens_in_libreoffice(fmt: str, patterns_scanner) -> None:
    analysis = patterns_scanner.analyse(letter(fmt, "father"), FATHER, name=f"letter.{fmt}")
    copy = redact_analysis(analysis).data
    shown = convert(copy, fmt, "csv" if fmt != "odt" else "txt").decode("utf-8", "replace")
    assert "Mark Jones" in shown and "[REDACTED: ADDRESS]" in shown and "Seaview" not in shown


def test_nhs_numbers_kept_as_formatted_numbers_are_removed_and_names_stay() -> None:
    data = children_xlsx()
    nhs = [Target(f"{n // 10**7} {n // 10**4 % 1000:03d} {n % 10**4:04d}", "UK_NHS")
           for n in (openpyxl.load_workbook(io.BytesIO(data)).active.cell(r, 3).value for r in range(2, 12))]
    result = redact_values(data, "children.xlsx", nhs)
    ws = openpyxl.load_workbook(io.BytesIO(result.data)).active
    assert [ws.cell(r, 3).value for r in range(2, 12)] == ["[REDACTED: UK_NHS]"] * 10
    assert [ws.cell(r, 1).value for r in range(2, 12)] == CHILDREN


def test_comments_hidden_sheets_hidden_rows_and_author_go_from_a_workbook() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Visit notes"
    ws["A1"].comment = Comment("Sarah is at Seaview Terrace", "Priya Shah")
    ws["A2"] = "row nobody sees"
    ws.row_dimensions[2].hidden = True
    secret = wb.create_sheet("Contacts")
    secret.sheet_state = "hidden"
    secret["A1"] = "07700 900456"
    wb.properties.creator = "Priya Shah"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = redact_values(buffer.getvalue(), "notes.xlsx", [])
    text = every_part(result.data)
    for gone in ("Seaview", "row nobody sees", "07700 900456", "Priya Shah", "Contacts"):
        assert gone not in text, gone
    assert "Visit notes" in text


def test_odt_tracked_changes_annotations_hidden_text_and_thumbnail_go() -> None:
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
        "<dc:creator>Priya Shah</dc:creator></office:change-info><text:p>old: Seaview Terrace</text:p>"
        '</text:deletion></text:changed-region></text:tracked-changes><text:p><text:change text:change-id="c1"/>'
        "Dear Mr Jones,<office:annotation><dc:creator>Anne</dc:creator><text:p>check with Sarah</text:p>"
        '</office:annotation><text:span text:style-name="Hid"> hidden words</text:span> see you soon.</text:p>'
    )
    data = odt(body, meta="<meta:initial-creator>Priya Shah</meta:initial-creator>")
    result = redact_values(data, "letter.odt", [])
    text = every_part(result.data)
    for gone in ("Seaview", "check with Sarah", "hidden words", "Priya Shah", "Anne"):
        assert gone not in text, gone
    assert "Dear Mr Jones, see you soon." in text
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        assert zf.namelist()[0] == "mimetype" and zf.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert not [n for n in zf.namelist() if n.startswith("Thumbnails/")]
        assert "Thumbnails/thumbnail.png" not in zf.read("META-INF/manifest.xml").decode()


@pytest.mark.parametrize(("fmt", "advice"), [("xls", "save it as .xlsx"), ("pptx", "save it as .odp")])
def test_formats_without_a_writer_are_refused_and_nothing_is_written(
    fmt: str, advice: str, tmp_path: Path, smith_cases: Path
) -> None:
    source = tmp_path / f"letter.{fmt}"
    source.write_bytes(letter(fmt, "father"))
    out = tmp_path / f"redacted.{fmt}"
    p = run_cli("redact", str(source), "-o", str(out), "--cases", str(smith_cases), "--no-model")
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert "cannot redact" in p.stderr and advice in p.stderr
    assert not out.exists()
    with pytest.raises(RedactionError):
        redact_values(source.read_bytes(), source.name, [Target("Seaview Terrace", "ADDRESS")])


def test_redacting_a_converted_xls_as_xlsx_works(patterns_scanner) -> None:
    """The advice given for .xls is one that works."""
    xlsx = convert(letter("xls", "father"), "xls", "xlsx")
    analysis = patterns_scanner.analyse(xlsx, FATHER, name="letter.xlsx")
    result = redact_analysis(analysis)
    assert "Seaview" not in every_part(result.data)
