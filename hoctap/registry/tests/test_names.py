"""Demo people: name proportions, determinism, NFC, and consistent ages within a household."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

from hoctap.registry.names import (
    GIVEN_NAMES,
    PARENT_MAX_GAP,
    PARENT_MIN_GAP,
    RELATIONSHIPS,
    SPOUSE_MAX_GAP,
    DemoPerson,
    family_name,
    household_members,
    person_name,
    pick_ethnicity,
    village_names,
)

DRAWS = 20_000


def test_family_name_shares_match_the_national_figures() -> None:
    rng = random.Random(2557)

    counts = Counter(family_name(rng) for _ in range(DRAWS))

    share = {name: count / DRAWS for name, count in counts.items()}
    assert 0.35 <= share["Nguyễn"] <= 0.41
    assert 0.095 <= share["Trần"] <= 0.125
    assert 0.08 <= share["Lê"] <= 0.11
    assert 0.06 <= share["Phạm"] <= 0.08
    assert 0.04 <= share["Hoàng"] + share["Huỳnh"] <= 0.06
    assert 0.032 <= share["Vũ"] + share["Võ"] <= 0.046
    assert 0.003 <= share["Lý"] <= 0.008
    assert len(counts) > 30


def test_middle_names_depend_on_sex() -> None:
    rng = random.Random(7)

    men = Counter(person_name(rng, "nam").split()[1] for _ in range(3000))
    women = Counter(person_name(rng, "nu").split()[1] for _ in range(3000))

    assert men.most_common(1)[0][0] == "Văn" and "Thị" not in men
    assert women.most_common(1)[0][0] == "Thị" and "Văn" not in women


def test_given_name_lists_are_large_and_nfc() -> None:
    assert len(GIVEN_NAMES["nam"]) >= 150 and len(GIVEN_NAMES["nu"]) >= 150
    for names in GIVEN_NAMES.values():
        assert len(set(names)) == len(names)
        assert all(unicodedata.is_normalized("NFC", name) and name.strip() == name for name in names)


def test_same_seed_same_people() -> None:
    first = [household_members(random.Random(42), 1970 + i) for i in range(50)]
    second = [household_members(random.Random(42), 1970 + i) for i in range(50)]

    assert first == second
    assert first != [household_members(random.Random(43), 1970 + i) for i in range(50)]


def test_ethnicity_is_mostly_kinh_with_local_minorities() -> None:
    rng = random.Random(3)

    counts = Counter(pick_ethnicity(rng) for _ in range(DRAWS))

    assert 0.93 <= counts["Kinh"] / DRAWS <= 0.97
    assert counts["Bru-Vân Kiều"] > counts["Tà Ôi"] > counts["Chứt"] > 0


def _check_household(members: list[DemoPerson]) -> None:
    head = members[0]
    assert head.relationship == "Chủ hộ"
    assert [m.relationship for m in members].count("Chủ hộ") == 1
    for person in members:
        assert person.relationship in RELATIONSHIPS
        assert unicodedata.is_normalized("NFC", person.full_name)
        assert len(person.full_name.split()) >= 3
        assert person.birth_date.year <= 2024
        assert 2024 - person.birth_date.year <= 95 or person is head
        assert person.ethnicity == head.ethnicity
        for index in person.parents:
            gap = person.birth_date.year - members[index].birth_date.year
            assert PARENT_MIN_GAP <= gap <= PARENT_MAX_GAP
        if person.parents:
            fathers = [members[i] for i in person.parents if members[i].sex == "nam"]
            assert person.family_name == (fathers or [members[person.parents[0]]])[0].family_name
        if person.relationship in {"Vợ", "Chồng"}:
            assert person.sex != head.sex
            assert abs(person.birth_date.year - head.birth_date.year) <= SPOUSE_MAX_GAP
        if person.relationship in {"Bố", "Mẹ"}:
            assert PARENT_MIN_GAP <= head.birth_date.year - person.birth_date.year <= PARENT_MAX_GAP
        if person.relationship == "Con":
            assert 0 in person.parents


def test_households_have_consistent_ages_and_names() -> None:
    rng = random.Random(11)
    relationships: Counter[str] = Counter()

    for _ in range(3000):
        members = household_members(rng, rng.randint(1935, 2004))
        _check_household(members)
        relationships.update(member.relationship for member in members)

    for expected in ("Vợ", "Chồng", "Con", "Bố", "Mẹ", "Con dâu", "Con rể", "Cháu"):
        assert relationships[expected] > 0, expected
    assert 3.4 <= sum(relationships.values()) / 3000 <= 4.4  # Quảng Trị: 1.85M people, 470k households


def test_head_sex_and_ethnicity_can_be_fixed() -> None:
    members = household_members(random.Random(5), 1980, head_sex="nu", ethnicity="Bru-Vân Kiều")

    assert members[0].sex == "nu"
    assert {m.ethnicity for m in members} == {"Bru-Vân Kiều"}


def test_village_names() -> None:
    rng = random.Random(1)

    assert village_names(rng, 3, kind="urban") == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    upland = village_names(rng, 30, kind="upland")
    rural = village_names(random.Random(2), 40)

    for names in (upland, rural):
        assert len(set(names)) == len(names)
        assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert all(name.startswith("Bản ") for name in upland)
    assert all(name.startswith("Thôn ") for name in rural)
