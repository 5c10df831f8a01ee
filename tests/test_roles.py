"""Who a found name is (roles.py) and which names are no one (gazetteer.py), alone and through the decision."""

from __future__ import annotations

from datetime import date

import pytest

from disclosureguard.gazetteer import not_a_person, organisation_mentions
from disclosureguard.model import Action, Finding, Recipient, RecipientClass, Segment
from disclosureguard.policy import decide, load_policy
from disclosureguard.roles import ANONYMISED, CITED_CASE, ORGANISATION, PROFESSIONAL, assign_roles


def person(text: str, segment: Segment, entity_type: str = "PERSON", index: int = 0, **kw: object) -> Finding:
    start = segment.text.index(text)
    return Finding(entity_type, text, 0.85, index, start, start + len(text), segment.place,
                   segment.hidden, segment.kind, "test", **kw)  # type: ignore[arg-type]  # fmt: skip


def role_of(text: str, value: str, entity_type: str = "PERSON", **seg: object) -> str | None:
    segment = Segment(text, "body, paragraph 1", **seg)  # type: ignore[arg-type]
    found = assign_roles([segment], [person(value, segment, entity_type)])
    return found[0].person_role if found else "dropped"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Lead inspector: Tara Geere\nHer Majesty's Inspector", "Tara Geere"),
        ("Team inspectors: Tracey Metcalfe, Wendy Ghaffar, Carolyn Spray", "Wendy Ghaffar"),
        ("The appeal was heard by Lord Justice Baker in May.", "Baker"),
        ("Lord Justice Peter Jackson:", "Lord Justice Peter Jackson"),
        ("As Baker LJ said in the earlier appeal,", "Baker"),
        ("Giles Bain (instructed by Smith & Co) for the Appellant", "Giles Bain"),
        ("Vanessa Meachin QC and James Legg (instructed by the Trust) for the Respondent", "Vanessa Meachin"),
        ("Jane Doe, Social Worker, will visit on Monday.", "Jane Doe"),
        ("Kind regards\nJane Doe\nTeam Manager", "Jane Doe"),
        ("The matter was remitted to Mr Justice Keehan.", "Mr Justice Keehan"),
    ],
)
def test_a_professional_in_role_is_recognised(text: str, name: str) -> None:
    assert role_of(text, name) == PROFESSIONAL


@pytest.mark.parametrize(
    ("text", "name"),
    [("The father, F, did not attend.", "F"), ("Mrs N told the court", "Mrs N"), ("Child A was placed", "Child A"),
     ("with Mrs B. They remain", "Mrs B. They")],
)  # fmt: skip
def test_an_initial_only_party_is_anonymised(text: str, name: str) -> None:
    assert role_of(text, name) == ANONYMISED


@pytest.mark.parametrize(("text", "name"), [("Sarah Smith told the school", "Sarah Smith"),
                                            ("Mr J. Smith lives at", "Mr J. Smith"),
                                            ("Dear Mark Jones, I write about", "Mark Jones")])
def test_a_private_person_keeps_no_role(text: str, name: str) -> None:
    assert role_of(text, name) is None


def test_every_mention_of_a_professional_is_the_professional() -> None:
    head = Segment("Mr Anil Gupta QC for the father", "body, paragraph 1")
    later = Segment("Mr Gupta submitted that the order was wrong", "body, paragraph 9")
    found = assign_roles([head, later], [person("Mr Anil Gupta", head), person("Mr Gupta", later, index=1)])
    assert [f.person_role for f in found] == [PROFESSIONAL, PROFESSIONAL]


def test_a_reported_case_name_is_a_cited_case() -> None:
    assert role_of("the approach approved in Roberts v Johnstone, she declined", "Roberts") == CITED_CASE


def test_the_author_property_is_the_files_author() -> None:
    assert role_of("Dominic Stevens", "Dominic Stevens", kind="metadata", field="author", hidden=True) == PROFESSIONAL
    assert role_of("Letter to Dominic Stevens", "Dominic Stevens", kind="metadata", field="title", hidden=True) is None


