"""Names as the island writes them: particles, compounds, apostrophes, accents and capitals
are found whole by the Detector (spaCy's small model plus detect/name_shapes.py and
detect/name_lists.py), and places and organisations with the same shapes are not."""

from __future__ import annotations

import pytest

from disclosureguard.detect import Detector
from disclosureguard.detect.name_lists import list_names
from disclosureguard.detect.name_shapes import name_shaped, record_name_before, widen
from disclosureguard.model import Segment


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


def persons(detector: Detector, text: str) -> list[str]:
    return [f.text for f in detector.detect([Segment(text, "body")]) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The child, Noah du Feu, date of birth 02/03/2014, lives with his mother.", "Noah du Feu"),
        ("Present were Chloé de Gruchy and her son.", "Chloé de Gruchy"),
        ("I met Ana dos Santos at the school gate.", "Ana dos Santos"),
        ("Kai-James Le Brocq-Vibert was happy to talk.", "Kai-James Le Brocq-Vibert"),
        ("We spoke with Inês Gonçalves on Monday.", "Inês Gonçalves"),
        ("Maria da Silva said she would attend.", "Maria da Silva"),
        ("Dear Mr de Sousa,", "Mr de Sousa"),
        ("Priya D'Souza will chair the meeting.", "Priya D'Souza"),
        ("The nurse saw Oisín Ó Briain at home.", "Oisín Ó Briain"),
        ("A letter for MR MARCO DE SOUSA arrived.", "MR MARCO DE SOUSA"),
        ("Child's name: NOAH DU FEU", "NOAH DU FEU"),
        ("Surname: LE BROCQ     Forenames: KAI JAMES", "LE BROCQ"),
        ("AND IN THE MATTER OF JACK THOMPSON (a child)", "JACK THOMPSON"),
        ("Please don't bring Lisa this time.", "Lisa"),
        ("C12 Statement of Rebecca Young, social worker", "Rebecca Young"),
    ],
)
def test_island_name_is_found_whole(detector: Detector, text: str, name: str) -> None:
    assert name in persons(detector, text), persons(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "The flat is at 9 Rue des Prés, Trinity.",
        "She attends Haute Vallée School.",
        "He lives on Victoria Road near the harbour.",
        "The invoice from Lincoln Contracts was paid.",
        "In May we will review the plan.",
        "The Royal Courts of Justice sat in London.",
        "Referral received from Noble's Hospital.",
    ],
)
def test_places_and_organisations_with_name_shapes_are_not_persons(detector: Detector, text: str) -> None:
    assert persons(detector, text) == []


def test_a_surname_found_alone_grows_over_its_particles_and_first_name() -> None:
    text = "I met Ana dos Santos today."
    start = text.index("Santos")
    assert text[slice(*widen(text, start, start + len("Santos")))] == "Ana dos Santos"
    text = "Kai Le Brocq-Vibert came."
    assert text[slice(*widen(text, 4, 12))] == "Kai Le Brocq-Vibert"


def test_name_shapes_need_a_sign_only_names_have() -> None:
    assert name_shaped("Noah du Feu") and name_shaped("Mr de Sousa") and name_shaped("Priya D'Souza")
    assert not name_shaped("Rue des Prés") and not name_shaped("Haute Vallée") and not name_shaped("Jack Pinto")


def test_a_name_opening_a_record_row_is_context_for_the_date_after_it() -> None:
    for text in ("Referral: Tom Le Cornu, 14/07/2011", "1. Amy du Feu (14/07/2011", "- Amy du Feu, 14/07/2011"):
        assert record_name_before(text, text.index("14/07")), text
    for text in ("Visited Tom Le Cornu, 14/07/2011", "Meeting: Core Group, 14/07/2011"):
        assert not record_name_before(text, text.index("14/07")), text


def test_frequency_lists_give_full_names_and_lone_first_names_but_not_ordinary_words() -> None:
    text = "Summer Le Breton met Bev. In May, Will said Grace Church was shut."
    assert [text[a:b] for a, b, _ in list_names(text)] == ["Summer Le Breton", "Bev"]
