"""Every rule of the default policy, on real sample files, through the whole Scanner."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner


@pytest.fixture(scope="module")
def sample_scanner(samples: Path) -> Scanner:
    return Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"))


def scan(scanner: Scanner, path: Path, to: list[str] | None = None):
    verdict = scanner.scan(path, to)
    return verdict, {(r.rule, r.action.label) for r in verdict.reasons}


def test_withheld_address_blocks_letter_to_father(sample_scanner: Scanner, samples: Path):
    verdict, rules = scan(sample_scanner, samples / "letters/letter-to-father.txt", ["mjones@example.net"])
    assert verdict.decision.label == "block" and ("withheld-detail", "block") in rules
    (reason,) = [r for r in verdict.reasons if r.rule == "withheld-detail"]
    assert reason.message == "Sarah Smith's address is withheld from Mark Jones: body, paragraph 8"


def test_same_letter_to_the_mother_breaks_no_content_rule_but_is_addressed_to_the_father(
        sample_scanner: Scanner, samples: Path):
    verdict, rules = scan(sample_scanner, samples / "letters/letter-to-father.txt", ["sarah.smith@example.com"])
    # Her own address may go to her; the letter itself is Mark Jones's (issue 21).
    assert (verdict.decision.label, rules) == ("block", {("addressee-mismatch", "block")})
    assert verdict.reasons[0].message == (
        "the address block addresses Mark Jones, but it goes to Sarah Smith, another person of the same case: "
        "check the recipient")


def test_letter_without_recipient_is_read_as_addressed_to_the_father_and_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/withheld-phone-no-recipient.txt")
    (rv,) = verdict.recipients
    assert (rv.recipient.person, rv.recipient.found_by) == ("mark", "letter address block")
    assert verdict.decision.label == "block" and rules == {("withheld-detail", "block")}
    assert "phone number is withheld from Mark Jones" in verdict.reasons[0].message


def test_email_to_a_parent_with_another_familys_report_attached_is_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/other-family-report-to-mother.eml")
    assert verdict.decision.label == "block" and ("other-family", "block") in rules
    other = [verdict.findings[i] for r in verdict.reasons if r.rule == "other-family" for i in r.findings]
    assert {f.case for f in other} == {"CSC-2022-000731"}
    assert all(f.location.startswith("attachment 'review-report.txt'") for f in other)


def test_letter_naming_the_confidential_referrer_is_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/referrer-named-to-mother.txt")
    assert verdict.recipients[0].recipient.person == "sarah"
    assert verdict.decision.label == "block"
    assert rules == {("withheld-detail", "block")}
    assert "Janet Cooper's name is withheld from Sarah Smith" in verdict.reasons[0].message


def test_fathers_ni_number_in_a_letter_to_the_mother_is_redacted(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/fathers-nino-to-mother.txt")
    assert verdict.decision.label == "redact" and rules == {("third-party-identifier", "redact")}
    (nino,) = [f for f in verdict.findings if f.entity_type == "UK_NINO"]
    assert (nino.person, nino.text) == ("mark", "JY 12 34 56 A")


def test_listed_school_contact_receiving_the_childs_upn_is_allowed(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/upn-to-school.eml")
    assert verdict.recipients[0].recipient.cls == "case-contact"
    assert any(f.entity_type == "UK_UPN" and f.person == "lily" for f in verdict.findings)
    assert (verdict.decision.label, rules) == ("allow", set())


def test_unknown_third_party_in_a_letter_to_the_mother_warns(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/unknown-person-to-mother.txt")
    assert (verdict.decision.label, rules) == ("warn", {("unattributed-person", "warn")})


def test_partner_that_is_not_a_case_contact_warns(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/child-details-to-gp.eml")
    assert (verdict.decision.label, rules) == ("warn", {("partner-not-contact", "warn")})


def test_tracked_deletion_and_black_box_block_as_hidden_content(sample_scanner, samples):
    for name in ("documents/letter-tracked-changes.docx", "documents/report-with-black-box.pdf"):
        verdict, rules = scan(sample_scanner, samples / name, ["someone@nhs.net"])
        assert verdict.decision.label == "block" and ("hidden-content", "block") in rules, name


def test_sensitive_values_never_appear_in_reason_messages(sample_scanner, samples):
    for path in sorted((samples / "rules").glob("*.*")) + sorted((samples / "letters").glob("*.txt")):
        verdict = sample_scanner.scan(path, ["mjones@example.net"])
        # Names and case references are how a message tells the sender whose data it is.
        shown = ("PERSON", "SPECIAL_CATEGORY", "CASE_REFERENCE")
        values = {f.text for f in verdict.findings if f.entity_type not in shown}
        for reason in verdict.reasons:
            assert not any(v in reason.message for v in values), (path, reason.message)


# -- who the message goes to (issue 21): samples/rules, must fire and near misses ---------------


def rule_ids(verdict) -> set[str]:
    return {r.rule for r in verdict.reasons}


def test_an_email_greeting_the_father_sent_to_the_mother_is_blocked(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/dear-mark-to-mother.eml")
    assert verdict.decision.label == "block" and rules == {("addressee-mismatch", "block")}
    assert verdict.reasons[0].message == (
        "the salutation addresses Mark Jones, but it goes to Sarah Smith, another person of the same case: "
        "check the recipient")


def test_the_same_email_greeting_the_mother_is_allowed(sample_scanner, samples):
    verdict, rules = scan(sample_scanner, samples / "rules/dear-sarah-to-sarah.eml")
    assert (verdict.decision.label, rules) == ("allow", set())


@pytest.mark.parametrize("name", ["documents/letter-to-father.rtf", "documents/letter-to-father.odt",
                                  "letters/letter-to-father.txt"])
def test_the_fathers_letter_in_any_format_to_the_mother_is_blocked_by_its_address_block(
        sample_scanner, samples, name):
    verdict, rules = scan(sample_scanner, samples / name, ["sarah.smith@example.com"])
    assert ("addressee-mismatch", "block") in rules
    assert any(r.message.startswith("the address block addresses Mark Jones") for r in verdict.reasons)


def test_a_letter_to_a_person_of_another_case_is_blocked(sample_scanner):
    verdict = sample_scanner.scan_text("Dear Emma,\n\nSee you on Tuesday.\n", ["sarah.smith@example.com"])
    (reason,) = [r for r in verdict.reasons if r.rule == "addressee-mismatch"]
    assert reason.message == ("the salutation addresses Emma Le Brocq, but it goes to Sarah Smith, who is of "
                              "another case: check the recipient")


@pytest.mark.parametrize(
    ("name", "to"),
    [
        ("rules/dear-colleagues-to-school.txt", ["dsl@stmarys.sch.je"]),  # "Dear colleagues" names no one
        ("rules/parents-letter-shared-address.txt", ["rohan.p@example.net"]),  # both parents, one surname
        ("rules/parents-letter-shared-address.txt", ["meera.patel@example.com"]),
        ("letters/letter-to-father.txt", ["mjones@example.net", "sarah.smith@example.com"]),  # he is among them
        ("letters/letter-to-father.txt", ["colleague@gov.je"]),  # a colleague checks the letter
        ("letters/letter-to-father.txt", None),  # the recipient is read from the letter itself
    ],
)
def test_near_misses_of_the_addressee_rule(sample_scanner, samples, name, to):
    verdict = sample_scanner.scan(samples / name, to)
    assert not {"addressee-mismatch", "addressee-mismatch-outside"} & rule_ids(verdict)


def test_a_greeting_by_a_nickname_of_the_case_file_is_the_recipient(tmp_path: Path):
    (tmp_path / "ahier.yaml").write_text(
        "case: CSC-2024-000001\npeople:\n  - id: robert\n    role: carer\n"
        "    names: [Robert Ahier, Rob Ahier]\n    emails: [robert.ahier@example.com]\n"
        "  - id: helen\n    role: carer\n    names: [Helen Ahier]\n    emails: [helen.ahier@example.com]\n")
    scanner = Scanner(cases=str(tmp_path), model=None)
    text = "Dear Rob,\n\nSee you on Tuesday.\n\nKind regards,\nJo Bisson\n"
    assert not rule_ids(scanner.scan_text(text, ["robert.ahier@example.com"]))
    assert rule_ids(scanner.scan_text(text, ["helen.ahier@example.com"])) == {"addressee-mismatch"}


def test_a_lookalike_of_the_mothers_address_asks_did_you_mean_saying_whose(sample_scanner, samples):
    verdict = sample_scanner.scan(samples / "rules/lookalike-to-mother.eml")
    (reason,) = [r for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert reason.action.label == "warn"
    assert reason.message == ("sarah.smyth@example.com is not known but looks like Sarah Smith's address: "
                              "did you mean sarah.smith@example.com?")


@pytest.mark.parametrize(
    ("to", "suggestion", "whose"),
    [
        ("sarah.smith@gmial.com", "sarah.smith@gmail.com", "a common mail provider's domain"),
        ("gp.surgery@nhs.com", "gp.surgery@nhs.net", "a partner agency's domain"),
        ("priya.shah@gmail.com", "priya.shah@gov.je", "Priya Shah's address"),  # a colleague outside
        ("mjnoes@example.net", "mjones@example.net", "Mark Jones's address"),
        ("dsl@stmarys.sch.com", "dsl@stmarys.sch.je", "Anne Le Brun's address"),  # a school contact
    ],
)
def test_lookalike_addresses(sample_scanner, to, suggestion, whose):
    verdict = sample_scanner.scan_text("The meeting is on Tuesday.", [to])
    (reason,) = [r for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert f"did you mean {suggestion}?" in reason.message and whose in reason.message


@pytest.mark.parametrize("to", ["someone@gov.uk", "x@police.uk", "a.person@mail.com", "sarah.smith@example.com",
                                "colleague@gov.je", "gp@nhs.net", "jo@gmx.com"])
def test_addresses_that_are_not_lookalikes(sample_scanner, to):
    verdict = sample_scanner.scan_text("The meeting is on Tuesday.", [to])
    assert "lookalike-recipient" not in rule_ids(verdict)


def test_two_families_in_one_to_line_are_blocked_use_bcc(sample_scanner, samples):
    verdict = sample_scanner.scan(samples / "rules/two-families-in-to.eml")
    exposed = [r for r in verdict.reasons if r.rule == "exposed-recipients"]
    assert {r.recipient for r in exposed} == {"sarah.smith@example.com", "emma.lebrocq@example.org"}
    assert all(r.action.label == "block" and "use Bcc or separate messages" in r.message for r in exposed)


def test_the_same_message_with_the_families_as_bcc_goes(sample_scanner, samples):
    to = ["priya.shah@gov.je", "sarah.smith@example.com", "emma.lebrocq@example.org"]  # envelope: To + Bcc
    verdict = sample_scanner.scan(samples / "rules/two-families-in-bcc.eml", to)
    assert (verdict.decision.label, rule_ids(verdict)) == ("allow", set())


def test_more_private_addresses_than_the_policy_allows_in_to_are_blocked(tmp_path: Path, samples: Path):
    policy = tmp_path / "p.yaml"
    policy.write_text("organisation:\n  internal_domains: [gov.je]\nrules:\n  - id: exposed-recipients\n"
                      "    limit: 2\n")
    scanner = Scanner(cases=str(samples / "cases"), policy=str(policy), model=None)
    people = ["a.one@example.com", "b.two@example.com", "c.three@example.com"]
    eml = ("From: priya.shah@gov.je\nTo: " + ", ".join(people) + "\nSubject: Course\n\nThe course starts soon.\n")
    verdict = scanner.scan(eml.encode(), name="course.eml")
    assert {r.rule for r in verdict.reasons if r.rule == "exposed-recipients"} == {"exposed-recipients"}
    assert "3 private addresses (more than 2)" in verdict.reasons[-1].message
    two = ("From: priya.shah@gov.je\nTo: " + ", ".join(people[:2]) + "\nSubject: Course\n\nThe course.\n")
    assert "exposed-recipients" not in rule_ids(scanner.scan(two.encode(), name="course.eml"))


def test_a_letter_to_an_address_the_father_left_is_blocked(sample_scanner, samples):
    for to in (None, ["mjones@example.net"]):  # read from the letter, or given
        verdict, rules = scan(sample_scanner, samples / "rules/letter-to-father-old-address.txt", to)
        assert ("old-address", "block") in rules
        (reason,) = [r for r in verdict.reasons if r.rule == "old-address"]
        assert reason.message == ("the letter is addressed to an address Mark Jones left on 2024-03-01: "
                                  "check the address in the case record")


def test_the_letter_to_his_current_address_has_no_old_address(sample_scanner, samples):
    verdict = sample_scanner.scan(samples / "letters/letter-to-father.txt")
    assert "old-address" not in rule_ids(verdict)


def test_a_letter_to_a_withheld_address_blocks_for_anyone_but_its_owner(sample_scanner, samples):
    letter = samples / "letters/letter-to-mother.txt"  # Sarah's address, withheld from Mark
    school = sample_scanner.scan(letter, ["dsl@stmarys.sch.je"])
    (reason,) = [r for r in school.reasons if r.rule == "old-address"]
    assert reason.message == ("the letter is addressed to Sarah Smith's address, which is withheld: "
                              "only Sarah Smith may receive it")
    for to in (None, ["sarah.smith@example.com"], ["colleague@gov.je"]):
        assert "old-address" not in rule_ids(sample_scanner.scan(letter, to))


def test_the_old_address_rule_works_from_a_built_index(samples: Path, tmp_path: Path):
    from disclosureguard.cases import build_index

    index = tmp_path / "cases.idx"
    build_index([samples / "cases"], index)
    scanner = Scanner(cases=str(index), policy=str(samples / "policy.yaml"), model=None)
    verdict = scanner.scan(samples / "rules/letter-to-father-old-address.txt")
    assert "old-address" in rule_ids(verdict)
    assert b"Rue des Pres" not in index.read_bytes() and b"2024-03-01" in index.read_bytes()


def test_a_first_time_outside_recipient_for_the_case_is_warned_then_learnt(samples: Path, tmp_path: Path):
    import os
    import stat
    from datetime import date, timedelta

    from disclosureguard.recipient_history import RecipientHistory

    path = tmp_path / "recipients.json"
    RecipientHistory(path).learn([], date.today() - timedelta(days=30))  # learning began a month ago
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None, history=path)
    text = "Dear Sarah,\n\nLily Smith's review is on Tuesday.\n"
    first = scanner.scan_text(text, ["sarah.smith@example.com"])
    (reason,) = [r for r in first.reasons if r.rule == "new-recipient"]
    assert (reason.action.label, reason.message) == (
        "warn", "Sarah Smith has never before received mail about case CSC-2021-004512: check it is the right address")
    assert "new-recipient" not in rule_ids(scanner.scan_text(text, ["sarah.smith@example.com"]))  # learnt
    assert "new-recipient" not in rule_ids(scanner.scan_text(text, ["colleague@gov.je"]))  # internal
    # A restarted scanner reads the same history; no address is stored in clear; the file is 0600.
    again = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None, history=path)
    assert "new-recipient" not in rule_ids(again.scan_text(text, ["sarah.smith@example.com"]))
    assert b"sarah" not in path.read_bytes() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert RecipientHistory(path).forget("sarah.smith@example.com") == 1
    assert "new-recipient" in rule_ids(again.scan_text(text, ["sarah.smith@example.com"]))


def test_nothing_is_new_during_the_learning_period(samples: Path, tmp_path: Path):
    path = tmp_path / "recipients.json"
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None, history=path)
    verdict = scanner.scan_text("Dear Sarah,\n\nLily Smith's review is on Tuesday.\n", ["sarah.smith@example.com"])
    assert "new-recipient" not in rule_ids(verdict)
    from disclosureguard.recipient_history import RecipientHistory

    assert RecipientHistory(path).counts() == {"CSC-2021-004512": (1, 1)}  # learnt, starting today


def test_a_blocked_recipient_is_not_learnt(samples: Path, tmp_path: Path):
    from datetime import date, timedelta

    from disclosureguard.recipient_history import RecipientHistory

    path = tmp_path / "recipients.json"
    RecipientHistory(path).learn([], date.today() - timedelta(days=30))
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None, history=path)
    letter = samples / "letters/letter-to-father.txt"  # blocked to Mark: his address is not learnt
    assert scanner.scan(letter, ["mjones@example.net"]).decision.label == "block"
    assert RecipientHistory(path).counts() == {}


# -- a case person's name on an address that is not theirs (issue 21) ----------------------------


def _named_email(to: str, body: str = "The meeting is on Tuesday.\n") -> bytes:
    return f"From: Priya Shah <priya.shah@gov.je>\nTo: {to}\nSubject: Meeting\n\n{body}".encode()


@pytest.mark.parametrize(
    ("to", "message"),
    [
        # an autocomplete slip: the mother's name on an address nobody knows
        ('"Sarah Smith" <sarah.smith@evil.example>',
         "sarah.smith@evil.example is shown as Sarah Smith but is not Sarah Smith's address: "
         "check the address in the case record"),
        # the mother's name on the father's address (Outlook's "Surname, First" form)
        ('"Smith, Sarah" <mjones@example.net>',
         "mjones@example.net is shown as Sarah Smith but is not Sarah Smith's address: "
         "check the address in the case record"),
        # an internal colleague's name on an outside domain: her own address is suggested
        ('"Priya Shah" <ps1987@gmail.com>',
         "ps1987@gmail.com is shown as Priya Shah but is not Priya Shah's address: "
         "did you mean priya.shah@gov.je (Priya Shah's address)?"),
        # a school contact's name, with the organisation's note after it
        ("\"Anne Le Brun (St Mary's)\" <anne.lebrun@gmail.com>",
         "anne.lebrun@gmail.com is shown as Anne Le Brun but is not Anne Le Brun's address: "
         "check the address in the case record"),
    ],
)
def test_a_case_persons_name_on_an_address_not_theirs_warns(sample_scanner, to, message):
    verdict = sample_scanner.scan(_named_email(to), name="meeting.eml")
    (reason,) = [r for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert (reason.action.label, reason.message) == ("warn", message)


def test_a_quoted_reply_gives_the_named_persons_real_address(sample_scanner):
    body = ("The meeting is on Tuesday.\n\nOn Monday, Sarah Smith <sarah.smith@example.com> wrote:\n"
            "> Thanks, see you then\n")
    verdict = sample_scanner.scan(_named_email('"Sarah Smith" <sarah.smith@evil.example>', body), name="re.eml")
    (reason,) = [r for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert reason.message.endswith("did you mean sarah.smith@example.com (Sarah Smith's address)?")


@pytest.mark.parametrize("to", [
    '"Sarah Smith" <sarah.smith@example.com>',  # her own address
    '"SMITH, Sarah (mother)" <sarah.smith@example.com>',
    '"Sarah" <x@evil.example>',  # a first name alone says nothing about whose
    '"Jo Bloggs" <jo.bloggs@example.org>',  # a name no case file knows
    '"Anne Le Brun" <dsl@stmarys.sch.je>',  # a contact at the mailbox the case lists
])
def test_names_on_their_own_addresses_are_not_lookalikes(sample_scanner, to):
    verdict = sample_scanner.scan(_named_email(to), name="meeting.eml")
    assert "lookalike-recipient" not in rule_ids(verdict)


def test_a_shared_family_address_listed_in_the_case_file_is_either_parents(tmp_path: Path):
    (tmp_path / "ahier.yaml").write_text(
        "case: CSC-2024-000001\npeople:\n  - id: robert\n    role: carer\n    names: [Robert Ahier]\n"
        "    emails: [the.ahiers@example.com]\n  - id: helen\n    role: carer\n    names: [Helen Ahier]\n"
        "    emails: [the.ahiers@example.com, helen.ahier@example.com]\n")
    scanner = Scanner(cases=str(tmp_path), model=None)
    for name in ("Robert Ahier", "Helen Ahier"):
        verdict = scanner.scan(_named_email(f'"{name}" <the.ahiers@example.com>'), name="m.eml")
        assert "lookalike-recipient" not in rule_ids(verdict), name
    moved = scanner.scan(_named_email('"Helen Ahier" <h.ahier@example.net>'), name="m.eml")
    (reason,) = [r for r in moved.reasons if r.rule == "lookalike-recipient"]
    assert reason.message.startswith("h.ahier@example.net is shown as Helen Ahier but is not Helen Ahier's address")


# -- recipient-list exposure is exposed-recipients' alone (issue 21) ------------------------------


def test_two_families_in_to_say_one_thing(sample_scanner, samples):
    verdict = sample_scanner.scan(samples / "rules/two-families-in-to.eml")
    assert rule_ids(verdict) == {"exposed-recipients"}  # not also other-family on the To: line


def test_a_saved_bcc_header_is_not_exposure(sample_scanner):
    # A Sent-folder copy keeps the Bcc header; mail programs send without it.
    eml = (b"From: priya.shah@gov.je\nTo: sarah.smith@example.com\nBcc: emma.lebrocq@example.org\n"
           b"Subject: Course\n\nThe course starts soon.\n")
    verdict = sample_scanner.scan(eml, ["sarah.smith@example.com"], name="sent.eml")
    assert (verdict.decision.label, rule_ids(verdict)) == ("allow", set())


def test_a_saved_message_showing_another_familys_address_is_exposure_not_content(sample_scanner):
    eml = b"From: priya.shah@gov.je\nTo: emma.lebrocq@example.org\nSubject: Course\n\nThe course starts soon.\n"
    verdict = sample_scanner.scan(eml, ["sarah.smith@example.com"], name="saved.eml")
    (reason,) = verdict.reasons
    assert (reason.rule, reason.action.label) == ("exposed-recipients", "block")
    assert reason.message == ("To/Cc shows the address of someone of case CSC-2022-000731, which Sarah Smith is "
                              "not part of: use Bcc or separate messages")


def test_another_familys_address_in_an_attached_email_stays_other_family(sample_scanner):
    inner = "From: priya.shah@gov.je\nTo: emma.lebrocq@example.org\nSubject: Course\n\nThe course starts soon.\n"
    eml = ("From: priya.shah@gov.je\nTo: sarah.smith@example.com\nSubject: Fwd\nMIME-Version: 1.0\n"
           'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nSee below.\n'
           "--b\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"course.eml\"\n\n"
           f"{inner}\n--b--\n").encode()
    verdict = sample_scanner.scan(eml, name="fwd.eml")
    assert rule_ids(verdict) == {"other-family"}
    (reason,) = verdict.reasons
    assert "case CSC-2022-000731" in reason.message and "course.eml" in reason.message


# -- Word and PDF letters through the recipient rules (issue 21) -------------------------------


def _letter_parts(samples: Path, name: str) -> list[list[str]]:
    """The sample letter's paragraphs, each a list of its lines (an address block is one paragraph)."""
    text = (samples / name).read_text(encoding="utf-8")
    return [block.split("\n") for block in text.strip().split("\n\n")]


