"""Vietnamese messages of the evaluation (named placeholders, filled with str.format)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

MESSAGES = {
    "missing_answers": "Thiếu câu trả lời cho chỉ tiêu: {codes}",
    "unknown_codes": "Mã chỉ tiêu không có trong bộ tiêu chí: {codes}",
    "missing_context": "Thiếu dữ liệu ghi nhận (context) cho: {keys}",
    "computed_answered": (
        "Chỉ tiêu {code} được tính từ dữ liệu ghi nhận (context.{key}), không nhập câu trả lời."
    ),
    "want_bool": "Chỉ tiêu {code}: câu trả lời phải là có/không (true/false).",
    "want_number": "Chỉ tiêu {code}: câu trả lời phải là một số.",
    "want_option": "Chỉ tiêu {code}: câu trả lời phải là một trong các lựa chọn: {options}.",
    "negative": "Chỉ tiêu {code}: giá trị {value} không được âm.",
    "above_max": "Chỉ tiêu {code}: {value} điểm vượt quá điểm tối đa {max} điểm.",
    "percent_range": "Chỉ tiêu {code}: tỉ lệ {value}% phải nằm trong khoảng 0–100%.",
    "not_applicable_refused": "Chỉ tiêu {code} bắt buộc trả lời, không được để trống.",
    "context_bool": "Dữ liệu ghi nhận {key} phải là có/không (true/false).",
    "context_number": "Dữ liệu ghi nhận {key} phải là một số không âm.",
    "context_percent": "Dữ liệu ghi nhận {key} phải là tỉ lệ trong khoảng 0–100%.",
    "unknown_level": "Mức không có trong bộ tiêu chí: {level} (các mức: {levels}).",
    "no_levels": "Bộ tiêu chí {code} không chia mức, không được chọn mức {level}.",
    "unknown_group": "Nhóm đối tượng không có trong bộ tiêu chí: {group} (các nhóm: {groups}).",
    "group_required": "Bộ tiêu chí {code} cần chọn nhóm đối tượng: {groups}.",
    "no_groups": "Bộ tiêu chí {code} không chia nhóm đối tượng, không được chọn nhóm {group}.",
    "previous_level": "context.previous_level phải là một mức của bộ tiêu chí: {levels}.",
    "previous_date": "context.previous_level_date phải là ngày dạng YYYY-MM-DD.",
    "previous_date_missing": "Có context.previous_level thì phải có context.previous_level_date.",
    "data_year": "context.data_year phải là năm (số nguyên) không sau năm đánh giá {year}.",
    "answers_mapping": "Câu trả lời phải là một bảng mã chỉ tiêu → giá trị.",
    "payload_mapping": "Dữ liệu đánh giá phải là một đối tượng JSON.",
    "payload_keys": "Khóa không hợp lệ trong dữ liệu đánh giá: {keys}",
    "payload_date": "evaluated_on phải là ngày dạng YYYY-MM-DD.",
    "payload_text": "{key} phải là chuỗi ký tự hoặc null.",
    "payload_context": "context phải là một đối tượng JSON hoặc null.",
    # reasons
    "below_min": "Chỉ tiêu {code} đạt {value} điểm, dưới mức tối thiểu {min} điểm ({source}).",
    "indicator_failed": "Chỉ tiêu {code} chưa đạt: {detail} ({source}).",
    "total_below": "Tổng điểm {total}/{max_total}, dưới mức tối thiểu {total_min} điểm ({source}).",
    "rule_met": "{summary} ({source}).",
    "total_ok": "tổng điểm {total}/{max_total}, đạt mức tối thiểu {total_min} điểm",
    "min_ok": "không chỉ tiêu nào dưới {min} điểm",
    "all_ok": "cả {count} chỉ tiêu đều đạt",
    "pre_failed": "Điều kiện tiên quyết chưa đạt: {title} là {value}, yêu cầu {cmp} {threshold} ({source}).",
    "pre_ok": "Điều kiện tiên quyết đạt: {title} là {value} ({cmp} {threshold}) ({source}).",
    "pre_bool_failed": "Điều kiện tiên quyết chưa đạt: {title} ({source}).",
    "pre_bool_ok": "Điều kiện tiên quyết đạt: {title} ({source}).",
    "upgrade_no_previous": (
        "Chưa có quyết định công nhận {from_level}; chỉ được đề nghị {to_level} sau ít nhất {months} tháng "
        "kể từ ngày được công nhận {from_level} ({source})."
    ),
    "upgrade_too_early": (
        "Chưa đủ {months} tháng kể từ ngày công nhận {from_level} ({previous}) đến ngày đánh giá "
        "({evaluated}); sớm nhất từ ngày {earliest} mới được đề nghị {to_level} ({source})."
    ),
    "upgrade_ok": "Đã đủ {months} tháng kể từ ngày công nhận {from_level} ({previous}) ({source}).",
    "upgrade_renewal": "Đề nghị công nhận lại {to_level}, đã đạt {previous_level} trước đó ({source}).",
    "verdict_pass": "Kết quả: đạt — {title}.",
    "verdict_fail": "Kết quả: chưa đạt — {title}.",
    "level_failed": "Chưa đạt {title}: {reason}",
    "valid_until": "Kết quả có giá trị đến hết ngày {date} ({source}).",
    "outside_validity": (
        "Lưu ý: bộ tiêu chí {key} áp dụng từ {start} đến {end}; "
        "ngày đánh giá {evaluated} nằm ngoài khoảng này."
    ),
    "unconfirmed": "Lưu ý: kết quả có dùng quy tắc chưa được xác minh: {codes}.",
    # indicator details
    "ind_points": "{value}/{max} điểm",
    "ind_yes": "đạt",
    "ind_no": "không đạt: {title}",
    "ind_threshold_ok": "{value} {cmp} {threshold}",
    "ind_threshold_failed": "{value}, chưa đạt yêu cầu {cmp} {threshold}",
    "ind_choice": "chọn “{label}” ({points} điểm)",
    "ind_not_applicable": "không áp dụng",
}

CMP_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
NOT_APPLICABLE = None


def fmt_number(value: Decimal) -> str:
    """Vietnamese display of a number: no exponent, no trailing zeros, decimal comma (79,5)."""
    return format(value.normalize(), "f").replace(".", ",")


def vn_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")
