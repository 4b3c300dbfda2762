"""Scoring, rules, levels, upgrade and validity: the body of ``evaluate()``."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hoctap.criteria.evaluation.inputs import Facts, parse_date, parse_facts, parse_values, tree_for
from hoctap.criteria.evaluation.messages import CMP_SIGNS, MESSAGES, NOT_APPLICABLE, fmt_number, vn_date
from hoctap.criteria.evaluation.results import (
    CriterionResult,
    EvaluationInputError,
    EvaluationResult,
    IndicatorResult,
)
from hoctap.criteria.schema import (
    CriteriaSetVersion,
    Criterion,
    Indicator,
    Precondition,
    RequirementRule,
)

# --- indicator results ---------------------------------------------------------------------------


def _compare(value: Decimal, comparison: str, threshold: Decimal) -> bool:
    return {
        ">=": value >= threshold,
        ">": value > threshold,
        "<=": value <= threshold,
        "<": value < threshold,
        "==": value == threshold,
    }[comparison]


def _shown(value: Decimal, *, percent: bool) -> str:
    return f"{fmt_number(value)}%" if percent else fmt_number(value)


def _is_percent(ind: Indicator) -> bool:
    return ind.kind == "percent" or (ind.kind == "computed" and ind.value_type == "percent")


def _effective_min(ind: Indicator, rule: RequirementRule) -> Decimal | None:
    if ind.min is not None:
        return ind.min
    return rule.indicator_min if ind.kind in ("points", "choice") else None


def _max_score(ind: Indicator) -> Decimal | None:
    if ind.kind == "choice":
        return max(o.points for o in ind.options)
    return ind.max


def _indicator_result(
    ind: Indicator, value: object, *, level: str | None, rule: RequirementRule
) -> IndicatorResult:
    """Value, score, pass/fail and a short Vietnamese reason for one indicator at ``level``."""
    unconfirmed = ind.unconfirmed or (level is not None and level in ind.unconfirmed_levels)
    max_score = _max_score(ind)
    minimum = _effective_min(ind, rule)
    score: Decimal | None
    passed: bool | None
    if value is NOT_APPLICABLE:
        score, max_score, passed, detail = None, None, None, MESSAGES["ind_not_applicable"]
    elif ind.kind == "points":
        assert isinstance(value, Decimal) and max_score is not None
        score, passed = value, minimum is None or value >= minimum
        detail = MESSAGES["ind_points"].format(value=fmt_number(value), max=fmt_number(max_score))
    elif ind.kind == "choice":
        option = ind.option(str(value))
        assert option is not None
        score = option.points
        passed, extra = _choice_passed(ind, option.points, level=level, minimum=minimum)
        detail = MESSAGES["ind_choice"].format(label=option.label, points=fmt_number(option.points)) + extra
    else:
        if isinstance(value, bool):
            passed = value
            detail = MESSAGES["ind_yes"] if passed else MESSAGES["ind_no"].format(title=ind.title)
        else:
            assert isinstance(value, Decimal)
            passed, detail = _threshold_passed(ind, value, level=level)
        score = None if max_score is None else (max_score if passed else Decimal(0))
    return IndicatorResult(
        code=ind.code,
        title=ind.title,
        kind=ind.kind,
        value=value,
        score=score,
        max_score=max_score,
        passed=passed,
        reason=detail,
        unconfirmed=unconfirmed,
    )


def _threshold_passed(ind: Indicator, value: Decimal, *, level: str | None) -> tuple[bool, str]:
    threshold = ind.threshold_for(level)
    assert threshold is not None
    percent = _is_percent(ind)
    passed = _compare(value, ind.comparison, threshold)
    key = "ind_threshold_ok" if passed else "ind_threshold_failed"
    detail = MESSAGES[key].format(
        value=_shown(value, percent=percent),
        cmp=CMP_SIGNS[ind.comparison],
        threshold=_shown(threshold, percent=percent),
    )
    return passed, detail


def _choice_passed(
    ind: Indicator, points: Decimal, *, level: str | None, minimum: Decimal | None
) -> tuple[bool, str]:
    if ind.has_threshold:
        passed, detail = _threshold_passed(ind, points, level=level)
        return passed, f"; {detail}"
    return minimum is None or points >= minimum, ""


# --- rules ---------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    passed: bool
    criteria: tuple[CriterionResult, ...]
    total: Decimal
    max_total: Decimal
    reasons: list[str]
    unconfirmed: list[str]


def _criterion_results(
    tree: tuple[Criterion, ...], values: Mapping[str, object], *, level: str | None, rule: RequirementRule
) -> tuple[CriterionResult, ...]:
    results: list[CriterionResult] = []
    for criterion in tree:
        indicators = tuple(
            _indicator_result(ind, values[ind.code], level=level, rule=rule) for ind in criterion.indicators
        )
        results.append(
            CriterionResult(
                code=criterion.code,
                title=criterion.title,
                score=sum((i.score for i in indicators if i.score is not None), Decimal(0)),
                max_score=sum((i.max_score for i in indicators if i.max_score is not None), Decimal(0)),
                passed=all(i.passed is not False for i in indicators),
                indicators=indicators,
            )
        )
    return tuple(results)


def _apply_rule(
    tree: tuple[Criterion, ...], values: Mapping[str, object], *, rule: RequirementRule, level: str | None
) -> _Outcome:
    criteria = _criterion_results(tree, values, level=level, rule=rule)
    indicators = {ind.code: ind for c in tree for ind in c.indicators}
    results = [i for c in criteria for i in c.indicators]
    total = sum((c.score for c in criteria), Decimal(0))
    max_total = sum((c.max_score for c in criteria), Decimal(0))
    failures: list[str] = []
    for result in results:
        ind = indicators[result.code]
        minimum = _effective_min(ind, rule)
        if result.passed is not False:
            continue
        if (
            minimum is not None
            and result.score is not None
            and result.score < minimum
            and not ind.has_threshold
        ):
            source = ind.source if ind.min is not None else rule.source
            failures.append(
                MESSAGES["below_min"].format(
                    code=ind.code, value=fmt_number(result.score), min=fmt_number(minimum), source=source
                )
            )
        elif rule.all_required or minimum is not None:
            failures.append(
                MESSAGES["indicator_failed"].format(code=ind.code, detail=result.reason, source=ind.source)
            )
    if rule.total_min is not None and total < rule.total_min:
        failures.append(
            MESSAGES["total_below"].format(
                total=fmt_number(total),
                max_total=fmt_number(max_total),
                total_min=fmt_number(rule.total_min),
                source=rule.source,
            )
        )
    unconfirmed = [r.code for r in results if r.unconfirmed and r.passed is not None]
    if rule.unconfirmed:
        unconfirmed.insert(0, rule.code)
    reasons = failures or [_rule_met(rule, total=total, max_total=max_total, count=len(results))]
    return _Outcome(not failures, criteria, total, max_total, reasons, unconfirmed)


def _rule_met(rule: RequirementRule, *, total: Decimal, max_total: Decimal, count: int) -> str:
    parts: list[str] = []
    if rule.total_min is not None:
        parts.append(
            MESSAGES["total_ok"].format(
                total=fmt_number(total), max_total=fmt_number(max_total), total_min=fmt_number(rule.total_min)
            )
        )
    if rule.indicator_min is not None:
        parts.append(MESSAGES["min_ok"].format(min=fmt_number(rule.indicator_min)))
    if rule.all_required:
        parts.append(MESSAGES["all_ok"].format(count=count))
    summary = "; ".join(parts)
    return MESSAGES["rule_met"].format(summary=summary[:1].upper() + summary[1:], source=rule.source)


def _check_precondition(pre: Precondition, value: object) -> tuple[bool, str]:
    if pre.value_type == "bool":
        passed = value is True
        key = "pre_bool_ok" if passed else "pre_bool_failed"
        return passed, MESSAGES[key].format(title=pre.title, source=pre.source)
    assert isinstance(value, Decimal) and pre.threshold is not None
    percent = pre.value_type == "percent"
    passed = _compare(value, pre.comparison, pre.threshold)
    return passed, MESSAGES["pre_ok" if passed else "pre_failed"].format(
        title=pre.title,
        value=_shown(value, percent=percent),
        cmp=CMP_SIGNS[pre.comparison],
        threshold=_shown(pre.threshold, percent=percent),
        source=pre.source,
    )


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months; the day is clamped to the target month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _check_upgrade(
    cs: CriteriaSetVersion, level: str, facts: Facts, evaluated_on: date
) -> tuple[bool, str] | None:
    """None when no upgrade rule applies to ``level``, else (allowed, reason)."""
    up = cs.upgrade
    if up is None or level != up.to_level:
        return None
    order = cs.level_codes
    names = {rule.code: rule.title for rule in cs.levels}
    words = {"from_level": names[up.from_level], "to_level": names[up.to_level], "source": up.source}
    previous = facts.previous_level
    if previous is None or order.index(previous) < order.index(up.from_level):
        if not up.requires_previous:
            return True, MESSAGES["upgrade_renewal"].format(previous_level="—", **words)
        return False, MESSAGES["upgrade_no_previous"].format(months=up.min_months, **words)
    if order.index(previous) >= order.index(up.to_level):
        return True, MESSAGES["upgrade_renewal"].format(previous_level=names[previous], **words)
    assert facts.previous_date is not None
    earliest = add_months(facts.previous_date, up.min_months)
    if evaluated_on < earliest:
        return False, MESSAGES["upgrade_too_early"].format(
            months=up.min_months,
            previous=vn_date(facts.previous_date),
            evaluated=vn_date(evaluated_on),
            earliest=vn_date(earliest),
            **words,
        )
    return True, MESSAGES["upgrade_ok"].format(
        months=up.min_months, previous=vn_date(facts.previous_date), **words
    )


# --- orchestration -------------------------------------------------------------------------------


def valid_until_for(cs: CriteriaSetVersion, *, data_year: int, evaluated_on: date) -> date:
    """End of the validity period of a positive result (rule in the module docstring)."""
    years = cs.validity.years
    if cs.validity.basis == "after_recognition_year":
        return date(evaluated_on.year + years, 12, 31)
    start_month, start_day = (int(x) for x in cs.data_window.start.split("-"))
    end_month, end_day = (int(x) for x in cs.data_window.end.split("-"))
    year = data_year + years - 1
    if (end_month, end_day) < (start_month, start_day):  # a window across the new year, e.g. 09-01..08-31
        year += 1
    last_day = min(end_day, calendar.monthrange(year, end_month)[1])
    return date(year, end_month, last_day)


@dataclass
class _Verdict:
    outcome: _Outcome
    passed: bool
    level: str | None
    reasons: list[str]
    unconfirmed: list[str]


def _verdict_for_level(
    cs: CriteriaSetVersion,
    tree: tuple[Criterion, ...],
    values: Mapping[str, object],
    rule: RequirementRule,
    *,
    facts: Facts,
    evaluated_on: date,
) -> _Verdict:
    level = rule.code if cs.levels else None
    outcome = _apply_rule(tree, values, rule=rule, level=level)
    passed, reasons, unconfirmed = outcome.passed, list(outcome.reasons), list(outcome.unconfirmed)
    upgrade = _check_upgrade(cs, rule.code, facts, evaluated_on) if level else None
    if upgrade is not None:
        allowed, reason = upgrade
        passed = passed and allowed
        reasons.append(reason)
        if cs.upgrade is not None and cs.upgrade.unconfirmed:
            unconfirmed.append("upgrade")
    return _Verdict(outcome, passed, level if passed else None, reasons, unconfirmed)


def _choose_level(
    cs: CriteriaSetVersion,
    tree: tuple[Criterion, ...],
    values: Mapping[str, object],
    *,
    level: str | None,
    facts: Facts,
    evaluated_on: date,
) -> _Verdict:
    kwargs = {"facts": facts, "evaluated_on": evaluated_on}
    if cs.pass_rule is not None:
        return _verdict_for_level(cs, tree, values, cs.pass_rule, **kwargs)  # type: ignore[arg-type]
    if level is not None:
        rule = cs.level(level)
        assert rule is not None
        return _verdict_for_level(cs, tree, values, rule, **kwargs)  # type: ignore[arg-type]
    verdicts = [_verdict_for_level(cs, tree, values, rule, **kwargs) for rule in cs.levels]  # type: ignore[arg-type]
    achieved = [i for i, v in enumerate(verdicts) if v.passed]
    if not achieved:
        return verdicts[0]
    best = achieved[-1]
    chosen = verdicts[best]
    if best + 1 < len(verdicts):
        higher = cs.levels[best + 1]
        failed = [r for r in verdicts[best + 1].reasons if r not in chosen.reasons]
        chosen.reasons.extend(
            MESSAGES["level_failed"].format(title=higher.title, reason=r) for r in failed[:5]
        )
    return chosen


def evaluate(
    *,
    criteria_set: CriteriaSetVersion,
    answers: Mapping[str, object],
    context: Mapping[str, object] | None = None,
    level: str | None = None,
    evaluated_on: date,
    subject_group: str | None = None,
) -> EvaluationResult:
    """Evaluate ``answers`` against ``criteria_set``; raises EvaluationInputError listing every problem."""
    if not isinstance(answers, Mapping):
        raise EvaluationInputError([MESSAGES["answers_mapping"]])
    ctx: Mapping[str, object] = context or {}
    tree = tree_for(criteria_set, subject_group, level)
    errors: list[str] = []
    values = parse_values(tree, answers, ctx, errors)
    facts = parse_facts(criteria_set, ctx, evaluated_on, errors)
    if errors:
        missing = [
            i.code for c in tree for i in c.indicators if i.kind != "computed" and i.code not in answers
        ]
        raise EvaluationInputError(errors, missing=missing)
    verdict = _choose_level(criteria_set, tree, values, level=level, facts=facts, evaluated_on=evaluated_on)
    reasons, unconfirmed = list(verdict.reasons), list(verdict.unconfirmed)
    passed = verdict.passed
    for pre in criteria_set.preconditions:
        ok, reason = _check_precondition(pre, facts.preconditions[pre.code])
        passed = passed and ok
        reasons.insert(0, reason)
        if pre.unconfirmed:
            unconfirmed.append(pre.code)
    rule = criteria_set.pass_rule or criteria_set.level(verdict.level or level or criteria_set.level_codes[0])
    title = rule.title if rule else criteria_set.title
    reasons.append(MESSAGES["verdict_pass" if passed else "verdict_fail"].format(title=title))
    valid_until = None
    if passed:
        valid_until = valid_until_for(criteria_set, data_year=facts.data_year, evaluated_on=evaluated_on)
        reasons.append(
            MESSAGES["valid_until"].format(date=vn_date(valid_until), source=criteria_set.validity.source)
        )
        if criteria_set.validity.unconfirmed:
            unconfirmed.append("validity")
    reasons.extend(_notes(criteria_set, evaluated_on, unconfirmed))
    return EvaluationResult(
        criteria_set=criteria_set.code,
        criteria_set_version=criteria_set.version,
        subject_group=subject_group,
        evaluated_on=evaluated_on,
        data_year=facts.data_year,
        requested_level=level,
        total=verdict.outcome.total,
        max_total=verdict.outcome.max_total,
        criteria=verdict.outcome.criteria,
        passed=passed,
        level=verdict.level if passed else None,
        valid_until=valid_until,
        reasons=tuple(reasons),
        unconfirmed_rules=tuple(dict.fromkeys(unconfirmed)),
    )


def _notes(cs: CriteriaSetVersion, evaluated_on: date, unconfirmed: list[str]) -> list[str]:
    notes: list[str] = []
    if evaluated_on < cs.valid_from or (cs.valid_to is not None and evaluated_on > cs.valid_to):
        notes.append(
            MESSAGES["outside_validity"].format(
                key=cs.key,
                start=vn_date(cs.valid_from),
                end=vn_date(cs.valid_to) if cs.valid_to else "nay",
                evaluated=vn_date(evaluated_on),
            )
        )
    if unconfirmed:
        notes.append(MESSAGES["unconfirmed"].format(codes=", ".join(dict.fromkeys(unconfirmed))))
    return notes


PAYLOAD_KEYS = ("answers", "context", "level", "evaluated_on", "subject_group")


def evaluate_payload(*, criteria_set: CriteriaSetVersion, payload: Mapping[str, object]) -> EvaluationResult:
    """Evaluate the command-line JSON contract:
    ``{"answers": {...}, "context": {...}, "level": "muc-1" | null, "evaluated_on": "YYYY-MM-DD",
    "subject_group": "..."}`` (only ``answers`` and ``evaluated_on`` are required)."""
    if not isinstance(payload, Mapping):
        raise EvaluationInputError([MESSAGES["payload_mapping"]])
    errors: list[str] = []
    unknown = [str(k) for k in payload if k not in PAYLOAD_KEYS]
    if unknown:
        errors.append(MESSAGES["payload_keys"].format(keys=", ".join(unknown)))
    answers = payload.get("answers")
    if not isinstance(answers, Mapping):
        errors.append(MESSAGES["answers_mapping"])
    context = payload.get("context")
    if context is not None and not isinstance(context, Mapping):
        errors.append(MESSAGES["payload_context"])
    raw_date = payload.get("evaluated_on")
    evaluated_on = parse_date(raw_date) if isinstance(raw_date, str) else None
    if evaluated_on is None:
        errors.append(MESSAGES["payload_date"])
    texts: dict[str, str | None] = {}
    for key in ("level", "subject_group"):
        value = payload.get(key)
        if value is not None and not isinstance(value, str):
            errors.append(MESSAGES["payload_text"].format(key=key))
            value = None
        texts[key] = value
    if errors:
        raise EvaluationInputError(errors)
    assert isinstance(answers, Mapping) and evaluated_on is not None
    return evaluate(
        criteria_set=criteria_set,
        answers=answers,
        context=context if isinstance(context, Mapping) else None,
        level=texts["level"],
        evaluated_on=evaluated_on,
        subject_group=texts["subject_group"],
    )
