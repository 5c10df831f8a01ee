"""Case attribution of names with particles and compounds: "Mr de Sousa", "Sousa" and
"de Sousa" are Marco de Sousa; "Le Brocq-Vibert" and its halves are Kai-James."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.cases import CaseIndex, load_case_files
from disclosureguard.model import Segment
from island_case import letter_text, write_case


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_case(tmp_path_factory.mktemp("island") / "cases")


@pytest.fixture(scope="module")
def index(cases: Path) -> CaseIndex:
    return CaseIndex.from_cases(load_case_files([cases]))


def attributed(index: CaseIndex, text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.person) for f in index.attribute([Segment(text, "body, paragraph 1")], [])]


@pytest.mark.parametrize("written", ["Mr de Sousa", "de Sousa", "Sousa", "DE SOUSA"])
def test_surname_with_a_particle_is_the_father_in_a_letter_about_the_case(index: CaseIndex, written: str) -> None:
    got = attributed(index, f"Re: Kai-James Le Brocq-Vibert. {written} will collect him on Friday.")
    assert ("Kai-James Le Brocq-Vibert", "kai") in got
    assert [p for t, p in got if t != "Kai-James Le Brocq-Vibert"] == ["marco"], got


@pytest.mark.parametrize("written", ["Le Brocq-Vibert", "Le Brocq", "Vibert", "Kai-James"])
def test_compound_surname_and_its_halves_are_the_child(index: CaseIndex, written: str) -> None:
    got = attributed(index, f"Marco de Sousa said that {written} is settled at school.")
    assert (written, "kai") in got, got


def test_full_names_with_particles_accents_and_apostrophes_are_attributed_on_sight(index: CaseIndex) -> None:
    got = attributed(index, "Present: Noah du Feu, Inês Gonçalves, Siobhan O'Neill, Ines Goncalves.")
    assert got == [
        ("Noah du Feu", "noah"),
        ("Inês Gonçalves", "ines"),
        ("Siobhan O'Neill", "siobhan"),
        ("Ines Goncalves", "ines"),
    ]


def test_lone_particle_surname_without_the_case_in_the_document_is_not_attributed(index: CaseIndex) -> None:
    assert attributed(index, "Mr de Sousa called about the bins.") == []


def test_particle_in_lower_case_text_is_no_name(index: CaseIndex) -> None:
    # "de sousa" inside ordinary lower-case words is not the father
    assert attributed(index, "Kai-James Le Brocq-Vibert likes the song de sousa plays.") == [
        ("Kai-James Le Brocq-Vibert", "kai")
    ]


def test_letter_to_the_family_about_its_own_case_raises_no_unattributed_person_warning(
    cases: Path, tmp_path: Path, samples: Path
) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(letter_text(), encoding="utf-8")
    scanner = Scanner(cases=str(cases), policy=str(samples / "policy.yaml"))
    verdict = scanner.scan(letter, ["marco.desousa@example.com"])
    assert [r.rule for r in verdict.reasons if r.rule == "unattributed-person"] == []
    assert verdict.decision.label == "allow", [(r.rule, r.message) for r in verdict.reasons]
