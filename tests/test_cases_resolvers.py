"""Each attribution resolver alone, on evidence built in code (cases/resolvers.py, evidence.py).

A small index of people, sightings placed by hand and the document's evidence made from them:
no case file, no hashing, no matcher. The end-to-end accuracy is in test_cases_attribute.py.
"""

from __future__ import annotations

import pytest

from disclosureguard.cases.compiled import Kind, Member, Strength
from disclosureguard.cases.evidence import SMALL, WINDOW, Evidence, People, Sighting, gather
from disclosureguard.cases.resolvers import (
    RESOLVERS,
    Match,
    resolve,
    resolve_case,
    resolve_corroborated,
    resolve_strong,
    resolve_weak,
)

LILY, SARAH, OTHER_LILY, SOCIAL_WORKER, SCHOOL = range(5)
PEOPLE = People(
    [
        Member(case=0, id="lily", role="child", name="Lily Smith", contact=False, withheld=()),
        Member(case=0, id="sarah", role="parent", name="Sarah Smith", contact=False, withheld=()),
        Member(case=1, id="lily", role="child", name="Lily Jones", contact=False, withheld=()),
        Member(case=1, id="jo", role="professional", name="Jo Bisson", contact=False, withheld=()),
        Member(case=1, id=None, role="professional", name=None, contact=True, withheld=()),
    ],
    case_count=2,
)
NAME, FIRST, ADDRESS, PHONE = Kind.of("name"), Kind.of("name-first"), Kind.of("address"), Kind.of("phone")
POSTCODE, BORN, CASE = Kind.of("postcode"), Kind.of("born"), Kind.of("case")

TEXT = "Lily went to the park. lily"  # one segment; the second "lily" has no capital
FAR = "x" * (WINDOW + 50)


def sight(kind: Kind, owners: tuple[int, ...], seg: int = 0, start: int = 0, end: int = 4, words: int = 1,
          gpos: int | None = None, more: tuple[tuple[Kind, tuple[int, ...]], ...] = ()) -> Sighting:
    return Sighting(seg, 0, words, start, end, start if gpos is None else gpos, ((kind, owners), *more))


def who(m: Match | None) -> int | None:
    return None if m is None else m.member


def evidence(*texts: str, members: dict[int, tuple[Sighting, ...]] | None = None,
             cases: dict[int, tuple[Sighting, ...]] | None = None,
             full_names: dict[int, tuple[Sighting, ...]] | None = None, soft: tuple[Sighting, ...] = (),
             surnames: dict[tuple[int, int], list[tuple[int, ...]]] | None = None, people: People = PEOPLE) -> Evidence:
    return Evidence(people, texts or (TEXT,), members or {}, cases or {}, full_names or {}, soft, surnames or {})


# -- the strength of a sighting picks its resolver ---------------------------------------------


def test_a_sighting_is_as_strong_as_its_strongest_kind_of_value() -> None:
    assert sight(FIRST, (LILY,)).strength is Strength.WEAK
    assert sight(FIRST, (LILY,), more=((POSTCODE, (LILY,)),)).strength is Strength.CORROBORATE
    assert sight(CASE, (0,)).strength is Strength.CASE
    # A value that is both someone's and a case reference is resolved as the person's.
    assert sight(CASE, (0,), more=((PHONE, (SARAH,)),)).strength is Strength.STRONG
    assert {s: RESOLVERS[s] for s in RESOLVERS} == {
        Strength.STRONG: resolve_strong, Strength.CASE: resolve_case,
        Strength.CORROBORATE: resolve_corroborated, Strength.WEAK: resolve_weak,
    }


def test_strengths_are_ordered_by_how_much_a_value_says_on_its_own() -> None:
    assert Strength.STRONG.at_least(Strength.CASE) and Strength.CASE.at_least(Strength.STRONG)
    assert Strength.STRONG.at_least(Strength.CORROBORATE) and not Strength.CORROBORATE.at_least(Strength.STRONG)
    assert Strength.CORROBORATE.at_least(Strength.WEAK) and not Strength.WEAK.at_least(Strength.CORROBORATE)
    assert [s for s in Strength if s.needs_corroboration] == [Strength.CORROBORATE, Strength.WEAK]


# -- the case reference --------------------------------------------------------------------------


def test_the_case_reference_is_its_case_and_no_person() -> None:
    m = resolve_case(sight(CASE, (1,), end=15, words=3), evidence())
    assert m is not None and (m.case, m.member, m.score, m.kind.name) == (1, None, 1.0, "case")


# -- strong values -------------------------------------------------------------------------------


def test_a_strong_value_of_one_person_is_theirs_on_sight() -> None:
    one_word = resolve_strong(sight(ADDRESS, (SARAH,)), evidence())
    several = resolve_strong(sight(NAME, (SARAH,), words=2), evidence())
    phone = resolve_strong(sight(PHONE, (SARAH,)), evidence())
    assert one_word is not None and (one_word.member, one_word.case, one_word.score) == (SARAH, 0, 0.95)
    assert several is not None and several.score == 1.0
    assert phone is not None and phone.score == 1.0  # a phone, an email, an identifier: exact values


