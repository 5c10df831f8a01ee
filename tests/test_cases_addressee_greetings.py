"""An email greets its reader as often as a letter says "Dear": "Hi Marco," is a salutation too."""

from __future__ import annotations

import pytest

from disclosureguard.cases import CaseIndex, load_case_files
from disclosureguard.model import Segment
from island_case import write_case


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CaseIndex:
    cases = write_case(tmp_path_factory.mktemp("island") / "cases")
    return CaseIndex.from_cases(load_case_files([cases]))


def body(*paragraphs: str) -> list[Segment]:
    return [Segment(text=p, location=f"email body, paragraph {i + 1}") for i, p in enumerate(paragraphs)]


@pytest.mark.parametrize("greeting", ["Hi Marco,", "Hello Mr de Sousa,", "Good morning Marco,", "hi Marco!"])
def test_an_informal_greeting_names_the_addressee(index: CaseIndex, greeting: str) -> None:
    parties = index.letter_parties(body(greeting, "The meeting is on Tuesday at 10am.", "Kind regards,", "Jo Bisson"))
    assert [index.data.members[a.member].id for a in parties.addressees] == ["marco"]  # type: ignore[index]
    assert [e.part for e in parties.addressees[0].evidence] == ["salutation"]


@pytest.mark.parametrize(
    "greeting", ["Hi all,", "Hello Everyone,", "Hi Team,", "Hello there,", "Hi-vis jackets are in the hall."]
)
def test_a_greeting_to_no_one_in_particular_names_no_addressee(index: CaseIndex, greeting: str) -> None:
    parties = index.letter_parties(body(greeting, "The meeting is on Tuesday at 10am.", "Kind regards,", "Jo Bisson"))
    assert parties.addressees == ()
