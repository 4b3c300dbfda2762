"""What an evaluation returns, and the error it raises on bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hoctap.criteria.schema import (
    number_to_json,
)


class EvaluationInputError(ValueError):
    """The answers, context, level or subject group cannot be evaluated; ``errors`` lists every problem."""

    def __init__(self, errors: list[str], *, missing: list[str] | None = None) -> None:
        self.errors = errors
        self.missing = missing or []
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    title: str
    kind: str
    value: object
    score: Decimal | None
    max_score: Decimal | None
    passed: bool | None  # None: not applicable
    reason: str
    unconfirmed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "value": _json(self.value),
            "score": _json(self.score),
            "max_score": _json(self.max_score),
            "passed": self.passed,
            "reason": self.reason,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(frozen=True)
class CriterionResult:
    code: str
    title: str
    score: Decimal
    max_score: Decimal
    passed: bool
    indicators: tuple[IndicatorResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "score": _json(self.score),
            "max_score": _json(self.max_score),
            "passed": self.passed,
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class EvaluationResult:
    criteria_set: str
    criteria_set_version: int
    subject_group: str | None
    evaluated_on: date
    data_year: int
    requested_level: str | None
    total: Decimal
    max_total: Decimal
    criteria: tuple[CriterionResult, ...]
    passed: bool
    level: str | None
    valid_until: date | None
    reasons: tuple[str, ...]
    unconfirmed_rules: tuple[str, ...]

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for c in self.criteria for i in c.indicators if i.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria_set": self.criteria_set,
            "criteria_set_version": self.criteria_set_version,
            "subject_group": self.subject_group,
            "evaluated_on": self.evaluated_on.isoformat(),
            "data_year": self.data_year,
            "requested_level": self.requested_level,
            "total": _json(self.total),
            "max_total": _json(self.max_total),
            "criteria": [c.to_dict() for c in self.criteria],
            "passed": self.passed,
            "level": self.level,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "reasons": list(self.reasons),
            "unconfirmed_rules": list(self.unconfirmed_rules),
        }


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return number_to_json(value)
    return value