def test_a_mailbox_and_the_contact_details_beside_it_are_the_organisations() -> None:
    text = "Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD T: 0300 123 1231 E: enquiries@ofsted.gov.uk"
    seg = Segment(text, "page 12")
    postcode, mailbox = person("M1 2WD", seg, "UK_POSTCODE"), person("enquiries@ofsted.gov.uk", seg, "EMAIL_ADDRESS")
    found = assign_roles([seg], [postcode, mailbox])
    assert [f.person_role for f in found] == [ORGANISATION, ORGANISATION]
    private = Segment("Her new number is 07700 900123, she went to a refuge.", "body")
    assert assign_roles([private], [person("07700 900123", private, "PHONE_NUMBER")])[0].person_role is None


@pytest.mark.parametrize(
    "value",
    ["Doncaster", "Dagenham", "Grouville", "St Peter Port", "La Rue de la Pointe", "Le Clos des Pas", "Route du Fort",
     "Cromwell Drive", "People's Park", "Mont Orgueil", "Meeting Room 2", "Cafcass", "Ofsted", "Attendance",
     "the Appellant", "Florida"],
)  # fmt: skip
def test_places_bodies_streets_and_headings_are_not_people(value: str) -> None:
    assert not_a_person(value)


@pytest.mark.parametrize("value", ["John Hull", "Sarah Smith", "Les Dennis", "Grace Nwosu", "Jordan", "Georgia"])
def test_people_named_like_places_stay_people(value: str) -> None:
    assert not not_a_person(value)


def test_an_organisation_is_named_only_as_a_name() -> None:
    assert organisation_mentions("The Royal Courts of Justice, Strand") == [(4, 27)]
    assert organisation_mentions("she stayed in a refuge and saw her mind coach") == []


def test_a_single_common_word_is_dropped_but_a_name_stays() -> None:
    seg = Segment("The Award was given. Awards go to care leavers. Harvey went.", "body")
    found = assign_roles([seg], [person("Award", seg), person("Harvey", seg)])
    assert [f.text for f in found] == ["Harvey"]


# Through the decision: special-category words are about someone only when a private person is close.

POLICY = load_policy("samples/policy.yaml")
PUBLIC = Recipient("enquiries@public.example", RecipientClass.UNKNOWN)


def verdict(findings: list[Finding], recipient: Recipient = PUBLIC) -> Action:
    verdicts, _ = decide(findings, [recipient], [], POLICY, today=date(2026, 12, 1))
    return verdicts[0].decision


def test_special_category_beside_a_judge_is_about_no_one() -> None:
    seg = Segment("Lord Justice Baker considered the care proceedings and the placement order.", "body")
    found = assign_roles([seg], [person("Baker", seg), person("care proceedings", seg, "SPECIAL_CATEGORY")])
    assert verdict(found) == Action.ALLOW


def test_special_category_beside_a_private_person_still_blocks() -> None:
    seg = Segment("Kayla Renouf has been subject to a child protection plan since May.", "body")
    found = assign_roles([seg], [person("Kayla Renouf", seg), person("child protection plan", seg, "SPECIAL_CATEGORY")])
    assert verdict(found) == Action.BLOCK


def test_special_category_far_from_the_name_is_not_about_them() -> None:
    text = "Sam Jones visited the service.\n" + "x " * 400 + "Children in need of help and protection wait too long."
    seg = Segment(text, "page 1")
    found = [person("Sam Jones", seg), person("help and protection", seg, "SPECIAL_CATEGORY")]
    assert verdict(found) == Action.WARN  # the name is personal data; the special words are 800 characters away


def test_a_services_line_is_the_services_but_a_number_given_to_it_is_not() -> None:
    line = "Outside office hours, contact the Emergency Duty Team on 01522 782333."
    given = "She gave the Duty Team her new number 07700 900123 yesterday."
    assert role_of(line, "01522 782333", "PHONE_NUMBER") == ORGANISATION
    assert role_of(given, "07700 900123", "PHONE_NUMBER") is None


def test_a_thing_named_after_someone_is_not_a_person_but_their_own_order_is_theirs() -> None:
    assert role_of("the limitations of Scott Schedules, which", "Scott") == "dropped"
    assert role_of("the execution of the Anton Piller order means", "Anton Piller") == "dropped"
    assert role_of("Sarah Smith's order was varied", "Sarah Smith") is None


