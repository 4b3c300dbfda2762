"""The one pure evaluation of a criteria set version against answers.

``evaluate()`` is deterministic, uses Decimal arithmetic only and imports nothing from Django.

Rules, as implemented:

* Scoring: ``points`` scores its value; ``choice`` scores the chosen option's points; ``yes_no``,
  ``number``, ``percent`` and ``computed`` score their ``max`` (when given) if met, else 0. ``total`` and
  ``max_total`` sum the applicable indicators (an answer ``null`` marks "không áp dụng" where the
  indicator allows it).
* An indicator with a minimum (its own ``min`` or the rule's ``indicator_min``) fails below it; that
  always fails the rule. With ``all_required`` every applicable indicator must pass.
* Levels are ordered lowest first. With ``level`` given, only that level is checked; with ``level=None``
  the highest level whose requirements hold (and that the upgrade rule allows) is returned.
* Upgrade: a ``to_level`` application needs ``context.previous_level`` at least ``from_level`` and
  ``evaluated_on`` on or after ``context.previous_level_date`` + ``min_months`` (calendar months, clamped
  to the month's last day). A previous level at or above ``to_level`` is a renewal: no waiting period.
* ``valid_until``: the data year is ``context.data_year`` (default: the year of ``evaluated_on``). Basis
  ``data_year``: the end of the data window of (data year + years - 1), e.g. a 1-year GĐHT title for
  2024 is valid to 31/12/2024. Basis ``after_recognition_year``: 31/12 of (year of ``evaluated_on`` +
  years), i.e. "bảo lưu 3 năm sau năm công nhận": recognised in 2024 → valid to 31/12/2027.
* ``unconfirmed_rules``: codes of every unconfirmed rule applied to reach the outcome: indicator codes
  (``2.3``), ``pass`` or the level code, precondition codes, ``upgrade`` and ``validity``.
"""

from hoctap.criteria.evaluation.core import add_months, evaluate, evaluate_payload, valid_until_for
from hoctap.criteria.evaluation.messages import MESSAGES, fmt_number
from hoctap.criteria.evaluation.results import (
    CriterionResult,
    EvaluationInputError,
    EvaluationResult,
    IndicatorResult,
)

__all__ = [
    "MESSAGES",
    "CriterionResult",
    "EvaluationInputError",
    "EvaluationResult",
    "IndicatorResult",
    "add_months",
    "evaluate",
    "evaluate_payload",
    "fmt_number",
    "valid_until_for",
]
