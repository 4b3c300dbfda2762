"""Vietnamese wording of the schema's validation problems (the pure schema reports them in English).

Each problem reads ``<path>: <message>``; the path (keys of the set file) stays as written, the message is
translated. A message without a translation is shown as is, so nothing is ever hidden.
"""

from __future__ import annotations

import re

_EXACT = {
    "is required": "bắt buộc phải có",
    "is required (YYYY-MM-DD)": "bắt buộc phải có (dạng YYYY-MM-DD)",
    "is required (a list)": "bắt buộc phải có (một danh sách)",
    "is required (true or false)": "bắt buộc phải có (true hoặc false)",
    "must be text": "phải là chuỗi ký tự",
    "must be true or false": "phải là true hoặc false",
    "must be a number": "phải là một số",
    "must be an integer": "phải là số nguyên",
    "must be a list": "phải là một danh sách",
    "must be MM-DD": "phải có dạng MM-DD",
    "must be a date YYYY-MM-DD": "phải là ngày dạng YYYY-MM-DD",
    "must be at least 1": "phải từ 1 trở lên",
    "must not be negative": "không được âm",
    "must not exceed max": "không được vượt quá max",
    "must be a positive number (e.g. 2)": "phải là số nguyên dương (ví dụ 2)",
    "must be a mapping level -> number": "phải là bảng mức → số",
    "must be lower-case words joined by '-'": "phải là chữ thường không dấu nối bằng '-'",
    "must look like N.M (e.g. 2.3)": "phải có dạng N.M (ví dụ 2.3)",
    "is before valid_from": "sớm hơn valid_from",
    "is before start": "sớm hơn start",
    "expected a mapping": "phải là một bảng khóa → giá trị",
    "a choice indicator needs options": "chỉ tiêu loại choice cần danh sách options",
    "a computed indicator needs context_key": "chỉ tiêu loại computed cần context_key",
    "a criterion needs at least one indicator": "mỗi tiêu chí cần ít nhất một chỉ tiêu",
    "a numeric computed indicator needs threshold or thresholds": (
        "chỉ tiêu computed dạng số cần threshold hoặc thresholds"
    ),
    "a numeric precondition needs a threshold": "điều kiện tiên quyết dạng số cần threshold",
    "a points indicator needs a positive max": "chỉ tiêu chấm điểm cần max dương",
    "only a choice indicator has options": "chỉ chỉ tiêu loại choice mới có options",
    "option codes must be unique": "mã lựa chọn không được trùng",
    "give either a pass block or levels (exactly one)": "phải có đúng một trong hai: pass hoặc levels",
    "give either criteria or subject_groups (exactly one)": (
        "phải có đúng một trong hai: criteria hoặc subject_groups"
    ),
    "an unconfirmed set must say what is missing": "bộ tiêu chí chưa xác nhận phải ghi rõ điều còn thiếu",
    "a rule needs total_min, indicator_min or all_required": (
        "quy tắc cần total_min, indicator_min hoặc all_required"
    ),
    "day/month is not a calendar day": "ngày/tháng không có trên lịch",
    "unknown level": "mức không có trong levels",
    "the file must hold a mapping": "tệp phải chứa một bảng khóa → giá trị",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^unknown keys (?P<x>.+)$"), "có khóa không hợp lệ: {x}"),
    (re.compile(r"^must be one of (?P<x>.+)$"), "phải là một trong: {x}"),
    (re.compile(r"^duplicate code (?P<x>.+)$"), "mã bị trùng: {x}"),
    (re.compile(r"^a (?P<x>\w+) indicator needs threshold or thresholds$"), "chỉ tiêu loại {x} cần ngưỡng"),
    (re.compile(r"^no threshold for level\(s\) (?P<x>.+)$"), "thiếu ngưỡng ở mức {x}"),
    (re.compile(r"^unknown level (?P<x>.+)$"), "mức không có trong levels: {x}"),
    (
        re.compile(r"^indicator (?P<x>\S+) does not belong to criterion (?P<y>.+)$"),
        "chỉ tiêu {x} không thuộc tiêu chí {y}",
    ),
    (re.compile(r"^level code (?P<x>.+) must be lower-case words joined by '-'$"), "mã mức {x} không hợp lệ"),
)


def problem_vi(problem: str) -> str:
    """One schema problem in Vietnamese (``vị trí: thông báo``)."""
    path, sep, message = problem.partition(": ")
    if not sep:
        path, message = "", problem
    text = _EXACT.get(message)
    if text is None:
        for pattern, template in _PATTERNS:
            match = pattern.match(message)
            if match:
                text = template.format(**match.groupdict())
                break
    text = text or message
    if path.startswith("indicator "):
        path = "chỉ tiêu " + path.removeprefix("indicator ")
    return f"{path}: {text}" if path else text


def problems_vi(problems: list[str]) -> list[str]:
    return [problem_vi(p) for p in problems]