def test_counsel_named_with_the_party_they_speak_for_is_a_professional() -> None:
    assert role_of("For the father, Mrs Ojutiku supported the appeal", "Mrs Ojutiku") == PROFESSIONAL
    assert role_of("as Ms Ecob put it on behalf of the father, unfair", "Ms Ecob") == PROFESSIONAL
    assert role_of("Sarah Smith, the mother, asked for contact", "Sarah Smith") is None


def test_a_name_signed_with_a_staff_address_is_staff() -> None:
    from disclosureguard.policy.model import Organisation

    org = Organisation(internal_domains=("gov.je",))
    seg = Segment("Kind regards\nPriya Nair\nChildren's Services\np.nair@gov.je", "body, paragraph 5")
    assert assign_roles([seg], [person("Priya Nair", seg)], org)[0].person_role == PROFESSIONAL
    outside = Segment("Kind regards\nPriya Nair\np.nair@example.com", "body, paragraph 5")
    assert assign_roles([outside], [person("Priya Nair", outside)], org)[0].person_role is None


# Issue 15, second round: the shapes found in the real judgments' remaining warnings.
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("was memorably described by the political theorist Hannah Arendt as", "Hannah Arendt"),
        ("written evidence from Mr Gibbeson’s solicitor, Mr Andrew Hornsby, who said:", "Mr Andrew Hornsby"),
        ("On 25 January 2020 Mr Emir Kovacevic served his report on Bosnian law.", "Mr Emir Kovacevic"),
        ("himself quoting Dixon CJ:", "Dixon CJ"),
        ("and Browne-Wilkinson V-C had held to the contrary", "Browne-Wilkinson V-C"),
        ("as expressed by Lord Wilson, in In re S. As Lord Wilson said,", "S. As Lord Wilson"),
        ("Mr Sweeting QCemphasises that", "Mr Sweeting QCemphasises"),
        ("In endorsing certain of Mr Turner’s submissions, the judge", "Mr Turner"),
        ("Mr Tomlinson submitted that there was no further appeal", "Mr Tomlinson"),
    ],
)
def test_a_professional_named_by_role_noun_report_or_office(text: str, name: str) -> None:
    assert role_of(text, name) == PROFESSIONAL


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("per Lord Merrivale P in Kelly (orse. Hyams) v Kelly (1932)", "Kelly"),
        ("the Lands Tribunal in Earl Cadogan and Another v Sportelli", "Earl Cadogan"),
        ("Proudman J in Harding Holmes (East Street) Ltd v Bircham Dyson", "Harding Holmes"),
        ("as was made clear in Saad, Diriye and Osirion v Secretary of State", "Saad"),
        ("as Lord Denning MR put it in Re Mohammed Arif (An Infant) [1968] Ch 643 at 662", "Mohammed Arif"),
        ("In R v Legal Aid Board, ex parte Kaim Todner [1999] QB 966 at 977", "Kaim Todner"),
        ("(see, mutatis mutandis, James and Others, cited above, § 46)", "James and Others"),
        ("Judgment Approved by the court for handing down HMAG -v- Akhter, Khan & ors", "HMAG -v- Akhter"),
        ("Catterall v Sweetman (1845) 1 Rob Eccl 304", "Rob"),
    ],
)
def test_a_party_of_a_reported_case_is_cited(text: str, name: str) -> None:
    assert role_of(text, name) == CITED_CASE


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Re: Kayla Renouf [2020] review of her placement", "Kayla Renouf"),  # a letter's subject line
        ("Sarah Smith and Mark Jones v the council is listed", "Sarah Smith"),  # no capital after v
        ("Kayla's teacher, Mrs Smith, and Sarah Jones attended", "Sarah Jones"),
        ("Dr Patel and Sarah Jones attended the meeting", "Sarah Jones"),  # no "by" before the pair
        ("Children placed:\n2 Kayla Renouf 14/03/2016", "Kayla Renouf"),  # a numbered row, not a report
        ("Re Kayla Renouf (2016) Review of her placement", "Kayla Renouf"),  # a letter's heading
    ],
)
def test_a_private_person_near_those_shapes_keeps_no_role(text: str, name: str) -> None:
    assert role_of(text, name) is None


