"""Properties of the evaluation over every shipped set (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hoctap.criteria.evaluation import EvaluationInputError, EvaluationResult, evaluate
from hoctap.criteria.schema import CriteriaSetVersion, Criterion, Indicator, load_shipped_sets
from hoctap.criteria.tests.helpers import CDHT_CODES, cdht

SETS = load_shipped_sets()
TENTHS = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 10)  # 0.0 … 10.0


def _value(ind: Indicator) -> st.SearchStrategy[object]:
    if ind.kind == "yes_no" or (ind.kind == "computed" and ind.value_type == "bool"):
        return st.booleans()
    if ind.kind == "points":
        top = int((ind.max or Decimal(10)) * 10)
        return st.integers(min_value=0, max_value=top).map(lambda n: Decimal(n) / 10)
    if ind.kind == "choice":
        return st.sampled_from([o.code for o in ind.options])
    top = 1000 if ind.kind == "percent" or ind.value_type == "percent" else 5000
    return st.integers(min_value=0, max_value=top).map(lambda n: Decimal(n) / 10)


@dataclass(frozen=True)
class Case:
    criteria_set: CriteriaSetVersion
    evaluated_on: date
    level: str | None = None
    subject_group: str | None = None
    answers: dict[str, object] = field(default_factory=dict)
    context: dict[str, object] = field(default_factory=dict)

    @property
    def tree(self) -> tuple[Criterion, ...]:
        group = self.criteria_set.subject_group(self.subject_group or "")
        return group.criteria if group else self.criteria_set.criteria

    def run(self, **changes: Any) -> EvaluationResult:
        case = replace(self, **changes)
        return evaluate(
            criteria_set=case.criteria_set,
            answers=case.answers,
            context=case.context,
            level=case.level,
            evaluated_on=case.evaluated_on,
            subject_group=case.subject_group,
        )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A valid input for a random shipped set: answers, context, level, group, date."""
    cs: CriteriaSetVersion = draw(st.sampled_from(SETS))
    group = draw(st.sampled_from([g.code for g in cs.subject_groups])) if cs.subject_groups else None
    tree = Case(cs, date.today(), subject_group=group).tree
    answers: dict[str, object] = {}
    context: dict[str, object] = {}
    for ind in (i for c in tree for i in c.indicators):
        value = draw(_value(ind))
        if ind.not_applicable_allowed and draw(st.booleans()):
            value = None
        if ind.kind == "computed":
            context[ind.context_key or ""] = value
        else:
            answers[ind.code] = value
    for pre in cs.preconditions:
        context[pre.context_key] = draw(
            _value(Indicator(code="0.0", title="", kind="percent", source="", unconfirmed=False))
        )
    if cs.upgrade is not None and draw(st.booleans()):
        context["previous_level"] = draw(st.sampled_from(cs.level_codes))
        context["previous_level_date"] = draw(st.dates(date(2020, 1, 1), date(2026, 12, 31))).isoformat()
    level = draw(st.sampled_from([None, *cs.level_codes])) if cs.levels else None
    on = draw(st.dates(date(2024, 1, 1), date(2031, 12, 31)))
    return Case(cs, on, level=level, subject_group=group, answers=answers, context=context)


def _raise(ind: Indicator, value: object) -> object:
    """A value at least as good as ``value`` for every ≥ / > comparison used by the shipped sets."""
    if value is None:
        return None
    if isinstance(value, bool):
        return True
    if ind.kind == "choice":
        return max(ind.options, key=lambda o: o.points).code
    assert isinstance(value, Decimal)
    top = (
        ind.max
        if ind.kind == "points"
        else (Decimal(100) if ind.kind == "percent" or ind.value_type == "percent" else value + 50)
    )
    return min(value + Decimal("0.5"), top or value)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_reasons_are_never_empty_and_the_result_is_coherent(case: Case):
    result = case.run()
    assert result.reasons and all(r.strip() for r in result.reasons)
    assert result.passed == (result.valid_until is not None)
    if result.level is not None:
        assert result.passed and result.level in case.criteria_set.level_codes
    assert 0 <= result.total <= result.max_total or result.max_total == 0


@settings(max_examples=200, deadline=None)
@given(cases())
def test_evaluation_is_deterministic(case: Case):
    first = case.run()
    second = case.run(answers=dict(reversed(list(case.answers.items()))))
    assert first == second
    assert first.to_dict() == second.to_dict()


@settings(max_examples=300, deadline=None)
@given(cases(), st.data())
def test_raising_any_value_never_turns_a_pass_into_a_fail(case: Case, data: st.DataObject):
    before = case.run()
    ind = data.draw(st.sampled_from([i for c in case.tree for i in c.indicators]))
    answers, context = dict(case.answers), dict(case.context)
    if ind.kind == "computed":
        key = ind.context_key or ""
        context[key] = _raise(ind, context[key])
    else:
        answers[ind.code] = _raise(ind, answers[ind.code])
    after = case.run(answers=answers, context=context)
    if before.passed:
        assert after.passed
        order = case.criteria_set.level_codes
        if before.level is not None:
            assert after.level is not None and order.index(after.level) >= order.index(before.level)


@settings(max_examples=300, deadline=None)
@given(st.lists(TENTHS, min_size=10, max_size=10))
def test_cdht_passes_exactly_when_total_reaches_80_and_no_index_is_below_5(scores: list[Decimal]):
    answers = dict(zip(CDHT_CODES, scores, strict=True))
    result = evaluate(
        criteria_set=cdht(), answers=answers, evaluated_on=date(2024, 6, 1), subject_group="nguoi-dan"
    )
    assert result.total == sum(scores)
    assert result.passed == (sum(scores) >= 80 and min(scores) >= 5)
    below = [code for code, score in answers.items() if score < 5]
    assert [i.code for c in result.criteria for i in c.indicators if i.passed is False] == below


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from(CDHT_CODES), min_size=1))
def test_every_missing_answer_is_named(missing: set[str]):
    answers = {code: Decimal(8) for code in CDHT_CODES if code not in missing}
    try:
        evaluate(
            criteria_set=cdht(), answers=answers, evaluated_on=date(2024, 6, 1), subject_group="nguoi-dan"
        )
    except EvaluationInputError as error:
        expected = [code for code in CDHT_CODES if code in missing]
        assert error.missing == expected
        assert error.errors[0] == "Thiếu câu trả lời cho chỉ tiêu: " + ", ".join(expected)
    else:
        raise AssertionError("missing answers were accepted")