def letter_docx(samples: Path, name: str) -> bytes:
    """The letter as Word writes one: a paragraph per block, the address block's lines as breaks."""
    import io

    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for lines in _letter_parts(samples, name):
        paragraph = document.add_paragraph()
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_pdf(samples: Path, name: str) -> bytes:
    """The letter as a PDF sets it: a line of text per line, a gap between blocks, wrapped at 12 words."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = 800.0
    for lines in _letter_parts(samples, name):
        for line in lines:
            words = line.split()
            for i in range(0, max(len(words), 1), 12):
                c.setFont("Helvetica", 10)
                c.drawString(72, y, " ".join(words[i : i + 12]))
                y -= 13
        y -= 10
    c.showPage()
    c.save()
    return out.getvalue()


LETTER_BUILDERS = {"docx": letter_docx, "pdf": letter_pdf}


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_the_fathers_word_or_pdf_letter_to_the_mother_is_blocked_by_its_address_block(
        sample_scanner, samples, fmt):
    data = LETTER_BUILDERS[fmt](samples, "letters/letter-to-father.txt")
    verdict = sample_scanner.scan(data, ["sarah.smith@example.com"], name=f"letter.{fmt}")
    assert (verdict.decision.label, rule_ids(verdict)) == ("block", {"addressee-mismatch"})
    assert verdict.reasons[0].message == (
        "the address block addresses Mark Jones, but it goes to Sarah Smith, another person of the same case: "
        "check the recipient")


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_the_fathers_word_or_pdf_letter_to_him_breaks_no_recipient_rule(sample_scanner, samples, fmt):
    data = LETTER_BUILDERS[fmt](samples, "letters/letter-to-father.txt")
    for to in (["mjones@example.net"], None):  # given, or read from the letter itself
        verdict = sample_scanner.scan(data, to, name=f"letter.{fmt}")
        assert verdict.recipients[0].recipient.person == "mark"
        assert not {"addressee-mismatch", "addressee-mismatch-outside", "old-address"} & rule_ids(verdict)


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_a_word_or_pdf_letter_to_an_address_the_father_left_is_blocked(sample_scanner, samples, fmt):
    data = LETTER_BUILDERS[fmt](samples, "rules/letter-to-father-old-address.txt")
    for to in (None, ["mjones@example.net"]):
        verdict = sample_scanner.scan(data, to, name=f"letter.{fmt}")
        (reason,) = [r for r in verdict.reasons if r.rule == "old-address"]
        assert (reason.action.label, reason.message) == (
            "block", "the letter is addressed to an address Mark Jones left on 2024-03-01: "
                     "check the address in the case record")


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_a_word_or_pdf_letter_to_the_mothers_withheld_address_blocks_for_the_school_not_for_her(
        sample_scanner, samples, fmt):
    data = LETTER_BUILDERS[fmt](samples, "letters/letter-to-mother.txt")
    school = sample_scanner.scan(data, ["dsl@stmarys.sch.je"], name=f"letter.{fmt}")
    assert "old-address" in rule_ids(school)
    assert "old-address" not in rule_ids(sample_scanner.scan(data, ["sarah.smith@example.com"], name=f"letter.{fmt}"))


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_the_word_or_pdf_letter_attached_to_an_email_to_the_mother_is_blocked(sample_scanner, samples, fmt):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "priya.shah@gov.je", "sarah.smith@example.com", "Your letter"
    msg.set_content("Please find the letter attached.\n")
    data = LETTER_BUILDERS[fmt](samples, "letters/letter-to-father.txt")
    msg.add_attachment(data, maintype="application", subtype="pdf" if fmt == "pdf" else "octet-stream",
                       filename=f"letter.{fmt}")
    verdict = sample_scanner.scan(msg.as_bytes(), name="message.eml")
    assert ("addressee-mismatch", "block") in {(r.rule, r.action.label) for r in verdict.reasons}


@pytest.mark.parametrize("fmt", sorted(LETTER_BUILDERS))
def test_the_cli_refuses_the_fathers_word_or_pdf_letter_at_his_old_address(samples, tmp_path, fmt):
    import json

    from click.testing import CliRunner

    from disclosureguard.cli.main import cli

    path = tmp_path / f"letter.{fmt}"
    path.write_bytes(LETTER_BUILDERS[fmt](samples, "rules/letter-to-father-old-address.txt"))
    args = ["scan", str(path), "--cases", str(samples / "cases"), "--policy", str(samples / "policy.yaml"),
            "--no-model", "--format", "json"]
    result = CliRunner().invoke(cli, args, prog_name="disclosureguard")
    assert result.exit_code == 30, result.output
    verdict = json.loads(result.output)
    assert ("old-address", "block") in {(r["rule"], r["action"]) for r in verdict["reasons"]}
    to_mother = CliRunner().invoke(cli, [*args, "--to", "sarah.smith@example.com"], prog_name="disclosureguard")
    assert to_mother.exit_code == 30
    reasons = {(r["rule"], r["action"]) for r in json.loads(to_mother.output)["reasons"]}
    assert {("addressee-mismatch", "block"), ("old-address", "block")} <= reasons


# -- every sample, to the recipients it names itself: which recipient rule fires, and which must not --

RECIPIENT_RULES = {"addressee-mismatch", "addressee-mismatch-outside", "lookalike-recipient", "exposed-recipients",
                   "old-address", "new-recipient"}
OWN_RECIPIENT_RULES = {
    "rules/dear-mark-to-mother.eml": {"addressee-mismatch"},
    "rules/two-families-in-to.eml": {"exposed-recipients"},
    "rules/letter-to-father-old-address.txt": {"old-address"},
    # Sarah greeted, an address not hers: the slip and the missing addressee are both said
    "rules/lookalike-to-mother.eml": {"lookalike-recipient", "addressee-mismatch-outside"},
    "rules/mothers-name-on-wrong-address.eml": {"lookalike-recipient", "addressee-mismatch-outside"},
    # near misses: none of the recipient rules may fire on these
    "rules/dear-sarah-to-sarah.eml": set(),  # greets the recipient
    "rules/dear-colleagues-to-school.txt": set(),  # names no one
    "rules/parents-letter-shared-address.txt": set(),  # both parents at one address
    "rules/two-families-in-bcc.eml": set(),  # Bcc shows no one
    "rules/upn-to-school.eml": set(),  # the listed contact, greeted by surname
    "rules/first-time-to-school.eml": set(),  # no history given: new-recipient has nothing to say
    "rules/child-details-to-gp.eml": set(),
    "rules/fathers-nino-to-mother.txt": set(),
    "rules/other-family-report-to-mother.eml": set(),  # content, not addressing: other-family says it
    "rules/referrer-named-to-mother.txt": set(),
    "rules/unknown-person-to-mother.txt": set(),
    "rules/withheld-phone-no-recipient.txt": set(),
    "letters/letter-to-father.txt": set(),  # his current address: withheld-detail only
    "letters/letter-to-mother.txt": set(),
    "letters/leaflet-domestic-abuse.txt": set(),
    "emails/nhs-number-to-colleague.eml": set(),
    "emails/nhs-number-to-gp.eml": set(),
    "emails/nhs-number-to-unknown.eml": set(),
    "documents/handover-to-father.msg": set(),
    "documents/letter-to-father.odt": set(),
    "documents/letter-to-father.rtf": set(),
    "documents/letter-tracked-changes.docx": set(),
    "documents/report-with-black-box.pdf": set(),  # the page body is not its address block
}


def test_every_rules_sample_says_which_recipient_rules_it_fires(samples):
    named = {f"rules/{p.name}" for p in (samples / "rules").iterdir()}
    assert named <= set(OWN_RECIPIENT_RULES)


@pytest.mark.parametrize("name", sorted(OWN_RECIPIENT_RULES))
def test_recipient_rules_on_each_sample_to_its_own_recipients(sample_scanner, samples, name):
    verdict = sample_scanner.scan(samples / name)
    assert rule_ids(verdict) & RECIPIENT_RULES == OWN_RECIPIENT_RULES[name]


def test_a_mothers_name_on_an_address_not_hers_warns_check_the_case_record(sample_scanner, samples):
    verdict = sample_scanner.scan(samples / "rules/mothers-name-on-wrong-address.eml")
    assert verdict.decision.label == "warn"
    (reason,) = [r for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert (reason.action.label, reason.message) == (
        "warn", "sarah.smith@example-mail.org is shown as Sarah Smith but is not Sarah Smith's address: "
                "check the address in the case record")


def test_first_mail_to_the_school_about_the_case_warns_once_and_the_workers_signature_is_no_case(
        samples: Path, tmp_path: Path):
    from datetime import date, timedelta

    from disclosureguard.recipient_history import RecipientHistory

    path = tmp_path / "recipients.json"
    RecipientHistory(path).learn([], date.today() - timedelta(days=30))
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None, history=path)
    first = scanner.scan(samples / "rules/first-time-to-school.eml")
    # Priya Shah signs it and is a professional of the Le Brocq case: her name carries no case.
    assert [(r.rule, r.action.label, r.message) for r in first.reasons] == [
        ("new-recipient", "warn",
         "Anne Le Brun has never before received mail about case CSC-2021-004512: check it is the right address")]
    again = scanner.scan(samples / "rules/first-time-to-school.eml")
    assert (again.decision.label, rule_ids(again)) == ("allow", set())


def test_the_readme_policy_section_gives_every_default_rule_its_default_action():
    import re

    from disclosureguard.policy.load import default_policy

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## The policy\n", 1)[1].split("\n## ", 1)[0]
    documented = dict(re.findall(r"(?m)^\| `([a-z-]+)` \|.*\| (allow|warn|redact|block) \|$", section))
    assert documented == {rule.id: rule.action.label for rule in default_policy().rules}
