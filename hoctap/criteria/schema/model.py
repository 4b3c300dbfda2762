"""Dataclasses of a criteria set version, and their dump to plain JSON-able dicts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

SUBJECT_KINDS = ("citizen", "household", "clan", "village", "organisation", "commune", "district", "province")
INDICATOR_KINDS = ("yes_no", "points", "number", "percent", "computed", "choice")
COMPARISONS = (">=", ">", "<=", "<", "==")
VALUE_TYPES = ("number", "percent", "bool")
# data_year: valid to the end of the data window of (data year + years - 1).
# after_recognition_year: valid to 31/12 of (recognition year + years), "bảo lưu 3 năm sau năm công nhận".
VALIDITY_BASES = ("data_year", "after_recognition_year")

CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CRITERION_RE = re.compile(r"^[1-9][0-9]*$")
INDICATOR_RE = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*)$")
MONTH_DAY_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class CriteriaSchemaError(ValueError):
    """A set file (or dict) does not follow the schema; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# --- dataclasses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalSource:
    number: str
    date: date | None
    issuer: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class ChoiceOption:
    code: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Indicator:
    """A chỉ tiêu, numbered ``N.M``. Which fields matter depends on ``kind`` (see the module README)."""

    code: str
    title: str
    kind: str
    source: str
    unconfirmed: bool
    note: str = ""
    max: Decimal | None = None
    min: Decimal | None = None
    comparison: str = ">="
    threshold: Decimal | None = None
    thresholds: tuple[tuple[str, Decimal], ...] = ()
    unconfirmed_levels: tuple[str, ...] = ()
    context_key: str | None = None
    value_type: str = "number"
    options: tuple[ChoiceOption, ...] = ()
    not_applicable_allowed: bool = False

    def threshold_for(self, level: str | None) -> Decimal | None:
        """The threshold applying at ``level`` (a per-level value wins over the common one)."""
        for code, value in self.thresholds:
            if code == level:
                return value
        return self.threshold

    @property
    def has_threshold(self) -> bool:
        return self.threshold is not None or bool(self.thresholds)

    def option(self, code: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Criterion:
    """A tiêu chí (or, for Công dân học tập, a competency group), numbered ``N``."""

    code: str
    title: str
    indicators: tuple[Indicator, ...]
    source: str = ""
    unconfirmed: bool = False
    note: str = ""


@dataclass(frozen=True)
class SubjectGroup:
    """One evaluation form (e.g. "người lao động") with its own criteria tree."""

    code: str
    title: str
    criteria: tuple[Criterion, ...]
    note: str = ""


@dataclass(frozen=True)
class RequirementRule:
    """The ``pass`` block or one entry of ``levels``: what must hold to pass / reach the level."""

    code: str
    title: str
    source: str
    unconfirmed: bool
    total_min: Decimal | None = None
    indicator_min: Decimal | None = None
    all_required: bool = False
    note: str = ""


@dataclass(frozen=True)
class Precondition:
    code: str
    title: str
    context_key: str
    source: str
    unconfirmed: bool
    value_type: str = "percent"
    comparison: str = ">="
    threshold: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class UpgradeRule:
    from_level: str
    to_level: str
    min_months: int
    source: str
    unconfirmed: bool
    requires_previous: bool = True
    note: str = ""


@dataclass(frozen=True)
class Validity:
    years: int
    basis: str
    source: str
    unconfirmed: bool
    note: str = ""


@dataclass(frozen=True)
class DataWindow:
    start: str  # "MM-DD"
    end: str  # "MM-DD"
    source: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True)
class Deadline:
    code: str
    name: str
    day: int
    month: int
    who: str
    source: str
    unconfirmed: bool
    year_offset: int = 1  # 0: same year as the data, 1: the following year
    note: str = ""


@dataclass(frozen=True)
class AuthorityPeriod:
    valid_from: date | None
    valid_to: date | None
    authority: str
    source: str
    unconfirmed: bool
    note: str = ""


@dataclass(frozen=True)
class CriteriaSetVersion:
    code: str
    version: int
    title: str
    subject_kind: str
    valid_from: date
    valid_to: date | None
    legal_source: LegalSource
    unconfirmed: bool
    unconfirmed_note: str
    validity: Validity
    data_window: DataWindow
    criteria: tuple[Criterion, ...] = ()
    subject_groups: tuple[SubjectGroup, ...] = ()
    pass_rule: RequirementRule | None = None
    levels: tuple[RequirementRule, ...] = ()
    preconditions: tuple[Precondition, ...] = ()
    upgrade: UpgradeRule | None = None
    deadlines: tuple[Deadline, ...] = ()
    evaluator: tuple[AuthorityPeriod, ...] = ()
    recogniser: tuple[AuthorityPeriod, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def validity_years(self) -> int:
        return self.validity.years

    @property
    def level_codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    def level(self, code: str) -> RequirementRule | None:
        return next((rule for rule in self.levels if rule.code == code), None)

    def subject_group(self, code: str) -> SubjectGroup | None:
        return next((group for group in self.subject_groups if group.code == code), None)

    def criteria_trees(self) -> Iterable[tuple[Criterion, ...]]:
        """Every criteria tree of the set: the top-level one, or one per subject group."""
        if self.subject_groups:
            return [group.criteria for group in self.subject_groups]
        return [self.criteria]

    def to_dict(self) -> dict[str, Any]:
        result = _dump(self)
        assert isinstance(result, dict)
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CriteriaSetVersion:
        from hoctap.criteria.schema.parse import parse_set

        problems: list[str] = []
        result = parse_set(data, problems)
        if problems or result is None:
            raise CriteriaSchemaError(problems or ["invalid criteria set"])
        return result


# --- dumping -------------------------------------------------------------------------------------


def number_to_json(value: Decimal) -> int | float:
    """An exact JSON number for ``value``: int when integral, else the float whose repr is ``value``."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _dump(value: object) -> object:
    if isinstance(value, Decimal):
        return number_to_json(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.name == "thresholds":
                out[f.name] = {code: number_to_json(v) for code, v in item}
            else:
                out[f.name] = _dump(item)
        return out
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    return value


def to_decimal(value: object) -> Decimal | None:
    """``value`` as a finite Decimal (floats go through ``str``), or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | float | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() else None
