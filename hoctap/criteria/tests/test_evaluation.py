"""The evaluation function against the rules of the legal texts (boundaries first)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from hoctap.criteria.evaluation import EvaluationInputError, add_months, evaluate, evaluate_payload
from hoctap.criteria.schema import get_shipped_set
from hoctap.criteria.tests.helpers import all_yes, cdht, cdht_answers

DAY = date(2024, 12, 15)


def _cdht(answers: dict[str, object], group: str = "nguoi-dan"):
    return evaluate(criteria_set=cdht(), answers=answers, evaluated_on=DAY, subject_group=group)


# --- Công dân học tập: ≥ 80/100 and no index below 5 (QĐ 324/QĐ-KHVN) -----------------------------


def test_cdht_total_of_exactly_80_passes():
    result = _cdht(cdht_answers(8))
    assert result.total == 80 and result.max_total == 100
    assert result.passed is True
    assert result.valid_until == date(2024, 12, 31)
    assert "Tổng điểm 80/100, đạt mức tối thiểu 80 điểm" in result.reasons[0]
    assert "(QĐ 324/QĐ-KHVN)" in result.reasons[0]


def test_cdht_total_of_79_5_fails_and_says_why():
    result = _cdht(cdht_answers(8, i3_2=7.5))
    assert result.total == Decimal("79.5")
    assert result.passed is False and result.valid_until is None
    assert "Tổng điểm 79,5/100, dưới mức tối thiểu 80 điểm (QĐ 324/QĐ-KHVN)." in result.reasons


def test_cdht_float_answers_are_summed_exactly():
    # 10 × 7.95 is 79.49999… in binary floating point; Decimal keeps it at 79.5 (fail), 8.1 + 7.9 at 16.
    assert _cdht(cdht_answers(7.95)).total == Decimal("79.5")
    assert _cdht(cdht_answers(7.95)).passed is False
    result = _cdht(cdht_answers(8, i1_1=8.1, i1_2=7.9))
    assert result.total == 80 and result.passed is True


def test_cdht_index_at_5_passes():
    result = _cdht(cdht_answers(9, i2_3=5))
    assert result.passed is True
    assert result.indicator("2.3").passed is True


def test_cdht_index_at_4_9_fails_even_with_a_high_total():
    result = _cdht(cdht_answers(10, i2_3=4.9))
    assert result.total == Decimal("94.9")
    assert result.passed is False
    assert result.indicator("2.3").passed is False
    assert "Chỉ tiêu 2.3 đạt 4,9 điểm, dưới mức tối thiểu 5 điểm (QĐ 324/QĐ-KHVN)." in result.reasons


def test_cdht_reason_for_an_integer_score_below_the_minimum():
    result = _cdht(cdht_answers(10, i2_3=4))
    assert result.reasons[0] == "Chỉ tiêu 2.3 đạt 4 điểm, dưới mức tối thiểu 5 điểm (QĐ 324/QĐ-KHVN)."


def test_cdht_unconfirmed_indices_are_reported_but_the_pass_rule_is_confirmed():
    result = _cdht(cdht_answers(8))
    assert "2.3" in result.unconfirmed_rules and "pass" not in result.unconfirmed_rules
    assert any(r.startswith("Lưu ý: kết quả có dùng quy tắc chưa được xác minh") for r in result.reasons)


def test_cdht_every_form_is_evaluated_with_its_own_tree():
    for group in ("nguoi-dan", "nguoi-lao-dong", "can-bo-doanh-nhan", "hoc-sinh-sinh-vien"):
        result = _cdht(cdht_answers(9), group=group)
        assert result.subject_group == group and result.passed


# --- input errors --------------------------------------------------------------------------------


def test_missing_answers_are_all_named_in_tree_order():
    answers = cdht_answers(8)
    del answers["3.1"], answers["1.2"]
    with pytest.raises(EvaluationInputError) as caught:
        _cdht(answers)
    assert caught.value.errors[0] == "Thiếu câu trả lời cho chỉ tiêu: 1.2, 3.1"
    assert caught.value.missing == ["1.2", "3.1"]


def test_every_input_problem_is_reported_at_once():
    answers = cdht_answers(8, i1_1=11, i1_2=-1, i1_3=True, i1_4="mười")
    answers["9.9"] = 1
    with pytest.raises(EvaluationInputError) as caught:
        _cdht(answers)
    assert caught.value.errors == [
        "Chỉ tiêu 1.1: 11 điểm vượt quá điểm tối đa 10 điểm.",
        "Chỉ tiêu 1.2: giá trị -1 không được âm.",
        "Chỉ tiêu 1.3: câu trả lời phải là một số.",
        "Chỉ tiêu 1.4: câu trả lời phải là một số.",
        "Mã chỉ tiêu không có trong bộ tiêu chí: 9.9",
    ]


def test_subject_group_is_required_and_checked_for_cdht():
    with pytest.raises(EvaluationInputError, match="cần chọn nhóm đối tượng"):
        evaluate(criteria_set=cdht(), answers=cdht_answers(), evaluated_on=DAY)
    with pytest.raises(EvaluationInputError, match="Nhóm đối tượng không có trong bộ tiêu chí: nong-dan"):
        _cdht(cdht_answers(), group="nong-dan")


def test_level_is_checked():
    with pytest.raises(EvaluationInputError, match="không chia mức"):
        evaluate(
            criteria_set=cdht(),
            answers=cdht_answers(),
            evaluated_on=DAY,
            subject_group="nguoi-dan",
            level="muc-1",
        )
    commune = get_shipped_set("cdhtxa-2023")
    with pytest.raises(EvaluationInputError, match="Mức không có trong bộ tiêu chí: muc-3"):
        evaluate(criteria_set=commune, answers={}, evaluated_on=DAY, level="muc-3")


def test_yes_no_wants_a_boolean_and_choice_a_known_option():
    tinh = get_shipped_set("dvhttinh-2023")
    answers = all_yes(tinh)
    answers["1.1"] = 1
    answers["3.3"] = "huan-chuong"
    with pytest.raises(EvaluationInputError) as caught:
        evaluate(criteria_set=tinh, answers=answers, context={"share_members_cdht": 95}, evaluated_on=DAY)
    assert "Chỉ tiêu 1.1: câu trả lời phải là có/không (true/false)." in caught.value.errors
    assert any(
        e.startswith("Chỉ tiêu 3.3: câu trả lời phải là một trong các lựa chọn") for e in caught.value.errors
    )


# --- Dòng họ học tập: ≥ 50% of households GĐHT (QĐ 448/QĐ-KHVN) ------------------------------------


@pytest.mark.parametrize(
    ("share", "passed"), [(50, True), ("50.0", True), (49.9, False), (100, True), (0, False)]
)
def test_dhht_precondition_boundary(share: object, passed: bool):
    result = evaluate(
        criteria_set=get_shipped_set("dhht-2015"),
        answers={"1.1": True, "1.2": True, "1.3": True},
        context={"share_households_gdht": share},
        evaluated_on=DAY,
    )
    assert result.passed is passed
    assert result.reasons[0].startswith("Điều kiện tiên quyết " + ("đạt" if passed else "chưa đạt"))
    assert "QĐ 448/QĐ-KHVN" in result.reasons[0]


def test_dhht_without_the_household_share_is_an_input_error():
    with pytest.raises(EvaluationInputError, match="share_households_gdht"):
        evaluate(
            criteria_set=get_shipped_set("dhht-2015"),
            answers={"1.1": True, "1.2": True, "1.3": True},
            evaluated_on=DAY,
        )


# --- Cộng đồng học tập cấp xã: levels and the 12-month upgrade (TT 25/2023/TT-BGDĐT) ---------------

COMMUNE_CONTEXT = {"share_households_gdht": 85, "share_villages_cdht": 80, "share_adults_cdht": 65}


def _commune(*, level: str | None, on: date, **context: object):
    commune = get_shipped_set("cdhtxa-2023")
    return evaluate(
        criteria_set=commune,
        answers=all_yes(commune),
        context={**COMMUNE_CONTEXT, **context},
        level=level,
        evaluated_on=on,
    )


def test_muc_2_less_than_12_months_after_muc_1_is_refused():
    result = _commune(
        level="muc-2", on=date(2025, 3, 14), previous_level="muc-1", previous_level_date="2024-03-15"
    )
    assert result.passed is False and result.level is None
    assert any(
        r.startswith("Chưa đủ 12 tháng kể từ ngày công nhận Mức độ 1 (15/03/2024)") for r in result.reasons
    )
    assert any("sớm nhất từ ngày 15/03/2025" in r for r in result.reasons)


def test_muc_2_exactly_12_months_after_muc_1_is_accepted():
    result = _commune(
        level="muc-2", on=date(2025, 3, 15), previous_level="muc-1", previous_level_date="2024-03-15"
    )
    assert result.passed is True and result.level == "muc-2"
    assert result.valid_until == date(2028, 12, 31)  # kept three years after the year of recognition
    assert any(r.startswith("Đã đủ 12 tháng") for r in result.reasons)


def test_muc_2_without_a_previous_muc_1_is_refused():
    result = _commune(level="muc-2", on=date(2025, 3, 15))
    assert result.passed is False
    assert any(r.startswith("Chưa có quyết định công nhận Mức độ 1") for r in result.reasons)


def test_without_a_requested_level_the_highest_allowed_level_is_returned():
    early = _commune(
        level=None, on=date(2025, 3, 14), previous_level="muc-1", previous_level_date="2024-03-15"
    )
    assert early.passed is True and early.level == "muc-1"
    assert any(r.startswith("Chưa đạt Mức độ 2: Chưa đủ 12 tháng") for r in early.reasons)
    later = _commune(
        level=None, on=date(2025, 3, 15), previous_level="muc-1", previous_level_date="2024-03-15"
    )
    assert later.level == "muc-2"


def test_muc_2_thresholds_are_higher_than_muc_1():
    result = _commune(
        level="muc-2",
        on=date(2025, 3, 15),
        previous_level="muc-1",
        previous_level_date="2024-03-15",
        share_households_gdht=75,
    )
    assert result.passed is False
    assert result.indicator("5.1").reason == "75%, chưa đạt yêu cầu ≥ 80%"
    assert _commune(level="muc-1", on=date(2025, 3, 15), share_households_gdht=75).passed is True


def test_upgrade_counts_calendar_months_and_clamps_month_ends():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_previous_level_must_come_with_a_valid_date():
    with pytest.raises(EvaluationInputError, match="previous_level_date"):
        _commune(level="muc-2", on=date(2025, 3, 15), previous_level="muc-1")
    with pytest.raises(EvaluationInputError, match="YYYY-MM-DD"):
        _commune(
            level="muc-2", on=date(2025, 3, 15), previous_level="muc-1", previous_level_date="15/03/2024"
        )


# --- other rules ---------------------------------------------------------------------------------


def test_not_applicable_is_allowed_only_where_the_text_allows_it():
    tinh = get_shipped_set("dvhttinh-2023")
    answers = {**all_yes(tinh), "1.3": None, "3.4": None, "3.5": None, "3.6": None, "3.7": None}
    result = evaluate(
        criteria_set=tinh, answers=answers, context={"share_members_cdht": 92}, evaluated_on=DAY
    )
    assert result.passed is True and result.level == "muc-1"
    assert result.indicator("1.3").passed is None
    answers["1.1"] = None
    with pytest.raises(EvaluationInputError, match=r"Chỉ tiêu 1\.1 bắt buộc trả lời"):
        evaluate(criteria_set=tinh, answers=answers, context={"share_members_cdht": 92}, evaluated_on=DAY)


def test_members_holding_cdht_below_90_percent_fail_tt24():
    tinh = get_shipped_set("dvhttinh-2023")
    answers = {**all_yes(tinh), "1.3": None, "3.4": None, "3.5": None, "3.6": None, "3.7": None}
    result = evaluate(
        criteria_set=tinh, answers=answers, context={"share_members_cdht": 89.9}, evaluated_on=DAY
    )
    assert result.passed is False
    assert any(r.startswith("Chỉ tiêu 3.1 chưa đạt: 89,9%, chưa đạt yêu cầu ≥ 90%") for r in result.reasons)


def test_computed_indicators_come_from_context_not_answers():
    ca_nhan = get_shipped_set("thidua-2557-ca-nhan")
    ok = evaluate(criteria_set=ca_nhan, answers={}, context={"recognised_cdht": True}, evaluated_on=DAY)
    assert ok.passed is True and ok.total == 0
    ko = evaluate(criteria_set=ca_nhan, answers={}, context={"recognised_cdht": False}, evaluated_on=DAY)
    assert ko.passed is False
    with pytest.raises(EvaluationInputError, match="được tính từ dữ liệu ghi nhận"):
        evaluate(
            criteria_set=ca_nhan, answers={"1.1": True}, context={"recognised_cdht": True}, evaluated_on=DAY
        )


def test_confirmed_province_criteria_report_no_unconfirmed_rule():
    tinh = get_shipped_set("thidua-2557-tinh")
    result = evaluate(
        criteria_set=tinh,
        answers={"1.1": True, "1.2": True},
        context={"recognised_cdhttinh": True},
        evaluated_on=DAY,
    )
    assert result.passed is True and result.unconfirmed_rules == ()
    mttq = get_shipped_set("thidua-2557-mttq")
    result = evaluate(criteria_set=mttq, answers=all_yes(mttq), evaluated_on=DAY)
    assert result.unconfirmed_rules == ("pass", "1.2", "1.3", "1.4")


def test_one_year_titles_are_valid_to_the_end_of_the_data_year():
    gdht = get_shipped_set("gdht-2015")
    result = evaluate(
        criteria_set=gdht, answers=all_yes(gdht), context={"data_year": 2024}, evaluated_on=date(2025, 1, 10)
    )
    assert result.data_year == 2024 and result.valid_until == date(2024, 12, 31)
    assert "validity" in result.unconfirmed_rules


def test_a_district_set_used_after_the_reform_is_flagged():
    huyen = get_shipped_set("thidua-2557-huyen")
    result = evaluate(
        criteria_set=huyen,
        answers={"1.1": True, "1.2": True},
        context={"recognised_cdhthuyen": True},
        evaluated_on=date(2025, 8, 1),
    )
    assert any(
        r.startswith("Lưu ý: bộ tiêu chí thidua-2557-huyen@1 áp dụng từ 11/12/2023 đến 30/06/2025")
        for r in result.reasons
    )


# --- payload -------------------------------------------------------------------------------------


def test_evaluate_payload_reads_the_command_line_contract():
    payload = json.loads(
        json.dumps(
            {
                "answers": cdht_answers(8),
                "context": {},
                "level": None,
                "evaluated_on": "2024-12-15",
                "subject_group": "nguoi-lao-dong",
            }
        )
    )
    result = evaluate_payload(criteria_set=cdht(), payload=payload)
    out = json.loads(json.dumps(result.to_dict()))
    assert out["passed"] is True and out["total"] == 80 and out["valid_until"] == "2024-12-31"
    assert out["criteria_set"] == "cdht-2023" and out["criteria_set_version"] == 1
    assert out["criteria"][1]["indicators"][2]["code"] == "2.3"
    assert out["reasons"]


def test_evaluate_payload_rejects_a_bad_envelope():
    with pytest.raises(EvaluationInputError) as caught:
        evaluate_payload(
            criteria_set=cdht(), payload={"answer": {}, "evaluated_on": "15/12/2024", "level": 2}
        )
    assert caught.value.errors == [
        "Khóa không hợp lệ trong dữ liệu đánh giá: answer",
        "Câu trả lời phải là một bảng mã chỉ tiêu → giá trị.",
        "evaluated_on phải là ngày dạng YYYY-MM-DD.",
        "level phải là chuỗi ký tự hoặc null.",
    ]
