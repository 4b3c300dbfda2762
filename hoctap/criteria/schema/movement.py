"""The movement file (``data/movements/<code>.yaml``) and the programme targets (``data/targets.yaml``).

Target vocabulary. A target with ``method: ratio`` is computed from recorded data as
``numerator / denominator × 100``; each side is ``{count: <entity>, model?, status?, level?, scope?}``:

* ``count``: one of ``COUNT_ENTITIES`` (``recognitions`` needs ``model``, one of ``MODELS``);
* ``status``: ``valid`` (a recognition valid in the target year) or ``any``;
* ``level``: a level code of the model (``muc-1``, ``muc-2``) when only that level counts;
* ``scope``: one of ``SCOPES``, restricting who is counted (e.g. ``enterprise_workers``).

A target with ``method: reported`` has no numerator/denominator: its value is reported by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoctap.criteria.schema.files import read_yaml
from hoctap.criteria.schema.model import (
    CODE_RE,
    DATA_DIR,
    SUBJECT_KINDS,
    CriteriaSchemaError,
    LegalSource,
    _dump,
)
from hoctap.criteria.schema.parse import _Fields, _parse_legal_source

COUNT_ENTITIES = (
    *("recognitions", "citizens", "adults", "households", "clans", "villages", "organisations"),
    *("communes", "districts", "provinces", "members", "workers", "learners", "learning_centres"),
)
MODELS = (
    *("cdht", "gdht", "dhht", "cdht-thon", "dvht-xa", "cdhtxa", "cdhthuyen", "cdhttinh"),
    *("dvhthuyen", "dvhttinh"),
)
STATUSES = ("valid", "any")
SCOPES = (
    "aged_15_plus",  # people aged 15 and over
    "in_learning_households",  # adults living in GĐHT/DHHT/CĐHT thôn recognised that year
    "members_of_learning_units",  # staff/workers of units recognised ĐVHT (any level)
    "members_of_commune_learning_units",  # staff of units recognised ĐVHT cấp xã
    "enterprise_workers",  # workers of enterprises
    "commune_managed",  # organisations managed at commune level
)
REVIEW_KINDS = ("so-ket", "tong-ket")


@dataclass(frozen=True)
class TextItem:
    code: str
    title: str
    text: str
    source: str
    unconfirmed: bool
    note: str = ""


@dataclass(frozen=True)
class Phase:
    code: str
    title: str
    start: date
    end: date
    review_kind: str
    review_year: int
    source: str
    unconfirmed: bool
    note: str = ""


@dataclass(frozen=True)
class TargetGroup:
    code: str
    number: str
    title: str
    subject_kind: str
    criteria_set: str
    valid_from: date | None
    valid_to: date | None
    source: str
    unconfirmed: bool
    note: str = ""


@dataclass(frozen=True)
class ParentMovement:
    code: str
    title: str
    launched_on: date | None
    launched_by: str
    legal_source: LegalSource


@dataclass(frozen=True)
class Movement:
    code: str
    title: str
    legal_source: LegalSource
    parent: ParentMovement
    valid_from: date
    valid_to: date | None
    purposes: tuple[TextItem, ...]
    requirements: tuple[TextItem, ...]
    contents: tuple[TextItem, ...]
    phases: tuple[Phase, ...]
    target_groups: tuple[TargetGroup, ...]

    def to_dict(self) -> dict[str, Any]:
        result = _dump(self)
        assert isinstance(result, dict)
        return result

    def target_groups_on(self, day: date) -> tuple[TargetGroup, ...]:
        """The target groups that exist on ``day`` (the district group ends on 30/6/2025)."""
        return tuple(
            g
            for g in self.target_groups
            if (g.valid_from is None or g.valid_from <= day) and (g.valid_to is None or day <= g.valid_to)
        )


def _text_items(f: _Fields, key: str) -> tuple[TextItem, ...]:
    items: list[TextItem] = []
    for i, raw in enumerate(f.items(key, required=True)):
        t = _Fields(
            raw,
            f"{f.path}.{key}[{i}]",
            f.problems,
            ("code", "title", "text", "source", "unconfirmed", "note"),
        )
        items.append(
            TextItem(
                code=str(t.data.get("code", "")),
                title=t.text("title", required=False),
                text=t.text("text"),
                source=t.text("source"),
                unconfirmed=t.flag("unconfirmed", required=True),
                note=t.text("note", required=False),
            )
        )
    return tuple(items)


def _phases(f: _Fields) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    keys = ("code", "title", "start", "end", "review_kind", "review_year", "source", "unconfirmed", "note")
    for i, raw in enumerate(f.items("phases", required=True)):
        p = _Fields(raw, f"movement.phases[{i}]", f.problems, keys)
        phase = Phase(
            code=p.text("code"),
            title=p.text("title"),
            start=p.day("start") or date.min,
            end=p.day("end") or date.min,
            review_kind=p.choice("review_kind", REVIEW_KINDS),
            review_year=p.integer("review_year"),
            source=p.text("source"),
            unconfirmed=p.flag("unconfirmed", required=True),
            note=p.text("note", required=False),
        )
        if phase.end < phase.start:
            p.problem("end", "is before start")
        phases.append(phase)
    return tuple(phases)


def _target_groups(f: _Fields) -> tuple[TargetGroup, ...]:
    groups: list[TargetGroup] = []
    keys = ("code", "number", "title", "subject_kind", "criteria_set", "valid_from", "valid_to")
    for i, raw in enumerate(f.items("target_groups", required=True)):
        g = _Fields(raw, f"movement.target_groups[{i}]", f.problems, (*keys, "source", "unconfirmed", "note"))
        group = TargetGroup(
            code=g.text("code"),
            number=str(g.data.get("number", "")),
            title=g.text("title"),
            subject_kind=g.choice("subject_kind", SUBJECT_KINDS),
            criteria_set=g.text("criteria_set"),
            valid_from=g.day("valid_from", required=False),
            valid_to=g.day("valid_to", required=False),
            source=g.text("source"),
            unconfirmed=g.flag("unconfirmed", required=True),
            note=g.text("note", required=False),
        )
        if not CODE_RE.match(group.criteria_set):
            g.problem("criteria_set", "must be a criteria set code")
        groups.append(group)
    return tuple(groups)


def _parent(data: object, problems: list[str]) -> ParentMovement:
    f = _Fields(
        data, "movement.parent", problems, ("code", "title", "launched_on", "launched_by", "legal_source")
    )
    return ParentMovement(
        code=f.text("code"),
        title=f.text("title"),
        launched_on=f.day("launched_on", required=False),
        launched_by=f.text("launched_by"),
        legal_source=_parse_legal_source(
            f.data.get("legal_source"), "movement.parent.legal_source", problems
        ),
    )


def parse_movement(data: Mapping[str, Any]) -> Movement:
    problems: list[str] = []
    keys = ("code", "title", "legal_source", "parent", "valid_from", "valid_to", "purposes", "requirements")
    f = _Fields(data, "movement", problems, (*keys, "contents", "phases", "target_groups"))
    movement = Movement(
        code=f.text("code"),
        title=f.text("title"),
        legal_source=_parse_legal_source(f.data.get("legal_source"), "movement.legal_source", problems),
        parent=_parent(f.data.get("parent"), problems),
        valid_from=f.day("valid_from") or date.min,
        valid_to=f.day("valid_to", required=False),
        purposes=_text_items(f, "purposes"),
        requirements=_text_items(f, "requirements"),
        contents=_text_items(f, "contents"),
        phases=_phases(f),
        target_groups=_target_groups(f),
    )
    if problems:
        raise CriteriaSchemaError(problems)
    return movement


def load_movement(code: str = "ke-hoach-2557", data_dir: Path | None = None) -> Movement:
    """The movement ``data/movements/<code>.yaml``."""
    path = (data_dir or DATA_DIR) / "movements" / f"{code}.yaml"
    return parse_movement(read_yaml(path))


# --- targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    count: str
    model: str | None = None
    status: str = "valid"
    level: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class Target:
    code: str
    programme: str
    title: str
    values: tuple[tuple[int, Decimal | None], ...]
    unconfirmed_years: tuple[int, ...]
    method: str
    source: str
    unconfirmed: bool
    numerator: Count | None = None
    denominator: Count | None = None
    note: str = ""

    def value_for(self, year: int) -> Decimal | None:
        return dict(self.values).get(year)


@dataclass(frozen=True)
class Targets:
    programmes: tuple[tuple[str, LegalSource], ...]
    targets: tuple[Target, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "programmes": {code: _dump(source) for code, source in self.programmes},
            "targets": [_dump_target(t) for t in self.targets],
        }


def _dump_target(target: Target) -> object:
    result = _dump(target)
    assert isinstance(result, dict)
    result["values"] = {str(year): _dump(value) for year, value in target.values}
    return result


def _count(f: _Fields, key: str) -> Count | None:
    if f.data.get(key) is None:
        return None
    c = _Fields(f.data[key], f"{f.path}.{key}", f.problems, ("count", "model", "status", "level", "scope"))
    count = Count(
        count=c.choice("count", COUNT_ENTITIES),
        model=c.opt_text("model"),
        status=c.choice("status", STATUSES, default="valid"),
        level=c.opt_text("level"),
        scope=c.opt_text("scope"),
    )
    if count.count == "recognitions" and count.model not in MODELS:
        c.problem("model", f"recognitions need a model, one of {', '.join(MODELS)}")
    if count.count != "recognitions" and count.model is not None:
        c.problem("model", "only recognitions have a model")
    if count.scope is not None and count.scope not in SCOPES:
        c.problem("scope", f"must be one of {', '.join(SCOPES)}")
    return count


def _target(raw: object, path: str, programmes: set[str], problems: list[str]) -> Target:
    keys = ("code", "programme", "title", "values", "unconfirmed_years", "method", "numerator", "denominator")
    f = _Fields(raw, path, problems, (*keys, "source", "unconfirmed", "note"))
    values: list[tuple[int, Decimal | None]] = []
    raw_values = f.data.get("values")
    if not isinstance(raw_values, Mapping) or not raw_values:
        f.problem("values", "must map years to numbers (null when not known)")
        raw_values = {}
    for year, value in raw_values.items():
        number = None if value is None else f.number_of(value, f"values.{year}")
        if not str(year).isdigit():
            f.problem("values", f"{year!r} is not a year")
            continue
        values.append((int(str(year)), number))
    target = Target(
        code=f.text("code"),
        programme=f.text("programme"),
        title=f.text("title"),
        values=tuple(values),
        unconfirmed_years=tuple(int(str(y)) for y in f.items("unconfirmed_years") if str(y).isdigit()),
        method=f.choice("method", ("ratio", "reported")),
        source=f.text("source"),
        unconfirmed=f.flag("unconfirmed", required=True),
        numerator=_count(f, "numerator"),
        denominator=_count(f, "denominator"),
        note=f.text("note", required=False),
    )
    if target.programme not in programmes:
        f.problem("programme", "unknown programme")
    if (target.method == "ratio") != (target.numerator is not None and target.denominator is not None):
        f.problem("method", "a ratio target needs numerator and denominator; a reported one has neither")
    return target


def parse_targets(data: Mapping[str, Any]) -> Targets:
    problems: list[str] = []
    f = _Fields(data, "targets", problems, ("programmes", "targets"))
    raw_programmes = f.data.get("programmes")
    programmes: list[tuple[str, LegalSource]] = []
    if isinstance(raw_programmes, Mapping):
        for code, raw in raw_programmes.items():
            programmes.append((str(code), _parse_legal_source(raw, f"targets.programmes.{code}", problems)))
    else:
        f.problem("programmes", "must map programme codes to legal sources")
    known = {code for code, _ in programmes}
    targets = tuple(
        _target(raw, f"targets.targets[{i}]", known, problems)
        for i, raw in enumerate(f.items("targets", required=True))
    )
    codes = [t.code for t in targets]
    if len(set(codes)) != len(codes):
        problems.append("targets: duplicate target codes")
    if problems:
        raise CriteriaSchemaError(problems)
    return Targets(programmes=tuple(programmes), targets=targets)


def load_targets(data_dir: Path | None = None) -> Targets:
    """The programme targets of ``data/targets.yaml``."""
    return parse_targets(read_yaml((data_dir or DATA_DIR) / "targets.yaml"))
