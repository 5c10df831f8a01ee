"""A scan runs the case matcher once over the document (issue 18).

Attribution, the addressee reader (a letter with no --to) and the recipient rules (the
letter's parties) all read the one ``Attribution`` the scan made. The only other reads are of
the address block alone, for the postal-address rule: a few segments, not the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.cases.matching import Attribution, Matcher
from disclosureguard.model import Segment

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BLOCK = 6  # segments of an address block the postal-address rule reads again on their own

LETTER = "\n\n".join(
    [
        "Children's Social Care\nLe Bas Centre, St Saviour's Road, St Helier, JE2 4RP",
        "Mr Mark Jones\n4 Clos de la Mare\nSt Clement\nJE2 6QN",
        "14 November 2026",
        "Dear Mr Jones,",
        "Re: Lily Smith",
        *[f"Paragraph {i}: Lily has settled well at school and her attendance has improved." for i in range(200)],
        "Yours sincerely,",
        "Priya Shah\nSocial Worker",
    ]
)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(cases=str(SAMPLES / "cases"), policy=str(SAMPLES / "policy.yaml"), model=None)


def _count_attributions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The matcher counts its runs: the list gets the number of segments of each."""
    runs: list[int] = []
    attribution = Matcher.attribution

    def counted(self: Matcher, segments: Sequence[Segment]) -> Attribution:
        runs.append(len(segments))
        return attribution(self, segments)

    monkeypatch.setattr(Matcher, "attribution", counted)
    return runs


def _message(to: str, body: str, attachments: dict[str, str]) -> bytes:
    """A mail from the department with text attachments."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = to
    msg["Subject"] = "Letter for review"
    msg.set_content(body)
    for filename, text in attachments.items():
        msg.add_attachment(text.encode(), maintype="text", subtype="plain", filename=filename)
    return msg.as_bytes()


@pytest.mark.parametrize("to", [None, ["mjones@example.net"]], ids=["no --to", "--to"])
def test_the_matcher_reads_the_document_once(scanner: Scanner, to: list[str] | None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _count_attributions(monkeypatch)
    result = scanner.analyse(LETTER.encode(), to, name="letter.txt", media_type="text/plain")
    whole = len(result.segments)
    assert whole > 200
    assert runs.count(whole) == 1, runs
    assert all(n <= BLOCK for n in runs if n != whole), runs
    if to is None:  # the addressee was read, from the same attribution
        (recipient,) = result.recipients
        assert (recipient.person, recipient.found_by) == ("mark", "letter address block")
    assert any(f.person == "lily" for f in result.findings)


def test_an_attribution_of_other_segments_is_refused(scanner: Scanner) -> None:
    index = scanner.cases
    one = [Segment("Dear Mr Jones,", "body, paragraph 1")]
    other = [Segment("Dear Ms Smith,", "body, paragraph 1")]
    attribution = index.attribution(one)
    assert attribution is not None
    with pytest.raises(ValueError, match="other segments"):
        index.addressee(other, attribution)
    with pytest.raises(ValueError, match="other segments"):
        index.attribute(other, [], attribution)
    assert index.addressee(one, attribution) == index.addressee(one)


def test_an_attached_letter_is_not_matched_again_for_the_rules_that_need_its_parties(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The addressee-mismatch and postal-address rules both read the parties of each attached
    # letter, on an attribution of the letter's own segments: made from the message's
    # sightings (a segment's sightings depend on its text alone), not by the matcher again.
    message = _message("colleague@example.org", "Please see the letter attached.", {"letter.txt": LETTER})
    runs = _count_attributions(monkeypatch)
    result = scanner.analyse(message, ["colleague@example.org"], name="message.eml")
    (letter,) = result.document.children
    attached = len(letter.all_segments())
    assert attached > 200 and len(result.segments) > attached
    assert runs.count(len(result.segments)) == 1, runs
    assert runs.count(attached) == 0, runs
    assert all(n <= BLOCK for n in runs if n != len(result.segments)), runs


def test_an_attachments_attribution_from_the_messages_sightings_is_the_matchers_own(scanner: Scanner) -> None:
    index = scanner.cases
    message = _message("mjones@example.net", "Sarah Smith asked for the letter below. Lily is 07700 900456's daughter.",
                       {"letter.txt": LETTER, "note.txt": "Mark Jones, mjones@example.net, Lily Smith"})
    document = scanner.analyse(message, None, name="message.eml").document
    segments = document.all_segments()
    whole = index.attribution(segments)
    for child in document.children:
        part = child.all_segments()
        derived = index.matcher.attribution_within(whole, segments, part)
        fresh = index.attribution(part)
        assert derived is not None and derived.matches
        assert derived.matches == fresh.matches
        assert derived.evidence.texts == fresh.evidence.texts
        assert index.letter_parties(part, derived) == index.letter_parties(part, fresh)
    elsewhere = [Segment("Dear Ms Smith,", "body, paragraph 1")]
    assert index.matcher.attribution_within(whole, segments, elsewhere) is None