def test_a_shared_strong_value_goes_to_the_owner_named_nearby() -> None:
    s = sight(NAME, (LILY, OTHER_LILY), start=0, words=2)
    near_other = sight(PHONE, (OTHER_LILY,), start=40)
    far_lily = sight(PHONE, (LILY,), seg=1, gpos=len(FAR) + 500)
    ev = evidence(TEXT, FAR, members={OTHER_LILY: (near_other,), LILY: (far_lily,)})
    m = resolve_strong(s, ev)
    assert m is not None and (m.member, m.case) == (OTHER_LILY, 1)


def test_a_shared_strong_value_goes_to_the_owner_whose_case_the_document_is_about() -> None:
    s = sight(NAME, (LILY, OTHER_LILY), words=2)
    about_case_1 = sight(CASE, (1,), seg=1, gpos=5000)
    assert who(resolve_strong(s, evidence(TEXT, FAR, cases={1: (about_case_1,)}))) == OTHER_LILY
    about_case_0 = sight(CASE, (0,), seg=1, gpos=5000)
    assert who(resolve_strong(s, evidence(TEXT, FAR, cases={0: (about_case_0,)}))) == LILY


def test_a_shared_strong_value_without_evidence_goes_to_family_before_a_professional() -> None:
    m = resolve_strong(sight(PHONE, (SARAH, SOCIAL_WORKER)), evidence())
    assert m is not None and m.member == SARAH
    # The sighting itself is no evidence of its own owners.
    s = sight(PHONE, (LILY, SOCIAL_WORKER))
    m = resolve_strong(s, evidence(members={SOCIAL_WORKER: (s,)}))
    assert m is not None and m.member == LILY


def test_a_value_of_very_many_owners_none_in_the_document_is_never_a_professionals() -> None:
    # A professional first among more owners than are weighed one by one.
    members = [Member(case=0, id="worker", role="professional", name=None, contact=False, withheld=())]
    members += [Member(case=0, id=f"p{i}", role="parent", name=None, contact=False, withheld=())
                for i in range(SMALL + 5)]
    people = People(members, case_count=1)
    owners = tuple(range(len(members)))
    m = resolve_strong(sight(NAME, owners, words=2), evidence(people=people))
    assert m is not None and m.member == 1 and not people.professional[m.member]


# -- dates of birth and postcodes ----------------------------------------------------------------


def test_a_date_of_birth_alone_is_nobodys() -> None:
    assert resolve_corroborated(sight(BORN, (LILY,), words=3), evidence("2 March 2014")) is None


def test_a_date_of_birth_after_born_is_the_one_person_born_that_day() -> None:
    text = "Lily (born 2 March 2014)"
    s = sight(BORN, (LILY,), start=11, end=23, words=3)
    m = resolve_corroborated(s, evidence(text))
    assert m is not None and (m.member, m.score) == (LILY, 1.0)
    assert resolve_corroborated(sight(BORN, (LILY, OTHER_LILY), start=11, end=23, words=3), evidence(text)) is None


def test_a_postcode_needs_its_person_or_their_case_in_the_document() -> None:
    s = sight(POSTCODE, (SARAH,), start=60, words=2)
    assert resolve_corroborated(s, evidence()) is None
    named = sight(NAME, (SARAH,), seg=3, gpos=9000, words=2)
    m = resolve_corroborated(s, evidence(members={SARAH: (named,)}))
    assert m is not None and (m.member, m.score) == (SARAH, 1.0)
    case = sight(CASE, (0,), seg=3, gpos=9000)
    assert who(resolve_corroborated(s, evidence(cases={0: (case,)}))) == SARAH
    assert resolve_corroborated(s, evidence(cases={1: (case,)})) is None


def test_a_postcode_is_corroborated_by_a_lone_name_of_the_same_person_nearby() -> None:
    postcode = sight(POSTCODE, (SARAH, OTHER_LILY), start=30, words=2)
    name_near = sight(FIRST, (SARAH,), start=0)
    name_far = sight(FIRST, (SARAH,), seg=2, gpos=30 + WINDOW + 1)
    m = resolve_corroborated(postcode, evidence(soft=(postcode, name_near)))
    assert m is not None and m.member == SARAH
    assert resolve_corroborated(postcode, evidence(soft=(postcode, name_far))) is None


# -- lone names ----------------------------------------------------------------------------------


def test_a_lone_name_is_written_with_a_capital() -> None:
    s = sight(FIRST, (LILY,), start=23, end=27)  # "lily"
    assert resolve_weak(s, evidence(members={LILY: (sight(NAME, (LILY,), start=0, words=2),)})) is None


