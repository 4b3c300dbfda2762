"""Parse and validate a criteria set dict (from YAML or JSON) into ``CriteriaSetVersion``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from hoctap.criteria.schema.model import (
    CODE_RE,
    COMPARISONS,
    CRITERION_RE,
    INDICATOR_KINDS,
    INDICATOR_RE,
    MONTH_DAY_RE,
    SUBJECT_KINDS,
    VALIDITY_BASES,
    VALUE_TYPES,
    AuthorityPeriod,
    ChoiceOption,
    CriteriaSetVersion,
    Criterion,
    DataWindow,
    Deadline,
    Indicator,
    LegalSource,
    Precondition,
    RequirementRule,
    SubjectGroup,
    UpgradeRule,
    Validity,
    to_decimal,
)

# --- parsing helpers -----------------------------------------------------------------------------


class _Fields:
    """Typed access to one mapping of a set file; records problems instead of raising."""

    def __init__(self, data: object, path: str, problems: list[str], allowed: Iterable[str]) -> None:
        self.path = path
        self.problems = problems
        if not isinstance(data, Mapping):
            problems.append(f"{path}: expected a mapping")
            data = {}
        self.data: Mapping[str, Any] = data
        unknown = sorted(str(k) for k in data if k not in set(allowed))
        if unknown:
            problems.append(f"{path}: unknown keys {', '.join(unknown)}")

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}.{key}: {message}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required")
            return ""
        if not isinstance(value, str):
            self.problem(key, "must be text")
            return ""
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key, required=False) or None

    def flag(self, key: str, *, required: bool = False, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required (true or false)")
            return default
        if not isinstance(value, bool):
            self.problem(key, "must be true or false")
            return default
        return value

    def integer(self, key: str, *, required: bool = True, default: int = 0) -> int:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "must be an integer")
            return default
        return value

    def number(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        result = to_decimal(value)
        if result is None:
            self.problem(key, "must be a number")
        return result

    def number_of(self, value: object, key: str) -> Decimal | None:
        result = to_decimal(value)
        if result is None:
            self.problem(key, "must be a number")
        return result

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required (YYYY-MM-DD)")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(key, "must be a date YYYY-MM-DD")
            return None

    def items(self, key: str, *, required: bool = False) -> list[object]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required (a list)")
            return []
        if not isinstance(value, list):
            self.problem(key, "must be a list")
            return []
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value not in allowed:
            self.problem(key, f"must be one of {', '.join(allowed)}")
            return default or allowed[0]
        return str(value)


# --- parsing: leaves -----------------------------------------------------------------------------

_COMMON = ("source", "unconfirmed", "note")


def _parse_legal_source(data: object, path: str, problems: list[str]) -> LegalSource:
    f = _Fields(data, path, problems, ("number", "date", "issuer", "title", "url", "note"))
    return LegalSource(
        number=f.text("number"),
        date=f.day("date", required=False),
        issuer=f.text("issuer"),
        title=f.text("title"),
        url=f.text("url", required=False),
        note=f.text("note", required=False),
    )


def _parse_thresholds(f: _Fields) -> tuple[tuple[str, Decimal], ...]:
    value = f.data.get("thresholds")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        f.problem("thresholds", "must be a mapping level -> number")
        return ()
    result: list[tuple[str, Decimal]] = []
    for level, raw in value.items():
        number = to_decimal(raw)
        if number is None:
            f.problem(f"thresholds.{level}", "must be a number")
            continue
        result.append((str(level), number))
    return tuple(result)


def _parse_options(f: _Fields) -> tuple[ChoiceOption, ...]:
    options: list[ChoiceOption] = []
    for i, raw in enumerate(f.items("options")):
        o = _Fields(raw, f"{f.path}.options[{i}]", f.problems, ("code", "label", "points"))
        points = o.number("points")
        if points is None:
            o.problem("points", "is required")
        options.append(ChoiceOption(code=o.text("code"), label=o.text("label"), points=points or Decimal(0)))
    return tuple(options)


_INDICATOR_KEYS = (
    *_COMMON,
    *("code", "title", "kind", "max", "min", "comparison", "threshold", "thresholds", "unconfirmed_levels"),
    *("context_key", "value_type", "options", "not_applicable_allowed"),
)


def _parse_indicator(data: object, path: str, problems: list[str]) -> Indicator:
    f = _Fields(data, path, problems, _INDICATOR_KEYS)
    indicator = Indicator(
        code=str(f.data.get("code", "")),
        title=f.text("title"),
        kind=f.choice("kind", INDICATOR_KINDS),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        note=f.text("note", required=False),
        max=f.number("max"),
        min=f.number("min"),
        comparison=f.choice("comparison", COMPARISONS, default=">="),
        threshold=f.number("threshold"),
        thresholds=_parse_thresholds(f),
        unconfirmed_levels=tuple(str(x) for x in f.items("unconfirmed_levels")),
        context_key=f.opt_text("context_key"),
        value_type=f.choice("value_type", VALUE_TYPES, default="number"),
        options=_parse_options(f),
        not_applicable_allowed=f.flag("not_applicable_allowed"),
    )
    _check_indicator(indicator, f)
    return indicator


def _check_indicator(ind: Indicator, f: _Fields) -> None:
    if not INDICATOR_RE.match(ind.code):
        f.problem("code", "must look like N.M (e.g. 2.3)")
    for key in ("max", "min", "threshold"):
        value = getattr(ind, key)
        if value is not None and value < 0:
            f.problem(key, "must not be negative")
    if ind.kind == "points" and (ind.max is None or ind.max <= 0):
        f.problem("max", "a points indicator needs a positive max")
    if ind.max is not None and ind.min is not None and ind.min > ind.max:
        f.problem("min", "must not exceed max")
    if ind.kind in ("number", "percent") and not ind.has_threshold:
        f.problem("threshold", f"a {ind.kind} indicator needs threshold or thresholds")
    if ind.kind == "computed":
        if not ind.context_key:
            f.problem("context_key", "a computed indicator needs context_key")
        if ind.value_type != "bool" and not ind.has_threshold:
            f.problem("threshold", "a numeric computed indicator needs threshold or thresholds")
    if ind.kind == "choice":
        codes = [o.code for o in ind.options]
        if not codes:
            f.problem("options", "a choice indicator needs options")
        if len(set(codes)) != len(codes):
            f.problem("options", "option codes must be unique")
    elif ind.options:
        f.problem("options", "only a choice indicator has options")


# --- parsing: tree and rules ---------------------------------------------------------------------


def _parse_criteria(items: list[object], path: str, problems: list[str]) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    for i, raw in enumerate(items):
        f = _Fields(raw, f"{path}[{i}]", problems, (*_COMMON, "code", "title", "indicators"))
        code = str(f.data.get("code", ""))
        if not CRITERION_RE.match(code):
            f.problem("code", "must be a positive number (e.g. 2)")
        ind_items = f.items("indicators", required=True)
        indicators = tuple(
            _parse_indicator(raw_ind, f"{f.path}.indicators[{j}]", problems)
            for j, raw_ind in enumerate(ind_items)
        )
        for ind in indicators:
            match = INDICATOR_RE.match(ind.code)
            if match and match.group(1) != code:
                problems.append(f"{f.path}: indicator {ind.code} does not belong to criterion {code}")
        if not indicators:
            f.problem("indicators", "a criterion needs at least one indicator")
        criteria.append(
            Criterion(
                code=code,
                title=f.text("title"),
                indicators=indicators,
                source=f.text("source", required=False),
                unconfirmed=f.flag("unconfirmed"),
                note=f.text("note", required=False),
            )
        )
    _check_unique([c.code for c in criteria], path, problems)
    _check_unique([i.code for c in criteria for i in c.indicators], path, problems)
    return tuple(criteria)


def _check_unique(codes: list[str], path: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(f"{path}: duplicate code {code}")
        seen.add(code)


def _parse_groups(items: list[object], path: str, problems: list[str]) -> tuple[SubjectGroup, ...]:
    groups: list[SubjectGroup] = []
    for i, raw in enumerate(items):
        f = _Fields(raw, f"{path}[{i}]", problems, ("code", "title", "criteria", "note"))
        code = f.text("code")
        if code and not CODE_RE.match(code):
            f.problem("code", "must be lower-case words joined by '-'")
        criteria = _parse_criteria(f.items("criteria", required=True), f"{f.path}.criteria", problems)
        groups.append(
            SubjectGroup(
                code=code, title=f.text("title"), criteria=criteria, note=f.text("note", required=False)
            )
        )
    _check_unique([g.code for g in groups], path, problems)
    return tuple(groups)


def _parse_rule(data: object, path: str, problems: list[str], *, default_code: str) -> RequirementRule:
    keys = (*_COMMON, "code", "title", "total_min", "indicator_min", "all_required")
    f = _Fields(data, path, problems, keys)
    rule = RequirementRule(
        code=f.text("code", required=False) or default_code,
        title=f.text("title"),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        total_min=f.number("total_min"),
        indicator_min=f.number("indicator_min"),
        all_required=f.flag("all_required"),
        note=f.text("note", required=False),
    )
    if rule.total_min is None and rule.indicator_min is None and not rule.all_required:
        problems.append(f"{path}: a rule needs total_min, indicator_min or all_required")
    return rule


def _parse_precondition(data: object, path: str, problems: list[str]) -> Precondition:
    keys = (*_COMMON, "code", "title", "context_key", "value_type", "comparison", "threshold")
    f = _Fields(data, path, problems, keys)
    pre = Precondition(
        code=f.text("code"),
        title=f.text("title"),
        context_key=f.text("context_key"),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        value_type=f.choice("value_type", VALUE_TYPES, default="percent"),
        comparison=f.choice("comparison", COMPARISONS, default=">="),
        threshold=f.number("threshold"),
        note=f.text("note", required=False),
    )
    if pre.value_type != "bool" and pre.threshold is None:
        f.problem("threshold", "a numeric precondition needs a threshold")
    return pre


def _parse_upgrade(data: object, path: str, problems: list[str]) -> UpgradeRule:
    keys = (*_COMMON, "from_level", "to_level", "min_months", "requires_previous")
    f = _Fields(data, path, problems, keys)
    return UpgradeRule(
        from_level=f.text("from_level"),
        to_level=f.text("to_level"),
        min_months=f.integer("min_months"),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        requires_previous=f.flag("requires_previous", default=True),
        note=f.text("note", required=False),
    )


def _parse_validity(data: object, path: str, problems: list[str]) -> Validity:
    f = _Fields(data, path, problems, (*_COMMON, "years", "basis"))
    years = f.integer("years", default=1)
    if years < 1:
        f.problem("years", "must be at least 1")
    return Validity(
        years=years,
        basis=f.choice("basis", VALIDITY_BASES),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        note=f.text("note", required=False),
    )


def _parse_window(data: object, path: str, problems: list[str]) -> DataWindow:
    f = _Fields(data, path, problems, ("start", "end", "source", "unconfirmed"))
    window = DataWindow(
        start=f.text("start"),
        end=f.text("end"),
        source=f.text("source", required=False),
        unconfirmed=f.flag("unconfirmed"),
    )
    for key in ("start", "end"):
        if not MONTH_DAY_RE.match(getattr(window, key)):
            f.problem(key, "must be MM-DD")
    return window


def _parse_deadline(data: object, path: str, problems: list[str]) -> Deadline:
    keys = (*_COMMON, "code", "name", "day", "month", "who", "year_offset")
    f = _Fields(data, path, problems, keys)
    deadline = Deadline(
        code=f.text("code"),
        name=f.text("name"),
        day=f.integer("day"),
        month=f.integer("month"),
        who=f.text("who"),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        year_offset=f.integer("year_offset", required=False, default=1),
        note=f.text("note", required=False),
    )
    try:
        date(2000, deadline.month, deadline.day)  # 2000 is a leap year: 29/02 stays valid
    except ValueError:
        problems.append(f"{path}: day/month is not a calendar day")
    return deadline


def _parse_authorities(items: list[object], path: str, problems: list[str]) -> tuple[AuthorityPeriod, ...]:
    periods: list[AuthorityPeriod] = []
    for i, raw in enumerate(items):
        f = _Fields(raw, f"{path}[{i}]", problems, (*_COMMON, "valid_from", "valid_to", "authority"))
        period = AuthorityPeriod(
            valid_from=f.day("valid_from", required=False),
            valid_to=f.day("valid_to", required=False),
            authority=f.text("authority"),
            source=f.text("source"),
            unconfirmed=f.flag("unconfirmed", required=True),
            note=f.text("note", required=False),
        )
        if period.valid_from and period.valid_to and period.valid_to < period.valid_from:
            f.problem("valid_to", "is before valid_from")
        periods.append(period)
    return tuple(periods)


# --- parsing: the whole set ----------------------------------------------------------------------

_SET_KEYS = (
    *("code", "version", "title", "subject_kind", "valid_from", "valid_to", "legal_source", "unconfirmed"),
    *("unconfirmed_note", "validity", "data_window", "criteria", "subject_groups", "pass_rule", "pass"),
    *("levels", "preconditions", "upgrade", "deadlines", "evaluator", "recogniser", "note"),
)


def parse_set(data: Mapping[str, Any], problems: list[str]) -> CriteriaSetVersion | None:
    f = _Fields(data, "set", problems, _SET_KEYS)
    code = f.text("code")
    if code and not CODE_RE.match(code):
        f.problem("code", "must be lower-case words joined by '-'")
    version = f.integer("version", default=1)
    if version < 1:
        f.problem("version", "must be at least 1")
    pass_raw = f.data.get("pass_rule", f.data.get("pass"))
    criteria_set = CriteriaSetVersion(
        code=code,
        version=version,
        title=f.text("title"),
        subject_kind=f.choice("subject_kind", SUBJECT_KINDS),
        valid_from=f.day("valid_from") or date.min,
        valid_to=f.day("valid_to", required=False),
        legal_source=_parse_legal_source(f.data.get("legal_source"), "set.legal_source", problems),
        unconfirmed=f.flag("unconfirmed", required=True),
        unconfirmed_note=f.text("unconfirmed_note", required=False),
        validity=_parse_validity(f.data.get("validity"), "set.validity", problems),
        data_window=_parse_window(f.data.get("data_window"), "set.data_window", problems),
        criteria=_parse_criteria(f.items("criteria"), "set.criteria", problems),
        subject_groups=_parse_groups(f.items("subject_groups"), "set.subject_groups", problems),
        pass_rule=None
        if pass_raw is None
        else _parse_rule(pass_raw, "set.pass", problems, default_code="pass"),
        levels=tuple(
            _parse_rule(raw, f"set.levels[{i}]", problems, default_code="")
            for i, raw in enumerate(f.items("levels"))
        ),
        preconditions=tuple(
            _parse_precondition(raw, f"set.preconditions[{i}]", problems)
            for i, raw in enumerate(f.items("preconditions"))
        ),
        upgrade=None
        if f.data.get("upgrade") is None
        else _parse_upgrade(f.data["upgrade"], "set.upgrade", problems),
        deadlines=tuple(
            _parse_deadline(raw, f"set.deadlines[{i}]", problems)
            for i, raw in enumerate(f.items("deadlines"))
        ),
        evaluator=_parse_authorities(f.items("evaluator"), "set.evaluator", problems),
        recogniser=_parse_authorities(f.items("recogniser"), "set.recogniser", problems),
        note=f.text("note", required=False),
    )
    _check_set(criteria_set, problems)
    return criteria_set


def _check_set(cs: CriteriaSetVersion, problems: list[str]) -> None:
    if cs.valid_to is not None and cs.valid_to < cs.valid_from:
        problems.append("set.valid_to: is before valid_from")
    if cs.unconfirmed and not cs.unconfirmed_note:
        problems.append("set.unconfirmed_note: an unconfirmed set must say what is missing")
    if bool(cs.criteria) == bool(cs.subject_groups):
        problems.append("set: give either criteria or subject_groups (exactly one)")
    if (cs.pass_rule is None) == (not cs.levels):
        problems.append("set: give either a pass block or levels (exactly one)")
    level_codes = cs.level_codes
    for code in level_codes:
        if not CODE_RE.match(code):
            problems.append(f"set.levels: level code {code!r} must be lower-case words joined by '-'")
    _check_unique(list(level_codes), "set.levels", problems)
    _check_unique([p.code for p in cs.preconditions], "set.preconditions", problems)
    if cs.upgrade is not None:
        for key in ("from_level", "to_level"):
            if getattr(cs.upgrade, key) not in level_codes:
                problems.append(f"set.upgrade.{key}: unknown level")
    for tree in cs.criteria_trees():
        for criterion in tree:
            for ind in criterion.indicators:
                _check_indicator_levels(ind, level_codes, problems)


def _check_indicator_levels(ind: Indicator, level_codes: tuple[str, ...], problems: list[str]) -> None:
    for code in [c for c, _ in ind.thresholds] + list(ind.unconfirmed_levels):
        if code not in level_codes:
            problems.append(f"indicator {ind.code}: unknown level {code!r}")
    if ind.thresholds and ind.threshold is None:
        missing = [code for code in level_codes if code not in dict(ind.thresholds)]
        if missing:
            problems.append(f"indicator {ind.code}: no threshold for level(s) {', '.join(missing)}")