def test_the_second_author_after_by_professor_is_a_professional() -> None:
    segment = Segment("a study undertaken by Professor Nigel Lowe and Victoria Stephens for the", "body, paragraph 1")
    found = assign_roles([segment], [person("Professor Nigel Lowe", segment), person("Victoria Stephens", segment)])
    assert [f.person_role for f in found] == [PROFESSIONAL, PROFESSIONAL]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rayden on Divorce 2nd Ed, 1926 at p. 36", "Ed"),
        ("(source: Jan 2013 School Census)", "Jan"),
        ("A’s rights pursuant to Art. 3 of the European Convention", "Art"),
        ("the family hub model, Family Scilly. Learning from", "Family Scilly"),
        ("a legally qualified ‘McKenzie friend’ based in Delhi", "McKenzie"),
        ("[2003] Lloyd’s Rep IR 566", "Lloyd"),
        ("The leading judgment was given by Lord Denning MR. He was at pains", "MR. He"),
        ("THE MASTER OF THE ROLLS", "MASTER OF THE ROLLS"),
        ("The father sought the summary return to Israel of the twins", "Israel"),
    ],
)
def test_words_that_are_no_person_are_dropped(text: str, name: str) -> None:
    assert role_of(text, name) == "dropped"


def test_a_first_name_alone_before_a_year_is_still_a_name_when_not_a_month() -> None:
    assert role_of("Harvey 2013 was written on the board", "Harvey") is None


def test_a_body_s_contact_line_next_to_its_mailbox_line_is_the_body_s() -> None:
    segments = [Segment("Tel No: 020 7404 1400", "body, paragraph 1"),
                Segment("Email: civil@epiqglobal.co.uk", "body, paragraph 2")]  # fmt: skip
    found = assign_roles(segments, [person("020 7404 1400", segments[0], "PHONE_NUMBER")])
    assert found[0].person_role == ORGANISATION


def test_a_phone_in_prose_before_a_body_s_line_stays_someone_s() -> None:
    prose = "Her mother's new mobile number is 07797 123456 and she has asked that it is not shared with him."
    segments = [Segment(prose, "body, paragraph 1"), Segment("Ofsted, Piccadilly Gate", "body, paragraph 2")]
    found = assign_roles(segments, [person("07797 123456", segments[0], "PHONE_NUMBER")])
    assert found[0].person_role is None


def test_counsel_instructed_by_a_line_above_is_a_professional() -> None:
    segments = [Segment("Edward Devereux QC and William Tyzack (instructed by", "body, paragraph 1"),
                Segment("Dawson Cornwell) for the Appellant Father", "body, paragraph 2")]  # fmt: skip
    found = assign_roles(segments, [person("Dawson Cornwell", segments[1])])
    assert found[0].person_role == PROFESSIONAL


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("John Shannon (the Chief Executive Officer) and Frank Flynn (the Chief Financial Officer) of AssetCo",
         "Frank Flynn"),
        ("Christopher Mills, NAV’s chief investment officer, agreed", "Christopher Mills"),
        ("the defendant, a private investigator, Mr Lake, saw a number of empty boxes", "Mr Lake"),
        ("Mr C Hale QC, Ms V Roberts, Mr M Edwards and Mr H Langford (instructed by BLM Law) for the First Intervener",
         "Ms V Roberts"),
        ("One of Ben Daniels, Simon Thomas and Lindsay Elliott of DAC Beachcroft LLP (‘the Supervising Solicitors’)",
         "Lindsay Elliott"),
        ("During the search, Charlotte Waite of the Claimant’s Solicitors took photographs", "Charlotte Waite"),
        ("statements made by Eifion Roberts of G2A’s accountants Langtons on 19 November", "Eifion Roberts"),
    ],
)  # fmt: skip
def test_a_companys_officer_an_investigator_counsel_in_a_list_and_a_firms_solicitor_are_professionals(
    text: str, name: str
) -> None:
    assert role_of(text, name) == PROFESSIONAL


