"""Case files: loading YAML and JSON, and validation errors that name file, field and expectation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from stdnum.gb import upn

from disclosureguard.cases import CaseIndex, NoCases, load_case_file, load_case_files, load_cases
from disclosureguard.errors import CaseFileError

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "cases"

MINIMAL = {
    "case": "CSC-1",
    "people": [
        {"id": "amy", "role": "child", "names": ["Amy Vibert"]},
        {"id": "ben", "role": "parent", "names": ["Ben Vibert"]},
    ],
}


def _write(tmp_path: Path, data: object, name: str = "case.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


def _with_person(**fields: object) -> dict:
    data = json.loads(json.dumps(MINIMAL))
    data["people"].append({"id": "cat", "role": "relative", "names": ["Cat Vibert"], **fields})
    return data


def test_smith_sample_loads_exactly_as_in_the_spec() -> None:
    case = load_case_file(SAMPLES / "smith-CSC-2021-004512.yaml")
    assert case.case == "CSC-2021-004512"
    assert [p.id for p in case.people] == ["lily", "sarah", "mark", "janet"]
    lily = case.person("lily")
    assert lily is not None and lily.born == date(2014, 3, 2)
    assert ("UK_NHS", "943 476 5919") in lily.identifiers
    sarah = case.person("sarah")
    assert sarah is not None and sarah.withhold[0].details == ("address", "phone", "email")
    assert sarah.withhold[0].from_ == ("mark",)
    janet = case.person("janet")
    assert janet is not None and janet.withhold[0].details == ("name",)
    assert case.contacts[0].email == "dsl@stmarys.sch.je"


def test_sample_upns_have_valid_check_letters() -> None:
    for path in SAMPLES.iterdir():
        for person in load_case_file(path).people:
            for etype, value in person.identifiers:
                if etype == "UK_UPN":
                    assert upn.calc_check_digit(value[1:]) == value[0], value


def test_folder_of_yaml_and_json_loads_every_case() -> None:
    cases = load_case_files([SAMPLES])
    assert sorted(c.case for c in cases) == ["CSC-2021-004512", "CSC-2022-000731", "CSC-2023-001108"]


def test_load_cases_accepts_none_folder_file_list_and_context(tmp_path: Path) -> None:
    assert isinstance(load_cases(None), NoCases)
    folder = load_cases(SAMPLES)
    assert isinstance(folder, CaseIndex) and len(folder) == 3
    assert load_cases(folder) is folder
    assert len(load_cases(SAMPLES / "smith-CSC-2021-004512.yaml")) == 1
    extra = _write(tmp_path, MINIMAL)
    assert len(load_cases([str(SAMPLES / "patel-CSC-2023-001108.json"), extra])) == 2


def test_folder_is_searched_recursively_for_all_suffixes(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    _write(tmp_path / "a" / "b", MINIMAL, "one.json")
    (tmp_path / "a" / "two.yml").write_text("case: CSC-2\npeople:\n  - {id: x, role: child, names: [X Y]}\n")
    (tmp_path / "notes.txt").write_text("not a case file")
    assert sorted(c.case for c in load_case_files([tmp_path])) == ["CSC-1", "CSC-2"]


def test_empty_folder_is_an_error_not_an_empty_index(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="a folder holding case files"):
        load_cases(tmp_path)


def test_same_case_reference_in_two_files_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL, "a.json")
    _write(tmp_path, MINIMAL, "b.json")
    with pytest.raises(CaseFileError) as e:
        load_case_files([tmp_path])
    assert e.value.file.endswith("b.json") and e.value.field == "case"


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"people": MINIMAL["people"]}, "case", "case reference"),
        ({**MINIMAL, "peoples": []}, "peoples", "one of the keys"),
        ({"case": "C", "people": []}, "people", "non-empty list"),
        (
            {"case": "C", "people": [MINIMAL["people"][0], {"id": "amy", "role": "parent", "names": ["A B"]}]},
            "people[1].id",
            "not already used",
        ),
        (_with_person(role="cousin"), "people[2].role", "one of child, parent"),
        (_with_person(born="2014-13-02"), "people[2].born", "ISO date"),
        (_with_person(born="02/03/2014"), "people[2].born", "ISO date"),
        (_with_person(names=[]), "people[2].names", "non-empty list"),
        (_with_person(emails=["not-an-email"]), "people[2].emails[0]", "email address"),
        (_with_person(identifiers={"UK_NHS": 9434765919}), "people[2].identifiers.UK_NHS", "quote numbers"),
        (_with_person(identifiers={"nhs": "943 476 5919"}), "people[2].identifiers.nhs", "entity type"),
        (
            _with_person(withhold=[{"details": ["postcode"], "from": ["amy"]}]),
            "people[2].withhold[0].details[0]",
            "one of identity",
        ),
        (
            _with_person(withhold=[{"details": ["address"], "from": ["zed"]}]),
            "people[2].withhold[0].from[0]",
            "a person id of this case",
        ),
        (_with_person(withhold=[{"details": ["address"]}]), "people[2].withhold[0].from", "required"),
        ({**MINIMAL, "contacts": [{"name": "No Email"}]}, "contacts[0].email", "email address"),
    ],
)
def test_invalid_case_file_names_file_field_and_expectation(
    tmp_path: Path, data: dict, field: str, expected: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(CaseFileError) as e:
        load_case_file(path)
    assert e.value.file == str(path)
    assert e.value.field == field
    assert expected in e.value.expected
    assert str(path) in str(e.value) and field in str(e.value)


def test_yaml_bad_date_names_its_field_not_a_parser_crash(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("case: C\npeople:\n  - id: a\n    role: child\n    names: [A B]\n    born: 2014-02-30\n")
    with pytest.raises(CaseFileError) as e:
        load_case_file(p)
    assert e.value.field == "people[0].born"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "broken.yaml"
    p.write_text("case: C\npeople: [\n")
    with pytest.raises(CaseFileError, match=r"valid YAML .*line"):
        load_case_file(p)


def test_one_bad_file_rejects_the_whole_folder(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL, "good.json")
    _write(tmp_path, _with_person(role="nobody"), "zbad.json")
    with pytest.raises(CaseFileError):
        load_cases(tmp_path)


def test_withhold_words_expand_to_finding_details(tmp_path: Path) -> None:
    data = _with_person(
        withhold=[
            {"details": ["identifiers"], "from": ["family"]},
            {"details": ["all"], "from": ["ben"]},
        ]
    )
    cat = load_case_file(_write(tmp_path, data)).person("cat")
    assert cat is not None
    assert cat.withhold[0].details == ("identifiers", "born")
    assert cat.withhold[1].details == ("name", "address", "phone", "email", "identifiers", "born")


def test_previous_addresses_are_read_with_the_date_left_and_validated(tmp_path):
    from disclosureguard.cases import load_case_file
    from disclosureguard.errors import CaseFileError

    head = "case: C-1\npeople:\n  - id: a\n    role: parent\n    names: [Ann Example]\n"
    good = tmp_path / "good.yaml"
    good.write_text(head + "    previous_addresses:\n      - {address: '1 High Street, JE2 3AB', left: 2024-03-01}\n")
    (person,) = load_case_file(good).people
    assert [(a, d.isoformat()) for a, d in person.previous_addresses] == [("1 High Street, JE2 3AB", "2024-03-01")]
    for bad, field in [("    previous_addresses: ['1 High Street']\n", "previous_addresses[0]"),
                       ("    previous_addresses:\n      - {address: '1 High Street'}\n", "previous_addresses[0].left"),
                       ("    previous_addresses:\n      - {address: '1 High St', left: 2024-02-30}\n",
                        "previous_addresses[0].left"),
                       ("    previous_addresses:\n      - {left: 2024-02-01}\n", "previous_addresses[0].address"),
                       ("    previous_addresses:\n      - {address: x, left: 2024-02-01, to: y}\n",
                        "previous_addresses[0].to")]:
        path = tmp_path / "bad.yaml"
        path.write_text(head + bad)
        with pytest.raises(CaseFileError) as e:
            load_case_file(path)
        assert field in str(e.value), (bad, str(e.value))
