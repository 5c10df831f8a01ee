"""A published court judgment heard in public (published_judgment.py): the private adults it names
are its public record (a note, not a warning); everything else in it is still checked."""

from __future__ import annotations

import pytest

from disclosureguard.model import Segment
from disclosureguard.published_judgment import PUBLIC_RECORD, is_published_judgment, public_judgment_segments
from disclosureguard.realdocs import INSIDE, OUTSIDE, plant, planted_values_missed

HEAD = """\
Neutral Citation Number: [2021] EWCA Civ 2417

Case No: A2/2021/0311

IN THE COURT OF APPEAL (CIVIL DIVISION)
ON APPEAL FROM THE HIGH COURT OF JUSTICE, BUSINESS AND PROPERTY COURTS

Royal Courts of Justice
Strand, London, WC2A 2LL

Date: 3 March 2021

Before :

LORD JUSTICE HENDERSON
LADY JUSTICE ASPLIN

- - - - - - - - - - - - - - - - - - - -
Between :
HARBOUR ESTATES LIMITED Claimant
- and -
ROBERT PENHALIGON Defendant
- - - - - - - - - - - - - - - - - - - -

Mr Jack Holborn (instructed by Hegarty Solicitors) for the Claimant
The Defendant in person

Hearing date: 14 January 2021

Approved Judgment

Lord Justice Henderson:
"""
BODY = """\
Robert Penhaligon was a director of Harbour Estates Limited. He and a business partner, Stephen Goldberg, \
carried on business together until 2012, when Stephen Goldberg died.

The claimant says that Robert Penhaligon signed the accounts for the year 2011 knowing them to be wrong. \
The judge accepted that evidence, and I see no ground on which this court could interfere with it.

For these reasons I would dismiss the appeal.
"""
JUDGMENT = HEAD + "\n" + BODY
# The family court's banner: a judgment heard in private, whatever version of it this is.
PRIVATE_BANNER = (
    "This judgment was delivered in private. The judge has given leave for this version of the judgment to be "
    "published on condition that the anonymity of the children and members of their family must be strictly "
    "preserved.\n\n"
)
LETTER = """\
Dear Mr Brown,

Thank you for your letter. As the Court of Appeal said in Harbour Estates Ltd v Penhaligon, Neutral Citation \
Number: [2021] EWCA Civ 2417, a director who signs the accounts answers for them.

Robert Penhaligon was a director of the company. He and a business partner, Stephen Goldberg, carried on \
business together until 2012.

Yours sincerely
"""


def segments_of(text: str, container: tuple[str, ...] = ()) -> list[Segment]:
    return [Segment(p, f"body, paragraph {i}", container=container) for i, p in enumerate(text.split("\n\n"))]


def test_the_heading_block_of_a_judgment_is_recognised() -> None:
    assert is_published_judgment(HEAD)
    assert public_judgment_segments(segments_of(JUDGMENT)) == frozenset(range(len(segments_of(JUDGMENT))))


@pytest.mark.parametrize(
    "text",
    [
        LETTER,  # a letter quoting a citation opens with its own words
        "Neutral Citation Number: [2021] EWCA Civ 2417\n\nRobert Penhaligon was a director.",  # a citation alone
        "Case No: A2/2021/0311\n\nIN THE COURT OF APPEAL\n\nBefore : LORD JUSTICE HENDERSON\n\nHearing date: 14 "
        "January 2021",  # a heading without a neutral citation (a statement to the court, a draft)
        "\n\n".join(["Dear Mr Brown,", "I write about the appeal.", "x" * 1600, HEAD]),  # the heading quoted far down
    ],
)
def test_what_is_not_the_head_of_a_published_judgment(text: str) -> None:
    assert public_judgment_segments(segments_of(text)) == frozenset()


def test_a_judgment_heard_in_private_is_never_public_record() -> None:
    assert public_judgment_segments(segments_of(PRIVATE_BANNER + JUDGMENT)) == frozenset()


def test_a_judgment_attached_to_an_email_is_judged_as_its_own_part() -> None:
    body = segments_of("Dear Mr Brown,\n\nPlease see the judgment attached.\n\nRobert Penhaligon")
    attached = segments_of(JUDGMENT, container=("judgment.pdf",))
    public = public_judgment_segments([*body, *attached])
    assert public == frozenset(range(len(body), len(body) + len(attached)))


def _names(verdict, role: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for f in verdict.findings if f.entity_type == "PERSON" and f.person_role == role]


