"""The addressee is read from the letter's structure, whatever its layout.

The same letter to Marco de Sousa (tests/letter_layouts.py) in nine layouts across txt, docx
and pdf: the address block as one paragraph with line breaks, as separate paragraphs, in a
table cell, in a text box, in the page header, and in one or two columns of a PDF page. Each
ends with the social worker's sign-off ("Kind regards, / Jo Bisson / Social Worker / Direct
line ..."), which looks like an address block and is the sender, never the addressee.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.cases import CaseIndex, load_case_files
from disclosureguard.cases.addressee import read_parties
from disclosureguard.extract import extract
from disclosureguard.model import Segment
from island_case import write_case
from letter_layouts import LAYOUTS


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_case(tmp_path_factory.mktemp("island") / "cases")


@pytest.fixture(scope="module")
def index(cases: Path) -> CaseIndex:
    return CaseIndex.from_cases(load_case_files([cases]))


def segments_of(layout: str) -> list[Segment]:
    name, build = LAYOUTS[layout]
    document = extract(build(), name)
    assert not document.problems, document.problems
    return list(document.segments)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_father_is_the_addressee_in_every_layout(index: CaseIndex, layout: str) -> None:
    r = index.addressee(segments_of(layout))
    assert r is not None
    assert (r.person, r.cls, r.found_by) == ("marco", "case-person", "letter address block")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_sign_off_is_the_sender_and_the_salutation_agrees(index: CaseIndex, layout: str) -> None:
    parties = index.letter_parties(segments_of(layout))
    assert parties.sender is not None
    assert parties.sender.written == "Jo Bisson"
    assert index.data.members[parties.sender.member].id == "jo"  # type: ignore[index]
    (addressee,) = parties.addressees
    assert index.data.members[addressee.member].id == "marco"  # type: ignore[index]
    assert [(e.part, e.written) for e in addressee.evidence] == [
        ("address block", "Mr Marco de Sousa"),
        ("salutation", "Mr de Sousa"),
    ]


@pytest.mark.parametrize("layout", ["docx-line-breaks", "pdf-left-block", "txt-block"])
def test_the_mothers_withheld_phone_in_a_letter_to_the_father_is_blocked(
    cases: Path, tmp_path: Path, layout: str
) -> None:
    """The issue's letter: read as addressed to the social worker who signed it, it was allowed."""
    name, build = LAYOUTS[layout]
    path = tmp_path / name
    path.write_bytes(build())
    verdict = Scanner(cases=str(cases)).scan(path)
    (rv,) = verdict.recipients
    assert (rv.recipient.person, rv.recipient.found_by) == ("marco", "letter address block")
    assert verdict.decision.label == "block"
    assert any(
        r.rule == "withheld-detail" and "phone number is withheld from Marco de Sousa" in r.message
        for r in verdict.reasons
    ), [(r.rule, r.message) for r in verdict.reasons]


def _letter(*paragraphs: str) -> list[Segment]:
    return [Segment(p, f"body, paragraph {i + 1}") for i, p in enumerate(paragraphs)]


def test_a_signature_alone_is_no_addressee(index: CaseIndex) -> None:
    segments = _letter(
        "Thank you for coming on Friday.", "Kind regards,", "Jo Bisson\nSocial Worker\nDirect line 01534 612399"
    )
    assert index.addressee(segments) is None


def test_a_letter_addressed_to_the_professional_makes_them_a_contact_not_a_case_person(index: CaseIndex) -> None:
    segments = _letter(
        "Jo Bisson\nSocial Worker\n12 Seaton Place\nSt Helier JE4 8QT",
        "Dear Jo,",
        "Re: Kai-James.",
        "Yours sincerely,",
        "Noah du Feu",
    )
    r = index.addressee(segments)
    assert r is not None and (r.person, r.cls) == ("jo", "case-contact")


def test_two_people_in_the_salutation_are_both_addressees(index: CaseIndex) -> None:
    segments = _letter("Dear Marco and Inês,", "Kai-James is doing well.", "Best wishes,", "Jo Bisson")
    parties = read_parties(index, segments, index.attribution(segments))
    assert [index.data.members[p.member].id for p in parties.addressees if p.member is not None] == ["marco", "ines"]


@pytest.mark.parametrize("line", ["Mr M de Sousa", "MR MARCO DE SOUSA", "Mr & Mrs de Sousa", "FAO: Mr de Sousa"])
def test_address_block_name_lines_with_particles_initials_and_capitals(index: CaseIndex, line: str) -> None:
    r = index.addressee(
        _letter(
            f"{line}\nFlat 4, 22 La Route du Fort\nSt Saviour JE2 7XY", "Dear Sir,", "Re: Kai-James Le Brocq-Vibert"
        )
    )
    assert r is not None and r.person == "marco", line
