"""Hidden but once not marked hidden (issue 13): hidden and very hidden xlsx sheets, RTF ``\\v`` text.

Each file is built in code with the child's details, or the mother's withheld address, only in
the hidden construct; the visible part says nothing. The text must be found (blocked to an
unknown address, and to the father for the address) and marked hidden, so that a partner agency
gets ``hidden-content`` (block), not the warning an ordinary finding gives a partner.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest

from construct_fixtures import (
    ADDRESS,
    CHILD,
    CHILD_NHS,
    FATHER,
    UNKNOWN,
    assert_child_blocked,
    assert_withheld_address_blocked,
)
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.model import Action

PARTNER = "gp@nhs.net"  # a partner domain of samples/policy.yaml, not a contact of the case


def _workbook_with_sheet(state: str) -> Callable[[str], bytes]:
    def build(text: str) -> bytes:
        wb = openpyxl.Workbook()
        shown = wb.active
        assert shown is not None
        shown.title = "Visits"
        shown.append(["Visit", "Outcome"])
        shown.append(["Tuesday", "Went ahead"])
        hidden = wb.create_sheet("Notes")
        hidden.sheet_state = state
        hidden["A1"] = text
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    return build


def _rtf_hidden_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0 Meeting notes.\par {\v " + escaped + r"}\par}").encode()


BUILDERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "hidden xlsx sheet": (_workbook_with_sheet("hidden"), "notes.xlsx"),
    "very hidden xlsx sheet": (_workbook_with_sheet("veryHidden"), "notes.xlsx"),
    "RTF \\v hidden text": (_rtf_hidden_text, "notes.rtf"),
}
CONSTRUCTS = sorted(BUILDERS)


def _scan(scanner: Scanner, construct: str, text: str, to: str):  # type: ignore[no-untyped-def]
    build, name = BUILDERS[construct]
    return scanner.scan(build(text), [to], name=name)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_the_construct_is_read_and_marked_hidden(construct: str):
    build, name = BUILDERS[construct]
    doc = extract(build(CHILD), name)
    assert doc.all_problems() == ()
    holding = [s for s in doc.all_segments() if CHILD_NHS in s.text]
    assert len(holding) == 1 and holding[0].hidden


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_child_details_only_in_the_construct_are_blocked_to_an_unknown_address(
    construct: str, patterns_scanner: Scanner
):
    verdict = _scan(patterns_scanner, construct, CHILD, UNKNOWN)
    assert_child_blocked(verdict)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_mothers_withheld_address_only_in_the_construct_is_blocked_to_the_father(
    construct: str, patterns_scanner: Scanner
):
    verdict = _scan(patterns_scanner, construct, ADDRESS, FATHER)
    assert_withheld_address_blocked(verdict)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_child_details_only_in_the_construct_are_hidden_content_to_a_partner(
    construct: str, patterns_scanner: Scanner
):
    verdict = _scan(patterns_scanner, construct, CHILD, PARTNER)
    assert verdict.decision == Action.BLOCK
    assert {r.rule for r in verdict.reasons if r.action == Action.BLOCK} == {"hidden-content"}
