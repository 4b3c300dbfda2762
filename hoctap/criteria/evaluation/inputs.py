"""Checking and parsing answers and context; every problem is collected, then raised at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from hoctap.criteria.evaluation.messages import MESSAGES, NOT_APPLICABLE, fmt_number
from hoctap.criteria.evaluation.results import EvaluationInputError
from hoctap.criteria.schema import (
    CriteriaSetVersion,
    Criterion,
    Indicator,
    to_decimal,
)

# --- input parsing -------------------------------------------------------------------------------


def tree_for(cs: CriteriaSetVersion, subject_group: str | None, level: str | None) -> tuple[Criterion, ...]:
    errors: list[str] = []
    tree: tuple[Criterion, ...] = cs.criteria
    if cs.subject_groups:
        groups = ", ".join(g.code for g in cs.subject_groups)
        group = cs.subject_group(subject_group) if subject_group is not None else None
        if subject_group is None:
            errors.append(MESSAGES["group_required"].format(code=cs.code, groups=groups))
        elif group is None:
            errors.append(MESSAGES["unknown_group"].format(group=subject_group, groups=groups))
        else:
            tree = group.criteria
    elif subject_group is not None:
        errors.append(MESSAGES["no_groups"].format(code=cs.code, group=subject_group))
    if level is not None and not cs.levels:
        errors.append(MESSAGES["no_levels"].format(code=cs.code, level=level))
    elif level is not None and cs.level(level) is None:
        errors.append(MESSAGES["unknown_level"].format(level=level, levels=", ".join(cs.level_codes)))
    if errors:
        raise EvaluationInputError(errors)
    return tree


def _parse_answer(ind: Indicator, raw: object, errors: list[str]) -> object:
    """One answer as bool / Decimal / option code / NOT_APPLICABLE; appends to ``errors`` when invalid."""
    if raw is None:
        if not ind.not_applicable_allowed:
            errors.append(MESSAGES["not_applicable_refused"].format(code=ind.code))
        return NOT_APPLICABLE
    if ind.kind == "yes_no":
        if not isinstance(raw, bool):
            errors.append(MESSAGES["want_bool"].format(code=ind.code))
        return raw
    if ind.kind == "choice":
        if not isinstance(raw, str) or ind.option(raw) is None:
            options = ", ".join(o.code for o in ind.options)
            errors.append(MESSAGES["want_option"].format(code=ind.code, options=options))
        return raw
    number = to_decimal(raw)
    if number is None:
        errors.append(MESSAGES["want_number"].format(code=ind.code))
        return raw
    shown = fmt_number(number)
    if number < 0:
        errors.append(MESSAGES["negative"].format(code=ind.code, value=shown))
    elif ind.kind == "points" and ind.max is not None and number > ind.max:
        errors.append(MESSAGES["above_max"].format(code=ind.code, value=shown, max=fmt_number(ind.max)))
    elif ind.kind == "percent" and number > 100:
        errors.append(MESSAGES["percent_range"].format(code=ind.code, value=shown))
    return number


def _parse_context_value(key: str, value_type: str, raw: object, errors: list[str]) -> object:
    if value_type == "bool":
        if not isinstance(raw, bool):
            errors.append(MESSAGES["context_bool"].format(key=key))
        return raw
    number = to_decimal(raw)
    if number is None or number < 0:
        errors.append(MESSAGES["context_number"].format(key=key))
        return raw
    if value_type == "percent" and number > 100:
        errors.append(MESSAGES["context_percent"].format(key=key))
    return number


def parse_values(
    tree: tuple[Criterion, ...],
    answers: Mapping[str, object],
    context: Mapping[str, object],
    errors: list[str],
) -> dict[str, object]:
    values: dict[str, object] = {}
    missing: list[str] = []
    missing_context: list[str] = []
    known: set[str] = set()
    for criterion in tree:
        for ind in criterion.indicators:
            known.add(ind.code)
            if ind.kind == "computed":
                key = ind.context_key or ""
                if ind.code in answers:
                    errors.append(MESSAGES["computed_answered"].format(code=ind.code, key=key))
                elif key not in context:
                    missing_context.append(key)
                else:
                    values[ind.code] = _parse_context_value(key, ind.value_type, context[key], errors)
            elif ind.code not in answers:
                missing.append(ind.code)
            else:
                values[ind.code] = _parse_answer(ind, answers[ind.code], errors)
    unknown = [str(code) for code in answers if code not in known]
    if missing:
        errors.insert(0, MESSAGES["missing_answers"].format(codes=", ".join(missing)))
    if unknown:
        errors.append(MESSAGES["unknown_codes"].format(codes=", ".join(unknown)))
    if missing_context:
        errors.append(MESSAGES["missing_context"].format(keys=", ".join(dict.fromkeys(missing_context))))
    return values


def parse_date(raw: object) -> date | None:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Facts:
    """Context facts that are not indicator values."""

    data_year: int
    previous_level: str | None = None
    previous_date: date | None = None
    preconditions: dict[str, object] = field(default_factory=dict)


def parse_facts(
    cs: CriteriaSetVersion, context: Mapping[str, object], evaluated_on: date, errors: list[str]
) -> Facts:
    data_year = context.get("data_year", evaluated_on.year)
    if isinstance(data_year, bool) or not isinstance(data_year, int) or data_year > evaluated_on.year:
        errors.append(MESSAGES["data_year"].format(year=evaluated_on.year))
        data_year = evaluated_on.year
    previous_level = context.get("previous_level")
    previous_date = parse_date(context.get("previous_level_date"))
    if previous_level is not None and previous_level not in cs.level_codes:
        errors.append(MESSAGES["previous_level"].format(levels=", ".join(cs.level_codes)))
        previous_level = None
    if context.get("previous_level_date") is not None and previous_date is None:
        errors.append(MESSAGES["previous_date"])
    elif previous_level is not None and previous_date is None:
        errors.append(MESSAGES["previous_date_missing"])
    pre_values: dict[str, object] = {}
    missing = [p.context_key for p in cs.preconditions if p.context_key not in context]
    if missing:
        errors.append(MESSAGES["missing_context"].format(keys=", ".join(missing)))
    for pre in cs.preconditions:
        if pre.context_key in context:
            raw = context[pre.context_key]
            pre_values[pre.code] = _parse_context_value(pre.context_key, pre.value_type, raw, errors)
    return Facts(
        data_year=data_year,
        previous_level=previous_level if isinstance(previous_level, str) else None,
        previous_date=previous_date,
        preconditions=pre_values,
    )
