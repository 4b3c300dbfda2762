"""What the screens show of a criteria set version, and the inputs of the "thử đánh giá" form.

Django templates cannot call `threshold_for(level)` or walk the per-level tuples, so the version is turned
into plain rows here. The form's answers go through the one evaluation function unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hoctap.criteria.evaluation import fmt_number
from hoctap.criteria.evaluation.messages import CMP_SIGNS
from hoctap.criteria.schema import CriteriaSetVersion, Criterion, Indicator, RequirementRule

KIND_LABELS = {
    "yes_no": "Có/không",
    "points": "Chấm điểm",
    "number": "Số lượng",
    "percent": "Tỉ lệ %",
    "computed": "Tính từ dữ liệu ghi nhận",
    "choice": "Lựa chọn",
}
SUBJECT_LABELS = {
    "citizen": "Công dân",
    "household": "Hộ gia đình",
    "clan": "Dòng họ",
    "village": "Thôn, tổ dân phố",
    "organisation": "Cơ quan, đơn vị",
    "commune": "Cấp xã",
    "district": "Cấp huyện",
    "province": "Cấp tỉnh",
}


def _num(value: Decimal | None) -> str:
    return "" if value is None else fmt_number(value)


@dataclass
class IndicatorRow:
    code: str
    title: str
    kind: str
    kind_label: str
    max: str
    min: str
    thresholds: list[tuple[str, str, bool]]  # (level title, "≥ 50%", unconfirmed at that level)
    source: str
    unconfirmed: bool
    note: str
    options: list[tuple[str, str, str]]  # (code, label, points)
    context_key: str
    value_type: str
    not_applicable_allowed: bool


@dataclass
class CriterionRow:
    code: str
    title: str
    source: str
    unconfirmed: bool
    note: str
    max_total: str
    indicators: list[IndicatorRow] = field(default_factory=list)


def _threshold_rows(ind: Indicator, cs: CriteriaSetVersion) -> list[tuple[str, str, bool]]:
    if not ind.has_threshold:
        return []
    sign = CMP_SIGNS.get(ind.comparison, ind.comparison)
    unit = "%" if ind.kind == "percent" or ind.value_type == "percent" else ""
    levels = cs.levels or ()
    if not levels:
        value = ind.threshold_for(None)
        return [("", f"{sign} {_num(value)}{unit}", ind.unconfirmed)] if value is not None else []
    rows = []
    for level in levels:
        value = ind.threshold_for(level.code)
        if value is not None:
            unconfirmed = ind.unconfirmed or level.code in ind.unconfirmed_levels
            rows.append((level.title, f"{sign} {_num(value)}{unit}", unconfirmed))
    return rows


def indicator_row(ind: Indicator, cs: CriteriaSetVersion) -> IndicatorRow:
    return IndicatorRow(
        code=ind.code,
        title=ind.title,
        kind=ind.kind,
        kind_label=KIND_LABELS.get(ind.kind, ind.kind),
        max=_num(ind.max),
        min=_num(ind.min),
        thresholds=_threshold_rows(ind, cs),
        source=ind.source,
        unconfirmed=ind.unconfirmed or bool(ind.unconfirmed_levels),
        note=ind.note,
        options=[(o.code, o.label, _num(o.points)) for o in ind.options],
        context_key=ind.context_key or "",
        value_type=ind.value_type,
        not_applicable_allowed=ind.not_applicable_allowed,
    )


def criterion_rows(cs: CriteriaSetVersion, tree: tuple[Criterion, ...]) -> list[CriterionRow]:
    rows = []
    for criterion in tree:
        maxima = [i.max for i in criterion.indicators if i.max is not None]
        row = CriterionRow(
            code=criterion.code,
            title=criterion.title,
            source=criterion.source,
            unconfirmed=criterion.unconfirmed,
            note=criterion.note,
            max_total=_num(sum(maxima, Decimal(0))) if maxima else "",
        )
        row.indicators = [indicator_row(i, cs) for i in criterion.indicators]
        rows.append(row)
    return rows


def rule_text(rule: RequirementRule) -> str:
    parts = []
    if rule.total_min is not None:
        parts.append(f"tổng điểm ≥ {_num(rule.total_min)}")
    if rule.indicator_min is not None:
        parts.append(f"không chỉ tiêu nào dưới {_num(rule.indicator_min)} điểm")
    if rule.all_required:
        parts.append("mọi chỉ tiêu đều đạt")
    return "; ".join(parts)


def trees(cs: CriteriaSetVersion) -> list[dict[str, Any]]:
    """One entry per criteria tree: the set's own, or one per subject group."""
    if cs.subject_groups:
        return [
            {"code": g.code, "title": g.title, "note": g.note, "criteria": criterion_rows(cs, g.criteria)}
            for g in cs.subject_groups
        ]
    return [{"code": "", "title": "", "note": "", "criteria": criterion_rows(cs, cs.criteria)}]