def test_a_party_named_in_brackets_after_the_v_of_a_reported_case_is_cited() -> None:
    assert role_of("what Humphreys J had said in R v Mohamed (Ali) [1964] 2 QB 350n: to be with", "Ali") == CITED_CASE


def test_the_first_word_of_a_firm_cut_short_by_the_model_is_no_person() -> None:
    assert role_of("He is a consultant to Gerald Eve LLP in London.", "Gerald") == "dropped"
    assert role_of("Gerald Eve lives in London.", "Gerald Eve") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Frank Flynn (the father) did not attend the review", "Frank Flynn"),
        ("a private individual, Mr Lake, saw the children at the park", "Mr Lake"),
        ("Sarah Smith, Mark Jones and Lily Smith attended the meeting", "Mark Jones"),
        ("Mark Jones, who gave evidence for the appellant, said that", "Mark Jones"),
        ("Sarah Smith of 12 Rue de Haut, St Helier, JE2 4AB", "Sarah Smith"),
        ("Sarah Smith of St Helier told the school", "Sarah Smith"),
        ("her brother Mohamed (Ali) visits on Sundays", "Ali"),
    ],
)
def test_a_private_person_in_the_same_shapes_keeps_no_role(text: str, name: str) -> None:
    assert role_of(text, name) is None


def block_roles(lines: list[str], value: str, entity_type: str) -> list[str | None]:
    """The role of every ``value`` in a run of short lines (a contact block), one segment a line."""
    segments = [Segment(line, f"body, paragraph {i}") for i, line in enumerate(lines)]
    findings = [person(value, seg, entity_type, index=i) for i, seg in enumerate(segments) if value in seg.text]
    findings += [person(n, seg, index=i) for i, seg in enumerate(segments) for n in ("Sarah Smith",) if n in seg.text]
    return [f.person_role for f in assign_roles(segments, findings) if f.text == value]


@pytest.mark.parametrize(
    "head",
    ["The Ministerial Correspondence Unit", "MOD Information Rights team", "DVSA press office",
     "The Office of the Parliamentary Commissioner for Administration"],
)  # fmt: skip
def test_the_postcode_under_a_body_s_name_in_a_contact_block_is_the_body_s(head: str) -> None:
    lines = ["If you do not know who is responsible for the matter, then you can write to them via the address below.",
             head, "Level 5, Zone A", "Main Building", "Whitehall", "London SW1A 2HB"]  # fmt: skip
    assert block_roles(lines, "SW1A 2HB", "UK_POSTCODE") == [ORGANISATION]


@pytest.mark.parametrize(
    "head",
    ["Mrs Sarah Smith", "Please send the form to the office at her new address:", "The Old School House",
     "Station Road"],
)  # fmt: skip
def test_a_private_address_block_stays_personal(head: str) -> None:
    lines = ["She has moved and asked us to write to her at her new address, which is below.",
             head, "12 Le Clos de la Fontaine", "St Saviour", "JE2 7HT"]  # fmt: skip
    assert block_roles(lines, "JE2 7HT", "UK_POSTCODE") == [None]


def test_a_body_s_phone_is_the_body_s_wherever_it_is_repeated() -> None:
    lines = ["DVSA press office", "Telephone", "0115 936 6135",
             "Journalists may also call 0115 936 6135 out of hours; the duty officer will answer."]  # fmt: skip
    assert block_roles(lines, "0115 936 6135", "PHONE_NUMBER") == [ORGANISATION, ORGANISATION]


@pytest.mark.parametrize(
    ("address", "role"),
    [("cio-foi@mod.uk", ORGANISATION), ("pressoffice@dvsa.gov.uk", ORGANISATION),
     ("cyp-foi@gov.je", ORGANISATION), ("sarah.info@example.com", None), ("mark-smith@example.com", None)],
)  # fmt: skip
def test_a_mailbox_word_ending_a_compound_address_is_a_mailbox_unless_a_name_is_in_it(
    address: str, role: str | None
) -> None:
    assert role_of(f"Email: {address}", address, "EMAIL_ADDRESS") == role
