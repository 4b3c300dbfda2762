"""Every shipped file loads, validates and round-trips; the movement and targets point at real sets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from hoctap.criteria.schema import (
    DATA_DIR,
    CriteriaSchemaError,
    CriteriaSetVersion,
    diff_versions,
    get_shipped_set,
    load_movement,
    load_set_file,
    load_shipped_sets,
    load_targets,
    read_yaml,
)
from hoctap.criteria.schema.movement import MODELS

EXPECTED_CODES = {
    *("cdht-2023", "gdht-2015", "dhht-2015", "cdht-thon-2015", "dvht-xa-2015", "cdhtxa-2023"),
    *("cdhthuyen-2023", "cdhttinh-2023", "dvhthuyen-2023", "dvhttinh-2023", "cdhtxa-2014"),
    *("thidua-2557-tinh", "thidua-2557-mttq", "thidua-2557-so-nganh", "thidua-2557-huyen"),
    *("thidua-2557-xa", "thidua-2557-doanh-nghiep", "thidua-2557-ho-dong-ho", "thidua-2557-ca-nhan"),
}
SETS = load_shipped_sets()


def test_every_required_set_is_shipped_once():
    codes = [s.code for s in SETS]
    assert set(codes) == EXPECTED_CODES
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("criteria_set", SETS, ids=lambda s: s.key)
def test_set_round_trips_through_json(criteria_set: CriteriaSetVersion):
    data = json.loads(json.dumps(criteria_set.to_dict()))
    assert CriteriaSetVersion.from_dict(data) == criteria_set
    assert diff_versions(criteria_set, CriteriaSetVersion.from_dict(data)) == []


@pytest.mark.parametrize("criteria_set", SETS, ids=lambda s: s.key)
def test_every_indicator_and_rule_names_its_source(criteria_set: CriteriaSetVersion):
    for tree in criteria_set.criteria_trees():
        for criterion in tree:
            for ind in criterion.indicators:
                assert ind.source.strip(), ind.code
                assert ind.code.startswith(f"{criterion.code}.")
    rules = [criteria_set.pass_rule] if criteria_set.pass_rule else list(criteria_set.levels)
    assert all(rule is not None and rule.source for rule in rules)
    assert criteria_set.validity.source


def test_cdht_has_four_forms_of_three_competency_groups_and_ten_indices():
    cs = get_shipped_set("cdht-2023")
    assert [g.code for g in cs.subject_groups] == [
        "nguoi-dan",
        "nguoi-lao-dong",
        "can-bo-doanh-nhan",
        "hoc-sinh-sinh-vien",
    ]
    for group in cs.subject_groups:
        assert len(group.criteria) == 3
        indicators = [i for c in group.criteria for i in c.indicators]
        assert len(indicators) == 10
        assert sum(i.max or 0 for i in indicators) == 100
        assert all(i.unconfirmed for i in indicators)  # 10 × 10 is not confirmed for QĐ 324
    assert cs.pass_rule is not None
    assert (cs.pass_rule.total_min, cs.pass_rule.indicator_min) == (80, 5)
    assert cs.pass_rule.unconfirmed is False


def test_tt25_and_tt24_sets_have_two_levels_a_12_month_upgrade_and_3_years():
    for code in ("cdhtxa-2023", "cdhthuyen-2023", "cdhttinh-2023", "dvhthuyen-2023", "dvhttinh-2023"):
        cs = get_shipped_set(code)
        assert cs.level_codes == ("muc-1", "muc-2")
        assert cs.upgrade is not None and cs.upgrade.min_months == 12
        assert (cs.validity.years, cs.validity.basis) == (3, "after_recognition_year")
    commune = get_shipped_set("cdhtxa-2023")
    assert sum(len(c.indicators) for c in commune.criteria) == 15
    tinh = get_shipped_set("dvhttinh-2023")
    members = next(i for c in tinh.criteria for i in c.indicators if i.code == "3.1")
    assert (members.threshold_for("muc-1"), members.threshold_for("muc-2")) == (90, 95)
    assert members.context_key == "share_members_cdht"


def test_invented_thresholds_are_marked_unconfirmed():
    # Criteria 3-5 of the commune set and the GĐHT pass mark are not in the research: they must say so.
    commune = get_shipped_set("cdhtxa-2023")
    for criterion in commune.criteria[2:]:
        assert all(i.unconfirmed for i in criterion.indicators), criterion.code
    gdht = get_shipped_set("gdht-2015")
    assert gdht.pass_rule is not None and gdht.pass_rule.unconfirmed
    tinh = get_shipped_set("dvhttinh-2023")
    discipline = next(i for c in tinh.criteria for i in c.indicators if i.code == "2.1")
    assert discipline.unconfirmed is False and discipline.unconfirmed_levels == ("muc-2",)


def test_dhht_precondition_is_half_of_households_gdht():
    (pre,) = get_shipped_set("dhht-2015").preconditions
    assert (pre.context_key, pre.comparison, pre.threshold) == ("share_households_gdht", ">=", 50)


def test_movement_target_groups_point_at_shipped_sets():
    movement = load_movement()
    codes = {s.code for s in SETS}
    assert movement.legal_source.number == "2557/KH-UBND"
    assert movement.parent.legal_source.number == "1315/QĐ-TTg"
    assert len(movement.contents) == 6
    assert [g.number for g in movement.target_groups] == [f"1.{n}" for n in range(1, 9)]
    assert all(g.criteria_set in codes for g in movement.target_groups)
    assert [(p.review_kind, p.review_year) for p in movement.phases] == [("so-ket", 2025), ("tong-ket", 2030)]
    huyen = next(g for g in movement.target_groups if g.code == "huyen")
    assert huyen.valid_to == date(2025, 6, 30)
    assert huyen not in movement.target_groups_on(date(2025, 7, 1))
    assert huyen in movement.target_groups_on(date(2025, 6, 30))
    assert get_shipped_set("thidua-2557-huyen").valid_to == date(2025, 6, 30)
    json.dumps(movement.to_dict())


def test_targets_cover_the_four_programmes_and_use_known_models():
    targets = load_targets()
    assert {code for code, _ in targets.programmes} == {"qd-1373", "qd-387", "qd-677", "qd-1268"}
    set_codes = {s.code for s in SETS}
    for target in targets.targets:
        for side in (target.numerator, target.denominator):
            if side is not None and side.model is not None:
                assert side.model in MODELS
                assert any(code.startswith(f"{side.model}-") for code in set_codes), side.model
    gdht = next(t for t in targets.targets if t.code == "qd387-gia-dinh-hoc-tap")
    assert (gdht.value_for(2025), gdht.value_for(2030), gdht.unconfirmed_years) == (70, 80, (2030,))
    assert gdht.numerator is not None and gdht.numerator.model == "gdht"
    assert gdht.denominator is not None and gdht.denominator.count == "households"
    json.dumps(targets.to_dict())


# --- validation errors ---------------------------------------------------------------------------


def _cdhtxa_dict() -> dict:
    return get_shipped_set("cdhtxa-2023").to_dict()


def test_unknown_keys_and_foreign_indicator_codes_are_rejected():
    data = _cdhtxa_dict()
    data["criteria"][0]["indicators"][0]["treshold"] = 5
    data["criteria"][1]["indicators"][0]["code"] = "1.9"
    with pytest.raises(CriteriaSchemaError) as caught:
        CriteriaSetVersion.from_dict(data)
    text = str(caught.value)
    assert "unknown keys treshold" in text
    assert "indicator 1.9 does not belong to criterion 2" in text


def test_threshold_for_an_unknown_level_and_a_missing_level_are_rejected():
    data = _cdhtxa_dict()
    data["criteria"][4]["indicators"][0]["thresholds"] = {"muc-1": 70, "muc-3": 90}
    with pytest.raises(CriteriaSchemaError) as caught:
        CriteriaSetVersion.from_dict(data)
    assert "unknown level 'muc-3'" in str(caught.value)
    assert "no threshold for level(s) muc-2" in str(caught.value)


def test_an_unconfirmed_set_must_say_what_is_missing():
    data = _cdhtxa_dict()
    data["unconfirmed_note"] = ""
    with pytest.raises(CriteriaSchemaError, match="unconfirmed_note"):
        CriteriaSetVersion.from_dict(data)


def test_points_without_max_and_min_above_max_are_rejected():
    data = get_shipped_set("gdht-2015").to_dict()
    data["criteria"][0]["indicators"][0]["max"] = None
    data["criteria"][0]["indicators"][1]["min"] = 11
    with pytest.raises(CriteriaSchemaError) as caught:
        CriteriaSetVersion.from_dict(data)
    assert "needs a positive max" in str(caught.value)
    assert "must not exceed max" in str(caught.value)


def test_file_name_must_match_code_and_version(tmp_path: Path):
    source = read_yaml(DATA_DIR / "gdht-2015@1.yaml")
    wrong = tmp_path / "gdht-2015@2.yaml"
    wrong.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CriteriaSchemaError, match=r"file name must be gdht-2015@1\.yaml"):
        load_set_file(wrong)


# --- diff ----------------------------------------------------------------------------------------


def test_diff_versions_names_changed_added_and_removed_leaves():
    old = get_shipped_set("cdhtxa-2023")
    data = old.to_dict()
    data["version"] = 2
    data["criteria"][4]["indicators"][0]["thresholds"]["muc-1"] = 75
    data["criteria"][2]["indicators"].pop()  # drop 3.3
    data["deadlines"][1]["day"] = 30
    new = CriteriaSetVersion.from_dict(data)
    changes = {(c.path, c.kind): (c.before, c.after) for c in diff_versions(old, new)}
    assert changes[("version", "changed")] == (1, 2)
    assert changes[("criteria[5].indicators[5.1].thresholds.muc-1", "changed")] == (70, 75)
    assert changes[("deadlines[quyet-dinh].day", "changed")] == (31, 30)
    assert ("criteria[3].indicators[3.3].title", "removed") in changes
    reverse = {(c.path, c.kind) for c in diff_versions(new, old)}
    assert ("criteria[3].indicators[3.3].title", "added") in reverse
