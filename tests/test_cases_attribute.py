"""Attribution: whose data each finding is, and known values the recognisers missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard.cases import CaseIndex, load_case_files, load_cases
from disclosureguard.model import Finding, Segment

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "cases"


@pytest.fixture(scope="module")
def index() -> CaseIndex:
    ctx = load_cases(SAMPLES)
    assert isinstance(ctx, CaseIndex)
    return ctx


def seg(text: str, n: int = 1, **kw: object) -> Segment:
    return Segment(text=text, location=f"body, paragraph {n}", **kw)  # type: ignore[arg-type]


def found(index: CaseIndex, *texts: str) -> list[Finding]:
    return index.attribute([seg(t, i + 1) for i, t in enumerate(texts)], [])


def one(findings: list[Finding], text: str) -> Finding:
    hits = [f for f in findings if f.text == text]
    assert len(hits) == 1, [(f.text, f.person) for f in findings]
    return hits[0]


@pytest.mark.parametrize(
    ("written", "entity_type", "person", "detail"),
    [
        ("Lily Smith", "PERSON", "lily", "name"),
        ("Lily-Mae Smith", "PERSON", "lily", "name"),
        ("SMITH, Lily", "PERSON", "lily", "name"),
        ("9434765919", "UK_NHS", "lily", "identifiers"),
        ("943-476-5919", "UK_NHS", "lily", "identifiers"),
        ("A123456789012", "UK_UPN", "lily", "identifiers"),
        ("JY123456A", "UK_NINO", "mark", "identifiers"),
        ("12 Rue de Haut, St Helier, JE2 4AB", "ADDRESS", "lily", "address"),
        ("07700900456", "PHONE_NUMBER", "sarah", "phone"),
        ("+44 7700 900456", "PHONE_NUMBER", "sarah", "phone"),
        ("Sarah.Smith@example.com", "EMAIL_ADDRESS", "sarah", "email"),
        ("Janet Cooper", "PERSON", "janet", "name"),
    ],
)
def test_each_kind_of_known_value_is_attributed_to_its_person(
    index: CaseIndex, written: str, entity_type: str, person: str, detail: str
) -> None:
    f = one(found(index, f"The record shows {written} on file."), written)
    assert (f.entity_type, f.case, f.person, f.detail) == (entity_type, "CSC-2021-004512", person, detail)
    assert f.recogniser == "case-index" and f.score >= 0.95


@pytest.mark.parametrize("written", ["je2 4ab", "JE24AB", "JE2 4AB"])
def test_postcode_of_a_person_named_in_the_document(index: CaseIndex, written: str) -> None:
    f = one(found(index, f"Lily Smith lives at {written}."), written)
    assert (f.entity_type, f.person, f.detail, f.case) == ("UK_POSTCODE", "lily", "address", "CSC-2021-004512")


def test_postcode_alone_is_not_attributed_neighbours_share_it(index: CaseIndex) -> None:
    assert found(index, "Please reply to JE3 8XY.") == []


def test_first_name_and_postcode_of_the_same_person_corroborate_each_other(index: CaseIndex) -> None:
    findings = found(index, "Sarah has moved to JE3 8XY.")
    assert [(f.text, f.person, f.detail) for f in findings] == [
        ("Sarah", "sarah", "name"),
        ("JE3 8XY", "sarah", "address"),
    ]


def test_lone_surname_in_a_letter_about_the_case(index: CaseIndex) -> None:
    findings = found(index, "Our ref: CSC-2021-004512", "Dear Mr Jones,")
    assert one(findings, "Jones").person == "mark"


@pytest.mark.parametrize(
    "written", ["02/03/2014", "2/3/14", "2 March 2014", "2nd March 2014", "2.3.14", "2nd of Mar 2014"]
)
def test_date_of_birth_in_uk_written_forms_with_the_child_named(index: CaseIndex, written: str) -> None:
    f = one(found(index, f"Lily Smith, born {written}, attends school."), written)
    assert (f.entity_type, f.person, f.detail) == ("DATE_OF_BIRTH", "lily", "born")


def test_other_dates_and_look_alikes_are_not_a_date_of_birth(index: CaseIndex) -> None:
    findings = found(index, "Lily Smith: meeting 3/2/2014, room 2314, ref 02032014, 20/3/14.")
    assert [f.text for f in findings if f.detail == "born"] == []


def test_date_of_birth_alone_with_no_person_or_case_is_not_attributed(index: CaseIndex) -> None:
    assert found(index, "The meeting was on 2 March 2014.") == []


def test_date_of_birth_with_dob_context_and_one_person_born_then(index: CaseIndex) -> None:
    f = one(found(index, "Child DOB: 14/09/2017"), "14/09/2017")
    assert (f.person, f.case) == ("noah", "CSC-2022-000731")


def test_case_reference_is_a_finding_of_that_case(index: CaseIndex) -> None:
    f = one(found(index, "Our ref: CSC 2022 000731"), "CSC 2022 000731")
    assert (f.entity_type, f.case, f.person) == ("CASE_REFERENCE", "CSC-2022-000731", None)


def test_withheld_address_without_its_postcode_is_found(index: CaseIndex) -> None:
    for written in ("Flat 3, 8 Seaview Terrace", "8 Seaview Terrace, St Brelade", "8 Seaview Terrace"):
        f = one(found(index, f"She has moved to {written} with Lily."), written)
        assert (f.entity_type, f.person, f.detail) == ("ADDRESS", "sarah", "address")


def test_whole_address_is_one_finding_not_a_postcode_inside_it(index: CaseIndex) -> None:
    findings = found(index, "Address: Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY.")
    assert [f.text for f in findings] == ["Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"]


def test_first_name_corroborated_by_that_persons_address_nearby(index: CaseIndex) -> None:
    f = one(found(index, "Sarah now lives at 8 Seaview Terrace, St Brelade."), "Sarah")
    assert (f.person, f.detail, f.person_name) == ("sarah", "name", "Sarah Smith")


def test_first_name_next_to_the_family_surname(index: CaseIndex) -> None:
    f = one(found(index, "Lily and Sarah Smith attended."), "Lily")
    assert f.person == "lily"


def test_lone_first_name_without_corroboration_is_not_attributed(index: CaseIndex) -> None:
    assert found(index, "Sarah said she would call back on Tuesday.") == []


def test_first_name_far_away_from_evidence_counts_when_full_name_is_in_document(index: CaseIndex) -> None:
    findings = found(index, "Re: Lily Smith", "x" * 400, "Lily enjoys school.")
    assert one(findings, "Lily").person == "lily"


def test_names_match_whole_words_only(index: CaseIndex) -> None:
    findings = found(index, "Lily Smithson met Marklin Jones and Sarah Smithers at 8 Seaview Terraces.")
    assert findings == []


def test_professional_is_attributed_as_professional_in_the_case_the_document_is_about(index: CaseIndex) -> None:
    findings = found(index, "Aarav Patel was seen by Priya Shah on Monday.")
    f = one(findings, "Priya Shah")
    assert (f.person_role, f.case) == ("professional", "CSC-2023-001108")


def test_professional_phone_shared_by_cases_goes_to_the_corroborated_case(index: CaseIndex) -> None:
    findings = found(index, "Noah Le Brocq: call 01632 960100 with questions.")
    assert one(findings, "01632 960100").case == "CSC-2022-000731"


def test_value_shared_by_family_and_professional_goes_to_the_family_member(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "case: C-A\npeople:\n  - {id: sw, role: professional, names: [Alex Grey], phones: ['07700 900999']}\n"
    )
    (tmp_path / "b.yaml").write_text(
        "case: C-B\npeople:\n  - {id: mum, role: parent, names: [Kim Rowe], phones: ['07700 900999']}\n"
    )
    idx = CaseIndex.from_cases(load_case_files([tmp_path]))
    f = one(idx.attribute([seg("Ring 07700 900999.")], []), "07700 900999")
    assert (f.case, f.person, f.person_role) == ("C-B", "mum", "parent")


def test_findings_of_recognisers_are_attributed_not_duplicated(index: CaseIndex) -> None:
    text = "Sarah Smith lives at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY (NHS 943 476 5919)."
    s = seg(text)
    pc = text.index("JE3 8XY")
    nhs = text.index("943 476 5919")
    given = [
        Finding("PERSON", "Sarah Smith", 0.85, 0, 0, 11, s.place, recogniser="spacy"),
        Finding("UK_POSTCODE", "JE3 8XY", 0.6, 0, pc, pc + 7, s.place, recogniser="postcode"),
        Finding("UK_NHS", "943 476 5919", 0.4, 0, nhs, nhs + 12, s.place, recogniser="nhs"),
    ]
    out = index.attribute([s], given)
    by_text = {f.text: f for f in out}
    assert by_text["Sarah Smith"].person == "sarah" and by_text["Sarah Smith"].recogniser == "spacy"
    assert by_text["JE3 8XY"].detail == "address" and by_text["JE3 8XY"].person == "sarah"
    # The NHS number belongs to Lily; a case-index match raises the low no-context score.
    assert by_text["943 476 5919"].person == "lily" and by_text["943 476 5919"].score == 1.0
    # The whole address is also a finding: the recogniser saw only its postcode.
    assert by_text["Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"].recogniser == "case-index"
    assert len(out) == 4


def test_recognised_date_becomes_date_of_birth(index: CaseIndex) -> None:
    s = seg("Lily Smith was born on 2 March 2014.")
    start = s.text.index("2 March")
    out = index.attribute([s], [Finding("DATE_TIME", "2 March 2014", 0.6, 0, start, start + 12, s.place)])
    f = one(out, "2 March 2014")
    assert (f.entity_type, f.detail, f.person) == ("DATE_OF_BIRTH", "born", "lily")


def test_finding_that_matches_nobody_stays_unattributed(index: CaseIndex) -> None:
    s = seg("Mrs Olivia Hart called.")
    given = [Finding("PERSON", "Olivia Hart", 0.85, 0, 4, 15, s.place, recogniser="spacy")]
    assert index.attribute([s], given) == given


def test_new_findings_carry_their_segment_place(index: CaseIndex) -> None:
    segments = [
        seg("Dear colleague,", 1),
        Segment("Sarah's number is 07700 900456", "comment 1", kind="comment", hidden=True, author="A"),
    ]
    f = one(index.attribute(segments, []), "07700 900456")
    assert (f.segment, f.location, f.kind, f.hidden) == (1, "comment 1", "comment", True)
    assert segments[1].text[f.start : f.end] == "07700 900456"


def test_referrer_name_missed_by_ner_is_found(index: CaseIndex) -> None:
    f = one(found(index, "Concerns were first raised by janet cooper in May."), "janet cooper")
    assert (f.person, f.person_role, f.detail) == ("janet", "referrer", "name")


def test_no_cases_attributes_nothing() -> None:
    ctx = load_cases(None)
    s = seg("Lily Smith")
    assert ctx.attribute([s], []) == []


def test_house_named_address_is_found_by_its_street_line(index: CaseIndex) -> None:
    for written in ("Rosemount, 4 La Rue des Pres", "4 La Rue des Pres, Trinity"):
        findings = found(index, f"Noah is placed at {written} with Helen Ahier.")
        f = one(findings, written)
        # Noah, Helen and Robert share the address; the carer named beside it is preferred.
        assert (f.case, f.detail, f.person) == ("CSC-2022-000731", "address", "helen")


def test_case_contact_name_is_attributed_as_professional(index: CaseIndex) -> None:
    f = one(found(index, "Lily Smith's teacher Anne Le Brun attended."), "Anne Le Brun")
    assert (f.case, f.person, f.person_role) == ("CSC-2021-004512", None, "professional")


def test_lone_name_that_is_a_common_word_in_lower_case_is_not_a_name(index: CaseIndex) -> None:
    findings = found(index, "Re: Lily Smith (CSC-2021-004512). Please mark the date; sarah will call.")
    assert [f.text for f in findings if f.detail == "name"] == ["Lily Smith"]


def test_a_professionals_signature_is_no_evidence_of_which_family_a_letter_is_about(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "case: C-A\npeople:\n  - {id: mum, role: parent, names: [Sarah Hart]}\n"
        "  - {id: sw, role: professional, names: [Alex Grey], phones: ['01632 960555']}\n"
    )
    idx = CaseIndex.from_cases(load_case_files([tmp_path]))
    findings = idx.attribute([seg("Sarah called today."), seg("Alex Grey, 01632 960555", 2)], [])
    assert [(f.text, f.person) for f in findings] == [("Alex Grey", "sw"), ("01632 960555", "sw")]


def test_surname_with_an_apostrophe_is_matched_whole(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('case: C-A\npeople:\n  - {id: mum, role: parent, names: ["Aoife O\'Brien"]}\n')
    idx = CaseIndex.from_cases(load_case_files([tmp_path]))
    findings = idx.attribute([seg("Aoife O’Brien attended. Mrs O'Brien said she was well.")], [])
    assert [(f.text, f.person) for f in findings] == [("Aoife O’Brien", "mum"), ("O'Brien", "mum")]
