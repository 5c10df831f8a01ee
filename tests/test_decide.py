"""The decision as a pure function: findings and recipients in, decisions and reasons out."""

from datetime import date

from disclosureguard.model import Action, Finding, Place, Problem, Recipient
from disclosureguard.policy import decide, default_policy, parse_policy

POLICY = default_policy()
TODAY = date(2026, 11, 24)
CASE = "CSC-2021-004512"

MOTHER = Recipient("sarah.smith@example.com", "case-person", (CASE,), "sarah", "Sarah Smith", "parent")
FATHER = Recipient(
    "mjones@example.net", "case-person", (CASE,), "mark", "Mark Jones", "parent",
    withheld=frozenset({(CASE, "sarah", "address"), (CASE, "sarah", "phone")}),
)
SCHOOL = Recipient("dsl@stmarys.sch.je", "case-contact", (CASE,))
COLLEAGUE = Recipient("colleague@gov.je", "internal")
STRANGER = Recipient("someone@mailbox.example", "unknown")
GP = Recipient("gp@nhs.net", "partner")


def finding(entity_type="PERSON", text="x", *, segment=0, hidden=False, kind="body", location="body, paragraph 1",
            case=None, person=None, role=None, detail=None, name=None, field=None):
    return Finding(entity_type, text, 0.9, segment, 0, len(text), Place(location, field=field), hidden, kind, "test",
                   case, person, name, role, detail)


def run(findings, recipient, problems=(), policy=POLICY):
    verdicts, reasons = decide(findings, [recipient], problems, policy, TODAY)
    return verdicts[0].decision, [r.rule for r in reasons]


def test_withheld_address_blocks_letter_to_father_and_names_the_place():
    f = finding("ADDRESS", "Flat 3", case=CASE, person="sarah", role="parent", detail="address", name="Sarah",
                location="body, paragraph 4")
    verdicts, reasons = decide([f], [FATHER], [], POLICY, TODAY)
    assert verdicts[0].decision == Action.BLOCK
    (reason,) = [r for r in reasons if r.rule == "withheld-detail"]
    assert reason.message == "Sarah's address is withheld from Mark Jones: body, paragraph 4"
    assert "Flat 3" not in reason.message


def test_same_address_to_the_mother_is_allowed():
    f = finding("ADDRESS", "Flat 3", case=CASE, person="sarah", role="parent", detail="address")
    assert run([f], MOTHER) == (Action.ALLOW, [])


def test_other_familys_data_to_a_parent_blocks():
    f = finding("PERSON", "Tom Le Brocq", case="CSC-2022-000731", person="tom", role="child", detail="name")
    assert run([f], MOTHER)[0] == Action.BLOCK
    assert "other-family" in run([f], MOTHER)[1]


def test_professionals_are_never_another_familys_data():
    f = finding("PERSON", "Priya Shah", case="CSC-2022-000731", person="priya", role="professional", detail="name")
    assert run([f], MOTHER) == (Action.ALLOW, [])


def test_hidden_personal_data_blocks_external_but_not_internal():
    f = finding("PHONE_NUMBER", "07700 900456", hidden=True, kind="tracked-deletion", location="tracked deletion")
    assert run([f], GP)[0] == Action.BLOCK
    assert "hidden-content" in run([f], GP)[1]
    assert run([f], COLLEAGUE) == (Action.ALLOW, [])


def test_childs_nhs_number_to_unknown_recipient_blocks():
    f = finding("UK_NHS", "943 476 5919")
    assert run([f], STRANGER) == (Action.BLOCK, ["unknown-recipient", "unknown-recipient-low"])


def test_special_category_alone_identifies_no_one():
    leaflet = [finding("SPECIAL_CATEGORY", "domestic abuse")]
    assert run(leaflet, STRANGER) == (Action.ALLOW, [])


def test_special_category_beside_a_person_blocks_for_unknown_recipient():
    text = [finding("PERSON", "Sarah Smith"), finding("SPECIAL_CATEGORY", "refuge")]
    assert run(text, STRANGER)[0] == Action.BLOCK


def test_special_category_in_another_passage_is_only_a_warning():
    text = [finding("PERSON", "Sarah Smith", segment=0), finding("SPECIAL_CATEGORY", "refuge", segment=5)]
    assert run(text, STRANGER) == (Action.WARN, ["unknown-recipient-low"])


