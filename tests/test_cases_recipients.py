"""Case recipients: classes, the withheld triples, and a letter's addressee."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard.cases import CaseIndex, load_case_files, load_cases
from disclosureguard.model import Segment

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "cases"
SMITH = "CSC-2021-004512"
LEBROCQ = "CSC-2022-000731"
PATEL = "CSC-2023-001108"


@pytest.fixture(scope="module")
def index() -> CaseIndex:
    ctx = load_cases(SAMPLES)
    assert isinstance(ctx, CaseIndex)
    return ctx


def letter(*paragraphs: str) -> list[Segment]:
    return [Segment(text=p, location=f"body, paragraph {i + 1}") for i, p in enumerate(paragraphs)]


def test_father_is_a_case_person_kept_from_mothers_contact_details_and_the_referrer(index: CaseIndex) -> None:
    r = index.recipient("MJones@Example.net")
    assert r is not None
    assert (r.cls, r.cases, r.person, r.person_name, r.role) == (
        "case-person",
        (SMITH,),
        "mark",
        "Mark Jones",
        "parent",
    )
    assert r.withheld == frozenset(
        {(SMITH, "sarah", "address"), (SMITH, "sarah", "phone"), (SMITH, "sarah", "email"), (SMITH, "janet", "name")}
    )
    assert r.is_family


def test_mother_is_kept_only_from_the_referrers_identity(index: CaseIndex) -> None:
    r = index.recipient("sarah.smith@example.com")
    assert r is not None and r.person == "sarah"
    assert r.withheld == frozenset({(SMITH, "janet", "name")})


def test_case_contact_may_see_the_case(index: CaseIndex) -> None:
    r = index.recipient("dsl@stmarys.sch.je")
    assert r is not None
    assert (r.cls, r.cases, r.person, r.role, r.withheld) == (
        "case-contact",
        (SMITH,),
        None,
        "professional",
        frozenset(),
    )


def test_professional_in_two_cases_belongs_to_both(index: CaseIndex) -> None:
    r = index.recipient("priya.shah@gov.je")
    assert r is not None
    assert (r.cls, r.cases, r.role) == ("case-person", (LEBROCQ, PATEL), "professional")
    assert not r.is_family


def test_birth_parents_are_kept_from_the_foster_carers_details(index: CaseIndex) -> None:
    r = index.recipient("emma.lebrocq@example.org")
    assert r is not None
    assert {(LEBROCQ, "helen", d) for d in ("address", "phone", "email")} <= r.withheld
    assert {(LEBROCQ, "robert", "address"), (LEBROCQ, "robert", "phone"), (LEBROCQ, "noah", "address")} <= r.withheld
    carer = index.recipient("helen.ahier@example.com")
    assert carer is not None and carer.withheld == frozenset()


def test_all_expands_to_every_detail_for_family(index: CaseIndex) -> None:
    r = index.recipient("rohan.p@example.net")
    assert r is not None
    details = {d for c, p, d in r.withheld if p == "david"}
    assert details == {"name", "address", "phone", "email", "identifiers", "born"}


def test_unknown_address_is_not_a_case_recipient(index: CaseIndex) -> None:
    assert index.recipient("someone@example.com") is None
    # Emails are matched exactly: punctuation is not folded away for recipients.
    assert index.recipient("sarahsmith@example.com") is None


def test_case_person_wins_over_case_contact_and_keeps_both_cases(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "case: C-A\npeople:\n  - {id: gran, role: relative, names: [Rose Hart], emails: [rose@example.org]}\n"
    )
    (tmp_path / "b.yaml").write_text(
        "case: C-B\npeople:\n  - {id: kid, role: child, names: [Joe Hart]}\ncontacts:\n  - {email: rose@example.org}\n"
    )
    r = CaseIndex.from_cases(load_case_files([tmp_path])).recipient("rose@example.org")
    assert r is not None and (r.cls, r.cases, r.person) == ("case-person", ("C-A", "C-B"), "gran")


def test_withhold_from_a_role_applies_to_every_person_with_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "case: C-A\npeople:\n"
        "  - {id: kid, role: child, names: [Joe Hart], withhold: [{details: [address], from: [carer]}]}\n"
        "  - {id: fc, role: carer, names: [Ann Lee], emails: [ann@example.org]}\n"
    )
    r = CaseIndex.from_cases(load_case_files([tmp_path])).recipient("ann@example.org")
    assert r is not None and r.withheld == frozenset({("C-A", "kid", "address")})


def test_addressee_from_address_block(index: CaseIndex) -> None:
    r = index.addressee(
        letter(
            "Children's Social Care\nLe Bas Centre\nSt Helier JE2 4RP",
            "Mr Mark Jones\n22 Elm Grove\nSt Helier",
            "Dear Sir,",
        )
    )
    assert r is not None
    assert (r.address, r.cls, r.person, r.cases, r.found_by) == (
        "Mark Jones",
        "case-person",
        "mark",
        (SMITH,),
        "letter address block",
    )
    assert (SMITH, "sarah", "address") in r.withheld


@pytest.mark.parametrize(
    "salutation", ["Dear Mr Jones,", "Dear Mark", "Dear Mark Jones,", "Dear Mr. Jones, thank you."]
)
def test_addressee_from_salutation(index: CaseIndex, salutation: str) -> None:
    r = index.addressee(letter("12 March 2025", salutation, "I am writing about Lily Smith."))
    assert r is not None
    assert (r.address, r.person, r.found_by) == ("Mark Jones", "mark", "letter salutation")


def test_shared_first_name_is_resolved_by_the_case_the_letter_is_about(tmp_path: Path) -> None:
    for ref, child in (("C-1", "Amy Hart"), ("C-2", "Ben Lowe")):
        (tmp_path / f"{ref}.yaml").write_text(
            f"case: {ref}\npeople:\n  - {{id: kid, role: child, names: [{child}]}}\n"
            f"  - {{id: dad, role: parent, names: [Tom {child.split()[1]}]}}\n"
        )
    idx = CaseIndex.from_cases(load_case_files([tmp_path]))
    r = idx.addressee(letter("Dear Tom,", "Ben Lowe has settled well."))
    assert r is not None and (r.cases, r.person, r.address) == (("C-2",), "dad", "Tom Lowe")
    unresolved = idx.addressee(letter("Dear Tom,", "Thank you for coming."))
    assert unresolved is not None and (unresolved.cls, unresolved.address) == ("unknown", "Tom")


def test_unmatched_salutation_gives_unknown_recipient_with_name_as_written(index: CaseIndex) -> None:
    r = index.addressee(letter("Dear Mrs Olivia Hart,", "Thank you for your letter."))
    assert r is not None
    assert (r.address, r.cls, r.found_by) == ("Mrs Olivia Hart", "unknown", "letter salutation")


def test_no_addressee_at_all_gives_none(index: CaseIndex) -> None:
    assert index.addressee(letter("Minutes of the meeting", "Present: the team.")) is None
    assert index.addressee(letter("Dear Sir or Madam,", "Please find enclosed.")) is None


def test_hidden_text_is_not_read_as_the_addressee(index: CaseIndex) -> None:
    segments = [Segment("Dear Mark,", "comment 1", kind="comment", hidden=True)]
    assert index.addressee(segments) is None