def test_a_lone_name_alone_is_nobodys() -> None:
    assert resolve_weak(sight(FIRST, (LILY, OTHER_LILY)), evidence()) is None


def test_a_lone_name_with_its_person_named_nearby_scores_high() -> None:
    s = sight(FIRST, (LILY, OTHER_LILY))
    phone = sight(PHONE, (OTHER_LILY,), start=10)
    m = resolve_weak(s, evidence(members={OTHER_LILY: (phone,)}))
    assert m is not None and (m.member, m.case, m.score) == (OTHER_LILY, 1, 0.85)


def test_a_lone_name_with_its_persons_case_or_full_name_elsewhere_scores_lower() -> None:
    s = sight(FIRST, (LILY, OTHER_LILY))
    elsewhere = sight(CASE, (1,), seg=1, gpos=5000)
    m = resolve_weak(s, evidence(TEXT, FAR, cases={1: (elsewhere,)}))
    assert m is not None and (m.member, m.score) == (OTHER_LILY, 0.7)
    full = sight(NAME, (LILY,), seg=1, gpos=5000, words=2)
    m = resolve_weak(s, evidence(TEXT, FAR, full_names={LILY: (full,)}))
    assert m is not None and (m.member, m.score) == (LILY, 0.7)


def test_a_first_name_followed_by_its_persons_surname_is_theirs() -> None:
    # "Lily and Sarah Smith": the surname stands three words after "Lily".
    s = sight(FIRST, (LILY, OTHER_LILY))
    m = resolve_weak(s, evidence(surnames={(0, 3): [(LILY, SARAH)]}))
    assert m is not None and (m.member, m.score) == (LILY, 0.85)
    assert resolve_weak(s, evidence(surnames={(0, 6): [(LILY, SARAH)]})) is None  # too far after it


# -- gathering the evidence ----------------------------------------------------------------------


def test_gather_reads_what_each_sighting_says_on_sight() -> None:
    full = sight(NAME, (SARAH,), start=0, words=2)
    signature = sight(PHONE, (SOCIAL_WORKER,), start=10)
    shared_address = sight(ADDRESS, (LILY, SARAH), start=20, words=5)
    reference = sight(CASE, (1,), start=40, words=3)
    lone = sight(FIRST, (LILY,), start=50)
    many = sight(NAME, tuple(range(SMALL + 1)), start=60, words=2)
    people = People([Member(case=0, id=f"p{i}", role="parent", name=None, contact=False, withheld=())
                     for i in range(SMALL + 1)], case_count=1)
    ev = gather([full, signature, shared_address, reference, lone], {(0, 9): [(SARAH,)]}, [TEXT], PEOPLE)
    assert ev.members == {SARAH: (full,), SOCIAL_WORKER: (signature,)}
    assert ev.full_names == {SARAH: (full,)}
    # A professional's value is evidence of them, not of the family's case; a value the whole
    # family shares is evidence of their case alone.
    assert ev.cases == {0: (full, shared_address), 1: (reference,)}
    assert ev.soft == (lone,) and ev.surnames == {(0, 9): [(SARAH,)]}
    assert gather([many], {}, [TEXT], people).members == {}  # shared by too many: nobody's evidence


@pytest.mark.parametrize("kind", [NAME, ADDRESS, PHONE, POSTCODE, BORN, FIRST, CASE])
def test_resolve_hands_each_sighting_to_the_resolver_of_its_strength(kind: Kind) -> None:
    s = sight(kind, (SARAH,) if kind is not CASE else (0,), words=2)
    ev = evidence(members={SARAH: (sight(PHONE, (SARAH,), start=9),)})
    assert resolve(s, ev) == RESOLVERS[kind.strength](s, ev)


def test_nearby_reaches_across_segments_within_the_window() -> None:
    s = sight(FIRST, (LILY,), start=0)
    next_paragraph = sight(PHONE, (LILY,), seg=1, gpos=WINDOW - 10)
    far_paragraph = sight(PHONE, (LILY,), seg=1, gpos=WINDOW + 10)
    m = resolve_weak(s, evidence(TEXT, "Ring 07700 900456", members={LILY: (next_paragraph,)}))
    assert m is not None and (m.member, m.score) == (LILY, 0.85)
    assert resolve_weak(s, evidence(TEXT, "Ring 07700 900456", members={LILY: (far_paragraph,)})) is None


def test_lone_names_do_not_corroborate_each_other() -> None:
    # "Lily ... Lily": two lone names of the same detail are no evidence of whose they are;
    # a postcode of hers nearby is.
    s = sight(FIRST, (LILY,), start=0)
    again = sight(FIRST, (LILY,), start=10)
    postcode = sight(POSTCODE, (LILY,), start=20, words=2)
    assert resolve_weak(s, evidence(soft=(s, again))) is None
    m = resolve_weak(s, evidence(soft=(s, again, postcode)))
    assert m is not None and (m.member, m.score) == (LILY, 0.85)
