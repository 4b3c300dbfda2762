"""Shared builders for the criteria tests (no database)."""

from __future__ import annotations

from decimal import Decimal

from hoctap.criteria.schema import CriteriaSetVersion, get_shipped_set

CDHT_CODES = ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2")


def cdht() -> CriteriaSetVersion:
    return get_shipped_set("cdht-2023")


def cdht_answers(default: object = 8, **overrides: object) -> dict[str, object]:
    """Answers for every cdht index; keyword ``i2_3=4`` overrides index 2.3."""
    answers: dict[str, object] = {code: default for code in CDHT_CODES}
    for key, value in overrides.items():
        answers[key.removeprefix("i").replace("_", ".")] = value
    return answers


def all_yes(criteria_set: CriteriaSetVersion, *, group: str | None = None) -> dict[str, object]:
    """A passing-looking answer for every answerable indicator (yes, max points, 100%, best option)."""
    tree = criteria_set.subject_group(group).criteria if group else criteria_set.criteria  # type: ignore[union-attr]
    answers: dict[str, object] = {}
    for criterion in tree:
        for ind in criterion.indicators:
            if ind.kind == "yes_no":
                answers[ind.code] = True
            elif ind.kind == "points":
                answers[ind.code] = ind.max
            elif ind.kind in ("percent", "number"):
                answers[ind.code] = Decimal(100)
            elif ind.kind == "choice":
                answers[ind.code] = max(ind.options, key=lambda o: o.points).code
    return answers