def test_the_private_adults_a_public_judgment_names_are_a_note_not_a_warning(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(JUDGMENT.encode(), to=[OUTSIDE, INSIDE], name="judgment.txt")
    public = _names(verdict, PUBLIC_RECORD)
    assert "Stephen Goldberg" in public and "Robert Penhaligon" in public
    assert str(verdict.decision) == "allow", [r.message for r in verdict.reasons]
    assert any("published court judgment" in n for n in verdict.notes)
    assert not any("Goldberg" in n or "Penhaligon" in n for n in verdict.notes)  # how many, never which


def test_the_same_names_in_a_letter_quoting_the_judgment_still_warn(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(LETTER.encode(), to=[OUTSIDE], name="letter.txt")
    assert _names(verdict, PUBLIC_RECORD) == []
    assert [r.rule for r in verdict.reasons] == ["unknown-recipient-low"]
    assert str(verdict.decision) == "warn"


def test_a_judgment_heard_in_private_still_warns(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan((PRIVATE_BANNER + JUDGMENT).encode(), to=[OUTSIDE], name="judgment.txt")
    assert _names(verdict, PUBLIC_RECORD) == []
    assert str(verdict.decision) == "warn"


def test_a_childs_details_planted_in_a_public_judgment_block(scanner) -> None:  # type: ignore[no-untyped-def]
    verdict = scanner.scan(plant(JUDGMENT).encode(), to=[OUTSIDE], name="judgment-planted.txt")
    assert str(verdict.decision) == "block"
    assert planted_values_missed(verdict) == []
    assert "unknown-recipient" in {r.rule for r in verdict.reasons}


def test_a_case_persons_name_in_a_public_judgment_is_still_attributed(scanner) -> None:  # type: ignore[no-untyped-def]
    text = JUDGMENT.replace("For these reasons", "Sarah Smith gave evidence for the claimant. For these reasons")
    verdict = scanner.scan(text.encode(), to=[OUTSIDE], name="judgment.txt")
    sarah = [f for f in verdict.findings if f.text == "Sarah Smith"]
    assert sarah and all(f.case == "CSC-2021-004512" and f.person_role != PUBLIC_RECORD for f in sarah)
    assert str(verdict.decision) == "warn"
    assert any(r.rule == "unknown-recipient-low" and set(r.findings) & {verdict.findings.index(f) for f in sarah}
               for r in verdict.reasons)


def _email(body: str, attachment: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = OUTSIDE
    msg["Subject"] = "The judgment"
    msg.set_content(body)
    msg.add_attachment(attachment.encode(), maintype="text", subtype="plain", filename="judgment.txt")
    return bytes(msg)


def test_an_attached_judgment_is_public_record_but_the_email_body_is_not(scanner) -> None:  # type: ignore[no-untyped-def]
    quiet = scanner.scan(_email("Please find the judgment attached.", JUDGMENT), name="message.eml")
    assert "Stephen Goldberg" in _names(quiet, PUBLIC_RECORD)
    assert str(quiet.decision) == "allow", [r.message for r in quiet.reasons]
    body = "Please find the judgment attached. Stephen Goldberg's widow, Margaret Goldberg, asked for it."
    named = scanner.scan(_email(body, JUDGMENT), name="message.eml")
    assert "Margaret Goldberg" in _names(named, None)
    assert str(named.decision) == "warn"


def _case_number_role(text: str) -> str | None:
    from disclosureguard.model import Finding
    from disclosureguard.roles import assign_roles

    segments = segments_of(text)
    k = next(i for i, seg in enumerate(segments) if "NG19C00235" in seg.text)
    start = segments[k].text.index("NG19C00235")
    found = Finding("UK_FAMILY_COURT_CASE", "NG19C00235", 0.85, k, start, start + 10, segments[k].place)
    return assign_roles(segments, [found])[0].person_role


def test_a_lower_courts_case_number_in_a_judgments_heading_is_part_of_its_citation() -> None:
    head = HEAD.replace("ON APPEAL FROM THE HIGH COURT", "ON APPEAL FROM NOTTINGHAM FAMILY COURT\n\nNG19C00235\n\nAND")
    assert _case_number_role(head + BODY) == "cited-case"
    assert _case_number_role(PRIVATE_BANNER + head + BODY) == "cited-case"  # published with the banner: still public


def test_a_case_number_in_a_letter_quoting_a_citation_stays_the_familys() -> None:
    letter = LETTER.replace("Thank you for your letter.", "Thank you for your letter about case NG19C00235.")
    assert _case_number_role(letter) is None