def test_adults_name_to_unknown_recipient_warns():
    assert run([finding("PERSON", "Sarah Smith")], STRANGER) == (Action.WARN, ["unknown-recipient-low"])


def test_recent_date_of_birth_is_a_childs():
    assert run([finding("DATE_OF_BIRTH", "02/03/2014")], STRANGER)[0] == Action.BLOCK
    assert run([finding("DATE_OF_BIRTH", "02/03/1981")], STRANGER)[0] == Action.WARN


def test_partner_not_contact_warns_and_contact_is_allowed():
    upn = finding("UK_UPN", "A123456789012", case=CASE, person="lily", role="child", detail="identifiers")
    assert run([upn], GP) == (Action.WARN, ["partner-not-contact"])
    assert run([upn], SCHOOL) == (Action.ALLOW, [])


def test_fathers_ni_number_to_the_mother_is_redacted():
    nino = finding("UK_NINO", "JY 12 34 56 A", case=CASE, person="mark", role="parent", detail="identifiers",
                   name="Mark")
    decision, rules = run([nino], MOTHER)
    assert (decision, rules) == (Action.REDACT, ["third-party-identifier"])


def test_childs_identifier_to_a_parent_is_allowed():
    nhs = finding("UK_NHS", "943 476 5919", case=CASE, person="lily", role="child", detail="identifiers")
    assert run([nhs], MOTHER) == (Action.ALLOW, [])


def test_unattributed_person_to_a_parent_warns():
    assert run([finding("PERSON", "Kevin Doyle")], MOTHER) == (Action.WARN, ["unattributed-person"])


def test_unreadable_part_blocks_external_and_warns_internal():
    problem = Problem("report.pdf", "encrypted", "password protected")
    assert run([], GP, [problem]) == (Action.BLOCK, ["unscannable"])
    assert run([], COLLEAGUE, [problem]) == (Action.WARN, ["unscannable-internal"])


def test_an_error_never_yields_allow_even_under_a_policy_without_unscannable_rules():
    lax = parse_policy("organisation: {}\nrules:\n  - {id: only, when: hidden-content, action: block}\n", "lax.yaml")
    problem = Problem("x.pdf", "corrupt", "truncated")
    assert run([], COLLEAGUE, [problem], lax)[0] == Action.WARN


def test_addresses_in_the_email_headers_are_not_content():
    to = finding("EMAIL_ADDRESS", "someone@mailbox.example", kind="email-header", location="email header To",
                 field="to")
    assert run([to], STRANGER) == (Action.ALLOW, [])


def test_an_addressing_header_is_known_by_its_field_not_by_the_words_of_its_place():
    # Outlook's recipient table says "email header To (recipient 1)": its last word is "1)".
    table = finding("EMAIL_ADDRESS", "someone@mailbox.example", kind="email-header",
                    location="email header To (recipient 1)", field="to")
    sender = finding("EMAIL_ADDRESS", "someone@mailbox.example", kind="email-header", location="email header Sender",
                     field="sender")
    assert run([table], STRANGER) == (Action.ALLOW, []) and run([sender], STRANGER) == (Action.ALLOW, [])
    subject = finding("EMAIL_ADDRESS", "someone@mailbox.example", kind="email-header", location="email header To",
                      field="subject")
    assert run([subject], STRANGER)[0] != Action.ALLOW


def test_withheld_email_in_cc_still_blocks():
    cc = finding("EMAIL_ADDRESS", "sarah.smith@example.com", kind="email-header", location="email header Cc",
                 field="cc",
                 case=CASE, person="sarah", role="parent", detail="email")
    father = Recipient("mjones@example.net", "case-person", (CASE,), "mark", "Mark Jones", "parent",
                       withheld=frozenset({(CASE, "sarah", "email")}))
    assert run([cc], father)[0] == Action.BLOCK


def test_document_decision_is_the_strictest_recipient():
    f = finding("ADDRESS", "Flat 3", case=CASE, person="sarah", role="parent", detail="address")
    verdicts, _ = decide([f], [MOTHER, FATHER], [], POLICY, TODAY)
    assert [v.decision for v in verdicts] == [Action.ALLOW, Action.BLOCK]
    assert max(v.decision for v in verdicts) == Action.BLOCK
