"""The Detector: segments in, findings out, offline, with offsets into the original text."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosureguard.detect import Detector, detector, ner, patterns, validators
from disclosureguard.detect.patterns import Candidate
from disclosureguard.errors import ConfigError, ExtractionError
from disclosureguard.model import Segment

_PATTERNS_ONLY = Detector(model=None)  # shared by the property test (hypothesis and fixtures do not mix)


@pytest.fixture(scope="module")
def with_model() -> Detector:
    return Detector()


@pytest.fixture(scope="module")
def patterns_only() -> Detector:
    return Detector(model=None)


def _types(findings: list) -> list[tuple[str, str]]:
    return [(f.entity_type, f.text) for f in findings]


def test_findings_point_into_their_segment_and_copy_its_place(with_model: Detector) -> None:
    segments = [
        Segment("Nothing here.", "body, paragraph 1"),
        Segment("Re: Sarah Smith (DOB 02/03/2014), NHS number 943 476 5919.", "comment 2", kind="comment", hidden=True),
    ]
    findings = with_model.detect(segments)
    assert ("UK_NHS", "943 476 5919") in _types(findings)
    assert ("DATE_OF_BIRTH", "02/03/2014") in _types(findings)
    assert ("PERSON", "Sarah Smith") in _types(findings)
    for f in findings:
        assert f.segment == 1
        assert segments[1].text[f.start : f.end] == f.text
        assert (f.location, f.kind, f.hidden) == ("comment 2", "comment", True)
        assert f.recogniser


def test_many_small_segments_are_batched_and_mapped_back(with_model: Detector) -> None:
    segments = [Segment(f"Paragraph {i}: Mark Jones rang on 07700 900{i:03d}.", f"p{i}") for i in range(60)]
    findings = with_model.detect(segments)
    phones = [f for f in findings if f.entity_type == "PHONE_NUMBER"]
    assert sorted(f.segment for f in phones) == list(range(60))
    for f in findings:
        assert segments[f.segment].text[f.start : f.end] == f.text
    assert sum(f.entity_type == "PERSON" for f in findings) >= 55


def test_no_model_means_degraded_with_a_note_and_patterns_still_work(patterns_only: Detector) -> None:
    assert patterns_only.degraded
    assert any("degraded" in n for n in patterns_only.notes)
    found = patterns_only.detect([Segment("Mrs Jones, NI number AB123456C", "body")])
    assert ("UK_NINO", "AB123456C") in _types(found)
    assert ("PERSON", "Mrs Jones") in _types(found)


def test_model_in_use_is_not_degraded(with_model: Detector) -> None:
    assert not with_model.degraded
    assert with_model.notes == ()


def test_unknown_model_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as err:
        Detector(model="no_such_pipeline_xyz")
    assert (err.value.file, err.value.field) == ("model", "no_such_pipeline_xyz")
    assert "installed spaCy pipeline" in str(err.value)


def test_email_check_makes_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[tuple] = []

    class NoNetwork(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            attempts.append(args)
            raise OSError("network is blocked in this test")

    validators.suffix_extractor.cache_clear()  # force a fresh extractor, built while the network is blocked
    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection", NoNetwork)
    found = Detector(model=None).detect([Segment("Email sarah.smith@gov.je or jo@example.co.uk", "body")])
    assert _types(found) == [("EMAIL_ADDRESS", "sarah.smith@gov.je"), ("EMAIL_ADDRESS", "jo@example.co.uk")]
    assert attempts == []


def test_identifier_split_by_spaces_line_breaks_or_zero_width_is_found_at_its_original_span(
    patterns_only: Detector,
) -> None:
    texts = {
        "NHS number 9 4 3 4 7 6 5 9 1 9 today": "9 4 3 4 7 6 5 9 1 9",
        "NHS number 943 476\n5919 today": "943 476\n5919",
        "NHS number 943\u200b476\u200b5919 today": "943\u200b476\u200b5919",
        "NHS number ９４３４７６５９１９ today": "９４３４７６５９１９",
        "NHS number 943 476 59l9 today": "943 476 59l9",
    }
    for text, value in texts.items():
        found = [f for f in patterns_only.detect([Segment(text, "body")]) if f.entity_type == "UK_NHS"]
        assert [f.text for f in found] == [value], text
        assert text[found[0].start : found[0].end] == value


def test_nhs_number_without_context_is_only_a_low_score_candidate(patterns_only: Detector) -> None:
    bare = patterns_only.detect([Segment("Reference 943 476 5919 on file", "body")])
    labelled = patterns_only.detect([Segment("NHS no: 943 476 5919", "body")])
    assert [f.score for f in bare if f.entity_type == "UK_NHS"] == [0.4]
    assert next(f.score for f in labelled if f.entity_type == "UK_NHS") >= 0.85


def test_a_ten_digit_number_is_never_both_an_nhs_number_and_a_uln(patterns_only: Detector) -> None:
    # NHS wants the weighted sum ≡ 0 (mod 11), ULN ≡ 10: the two never overlap.
    from disclosureguard.detect.validators import nhs_number, uln

    assert not any(nhs_number(str(n)) and uln(str(n)) for n in range(1_000_000_000, 1_000_200_000))
    found = patterns_only.detect([Segment("ULN: 1634295292", "body")])
    assert [f.entity_type for f in found] == ["UK_ULN"]


def test_on_the_same_span_a_type_with_context_beats_one_without() -> None:
    cands = [
        Candidate("UK_PASSPORT", 10, 19, 0.85, "passport", context=True),
        Candidate("OTHER_NUMBER", 10, 19, 0.4, "other"),
    ]
    assert [c.entity_type for c in detector.resolve_overlaps(cands)] == ["UK_PASSPORT"]


def test_postcode_inside_an_address_is_kept_but_not_inside_a_driving_licence(patterns_only: Detector) -> None:
    found = _types(patterns_only.detect([Segment("Address: 45 Mill Lane, Leeds LS6 2AB", "body")]))
    assert ("UK_POSTCODE", "LS6 2AB") in found and ("ADDRESS", "45 Mill Lane, Leeds LS6 2AB") in found
    found = _types(patterns_only.detect([Segment("licence ALSAY 809197 M99AB", "body")]))
    assert found == [("UK_DRIVING_LICENCE", "ALSAY 809197 M99AB")]


def test_a_name_found_once_is_found_again_when_it_stands_alone(with_model: Detector) -> None:
    segments = [Segment("Contact with Grace Nwosu by text.", "p1"), Segment("Grace confirmed the plan.", "p2")]
    found = [(f.segment, f.text) for f in with_model.detect(segments) if f.entity_type == "PERSON"]
    assert (1, "Grace") in found


def test_false_persons_are_dropped(with_model: Detector) -> None:
    text = "The Team Manager spoke to the family in St Helier. Tel 07700 900123. MARAC met on Monday."
    found = [f.text for f in with_model.detect([Segment(text, "body")]) if f.entity_type == "PERSON"]
    assert found == []


def test_long_text_is_windowed_for_spacy_without_losing_or_doubling_names(
    with_model: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "Yesterday Sarah Smith met Mark Jones in the park. "
    text = sentence * 200  # 10,000 characters
    reference = [f.start for f in with_model.detect([Segment(text, "b")]) if f.entity_type == "PERSON"]
    monkeypatch.setattr(ner, "WINDOW", 1_000)
    monkeypatch.setattr(ner, "OVERLAP", 120)
    windowed = [f.start for f in with_model.detect([Segment(text, "b")]) if f.entity_type == "PERSON"]
    assert len(reference) >= 380
    assert windowed == reference  # same names at the same places, none twice


def test_a_long_single_line_text_is_scanned_to_its_end(patterns_only: Detector) -> None:
    text = "lorem ipsum dolor sit amet " * 40_000 + " NHS number 943 476 5919"  # ~1 MB, one line
    found = patterns_only.detect([Segment(text, "body")])
    assert [(f.entity_type, f.start) for f in found] == [("UK_NHS", len(text) - 12)]


def test_a_pattern_that_runs_out_of_time_is_an_error_not_an_empty_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "slow.yaml").write_text(
        "entity_type: SLOW_THING\npatterns:\n  - {name: slow, regex: '(?:a+)+b'}\n", encoding="utf-8"
    )
    slow = Detector(model=None, catalogues=[tmp_path])
    monkeypatch.setattr(patterns, "scan_timeout", lambda length: 0.05)
    with pytest.raises(ExtractionError) as err:
        slow.detect([Segment("a" * 5000 + "c", "body")])
    assert err.value.cause == "timeout"


def test_an_organisation_folder_extends_and_overrides_by_entity_type(tmp_path: Path) -> None:
    (tmp_path / "phone.yaml").write_text(
        "entity_type: PHONE_NUMBER\nextends: true\nignore: ['01534 445500']\n", encoding="utf-8"
    )
    (tmp_path / "case.yaml").write_text(
        "entity_type: CASE_REFERENCE\nscore: 0.9\npatterns:\n  - {name: org, regex: 'ORG-\\d{5}'}\n",
        encoding="utf-8",
    )
    d = Detector(model=None, catalogues=[tmp_path])
    found = _types(d.detect([Segment("Tel 01534 445500 or 01534 555123. Ref ORG-12345, CSC-2021-004512", "b")]))
    assert ("PHONE_NUMBER", "01534 555123") in found
    assert ("PHONE_NUMBER", "01534 445500") not in found
    assert ("CASE_REFERENCE", "ORG-12345") in found
    assert ("CASE_REFERENCE", "CSC-2021-004512") not in found  # the shipped pattern was replaced


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("entity_type: lower_case\npatterns: [{regex: 'x'}]\n", "entity_type"),
        ("entity_type: THING\npatterns: [{regex: '('}]\n", "patterns[0].regex"),
        ("entity_type: THING\npatterns: [{regex: 'x'}]\nvalidator: nope\n", "validator"),
        ("entity_type: THING\npatterns: [{regex: 'x'}]\nscore: 3\n", "score"),
        ("entity_type: THING\npatterns: [{regex: 'x'}]\ncolour: red\n", "colour"),
        ("entity_type: THING\n", "patterns"),
    ],
)
def test_a_bad_definition_is_a_config_error_naming_file_and_field(tmp_path: Path, content: str, field: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Detector(model=None, catalogues=[tmp_path])
    assert err.value.file.endswith("bad.yaml")
    assert err.value.field == field


def test_a_missing_catalogue_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Detector(model=None, catalogues=[tmp_path / "nope"])


def test_same_type_overlaps_keep_the_widest() -> None:
    cands = [
        Candidate("PERSON", 0, 9, 0.85, "title"),
        Candidate("PERSON", 4, 9, 0.85, "spacy"),
        Candidate("PERSON", 20, 25, 0.85, "spacy"),
    ]
    assert [(c.start, c.end) for c in detector.resolve_overlaps(cands)] == [(0, 9), (20, 25)]


def test_an_installed_package_finds_the_catalogue_it_ships_with(tmp_path: Path) -> None:
    """The wheel carries recognizers/ as disclosureguard/catalogue (pyproject force-include)."""
    import shutil
    import subprocess
    import sys

    import disclosureguard

    package = Path(disclosureguard.__file__).parent
    shutil.copytree(package, tmp_path / "disclosureguard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(package.parent.parent / "recognizers", tmp_path / "disclosureguard" / "catalogue")
    code = "from disclosureguard.detect.catalogue import shipped_folder; print(shipped_folder())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == tmp_path / "disclosureguard" / "catalogue"


_PIECES = [
    "NHS no ", "943 476 5919", "９４３", "\u200b", "\u00ad", "ﬁ", " ", "\n", "AB123456C", "АВ", "07700 900123",
    "JE2 3XY", "DOB 02/03/2014", "Mrs Jones", "é", "O", "l", "-", "sarah@example.org", "12 Rue de Haut, St Helier",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_every_finding_is_the_original_text_at_its_offsets(pieces: list[str]) -> None:
    text = "".join(pieces)
    for f in _PATTERNS_ONLY.detect([Segment(text, "body")]):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text


class _CountingPipeline:
    """The real spaCy pipeline, recording the documents it is given."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp
        self.documents: list[str] = []

    def pipe(self, texts, batch_size: int):  # type: ignore[no-untyped-def]
        def recorded():  # type: ignore[no-untyped-def]
            for text in texts:
                self.documents.append(text)
                yield text

        return self.nlp.pipe(recorded(), batch_size=batch_size)  # type: ignore[attr-defined]


def test_a_text_met_twice_goes_to_the_model_once_and_its_names_stand_for_both(with_model: Detector) -> None:
    # The plain and the HTML body of one mail hold the same paragraphs.
    letter = "Sarah Smith rang about the review. Mark Jones will attend with Lily."
    other = "The school reports good attendance for Grace Nwosu this term."
    counting = _CountingPipeline(with_model._nlp)
    texts = [letter, other, letter, letter]
    found = ner.entities(counting, texts, frozenset({"PERSON"}))
    assert sum(doc.count(letter) for doc in counting.documents) == 1
    alone = [(e.start, e.end) for e in ner.entities(with_model._nlp, [letter], frozenset({"PERSON"}))]
    assert len(alone) >= 2
    for index in (0, 2, 3):
        assert [(e.start, e.end) for e in found if e.text_index == index] == alone
    assert [other[e.start : e.end] for e in found if e.text_index == 1] == ["Grace Nwosu"]