def unconfirmed_items(cs: CriteriaSetVersion) -> list[tuple[str, str]]:
    """(where, note) of every unconfirmed rule or indicator of the set."""
    items: list[tuple[str, str]] = []
    for tree in cs.criteria_trees():
        for criterion in tree:
            if criterion.unconfirmed:
                items.append((f"Tiêu chí {criterion.code}", criterion.note))
            for ind in criterion.indicators:
                if ind.unconfirmed or ind.unconfirmed_levels:
                    items.append((f"Chỉ tiêu {ind.code}", ind.note))
    rules = [*([cs.pass_rule] if cs.pass_rule else []), *cs.levels]
    items += [(r.title, r.note) for r in rules if r.unconfirmed]
    items += [(p.title, p.note) for p in cs.preconditions if p.unconfirmed]
    if cs.validity.unconfirmed:
        items.append(("Thời hạn giá trị", cs.validity.note))
    if cs.upgrade is not None and cs.upgrade.unconfirmed:
        items.append(("Điều kiện nâng mức", cs.upgrade.note))
    items += [
        (f"Thẩm quyền: {a.authority}", a.note) for a in (*cs.evaluator, *cs.recogniser) if a.unconfirmed
    ]
    return list(dict.fromkeys(items))


# --- the try-evaluation form -------------------------------------------------------------------------


def _answer(ind: Indicator, raw: str) -> object:
    raw = raw.strip()
    if raw == "na":
        return None
    if ind.kind == "yes_no":
        return {"1": True, "0": False}.get(raw, raw)
    if ind.kind == "choice":
        return raw
    return raw.replace(",", ".")


def _context_value(value_type: str, raw: str) -> object:
    raw = raw.strip()
    if value_type == "bool":
        return {"1": True, "0": False}.get(raw, raw)
    return raw.replace(",", ".")


def payload_from_form(cs: CriteriaSetVersion, group: str | None, post: Mapping[str, str]) -> dict[str, Any]:
    """The evaluation payload of the form's fields (empty fields are left out: the evaluation names them)."""
    chosen = cs.subject_group(group) if group else None
    tree = chosen.criteria if chosen is not None else cs.criteria
    answers: dict[str, object] = {}
    context: dict[str, object] = {}
    for criterion in tree:
        for ind in criterion.indicators:
            if ind.kind == "computed":
                raw = post.get(f"c_{ind.context_key}", "")
                if raw.strip():
                    context[ind.context_key or ""] = _context_value(ind.value_type, raw)
                continue
            raw = post.get(f"a_{ind.code}", "")
            if raw.strip():
                answers[ind.code] = _answer(ind, raw)
    for pre in cs.preconditions:
        raw = post.get(f"c_{pre.context_key}", "")
        if raw.strip():
            context[pre.context_key] = _context_value(pre.value_type, raw)
    if post.get("previous_level", "").strip():
        context["previous_level"] = post["previous_level"].strip()
        context["previous_level_date"] = post.get("previous_level_date", "").strip() or None
    return {
        "answers": answers,
        "context": context,
        "level": post.get("level", "").strip() or None,
        "evaluated_on": post.get("evaluated_on", "").strip(),
        "subject_group": group or None,
    }
