"""`hoctap import recognitions FILE --model MODEL --unit CODE --year YYYY`: a round's results from Excel.

One row per subject, one column per indicator of the criteria set used by the round (headers `1.1`, `1.2`…
after the key and name). Every row is evaluated with the one evaluation function; a row whose answers
cannot be evaluated (missing, out of range) is an error and nothing is written. The round of that commune,
model and year is opened if it does not exist yet; it must still be a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone

from hoctap.core.audit import audit_log
from hoctap.core.permissions import Perm
from hoctap.core.sheets import CellError, Column, ParsedRow, SheetResult, SheetSpec, read_sheet
from hoctap.core.text import fold
from hoctap.criteria.evaluation import EvaluationInputError, evaluate
from hoctap.criteria.schema import CriteriaSetVersion
from hoctap.recognitions.criteria import compute_context, criteria_set, criteria_set_for_model
from hoctap.recognitions.models import Assessment, Model, Round
from hoctap.recognitions.services import EVALUATED_FIELDS, assessment_result_fields, subject_fields
from hoctap.registry.imports.base import ImportContext, Importer, ImportPlan, register_importer
from hoctap.registry.models import Citizen, Household
from hoctap.units.models import VillageParent, valid_on_q

YES, NO = "Có", "Không"


@dataclass(frozen=True)
class _Key:
    header: str
    key: str
    kind: Literal["code"]
    length: int | None


KEYS: dict[str, _Key] = {
    Model.GDHT: _Key("Mã hộ", "subject", "code", None),
    Model.CDHT: _Key("Số CCCD", "subject", "code", 12),
}


def _options(ctx: ImportContext | None) -> tuple[str, int]:
    options = ctx.options if ctx else {}
    model, year = options.get("model"), options.get("year")
    if model not in KEYS:
        supported = ", ".join(KEYS)
        raise ValueError(f"Nhập kết quả công nhận cần --model là một trong: {supported}.")
    if not year:
        raise ValueError("Nhập kết quả công nhận cần --year YYYY.")
    return str(model), int(year)


def _indicator_columns(cs: CriteriaSetVersion) -> list[Column]:
    columns: dict[str, Column] = {}
    for tree in cs.criteria_trees():
        for criterion in tree:
            for ind in criterion.indicators:
                if ind.kind == "computed" or ind.code in columns:
                    continue
                if ind.kind == "yes_no":
                    columns[ind.code] = Column(
                        ind.code, ind.code, "choice", required=True, choices=[YES, NO], help=ind.title
                    )
                elif ind.kind == "choice":
                    columns[ind.code] = Column(
                        ind.code,
                        ind.code,
                        "choice",
                        required=True,
                        choices=[o.label for o in ind.options],
                        help=ind.title,
                    )
                else:
                    maximum = f" (tối đa {ind.max})" if ind.max is not None else ""
                    columns[ind.code] = Column(
                        ind.code, ind.code, "decimal", required=True, help=f"{ind.title}{maximum}"
                    )
    return sorted(columns.values(), key=lambda c: tuple(int(p) for p in c.header.split(".")))


def spec_for_round(model: str, cs: CriteriaSetVersion) -> SheetSpec:
    key = KEYS[model]
    columns = [
        Column(key.header, "subject", key.kind, required=True, length=key.length),
        Column("Họ và tên", "name", "text", required=True, max_length=200),
    ]
    if cs.subject_groups:
        columns.append(
            Column(
                "Nhóm đối tượng",
                "group",
                "choice",
                required=True,
                choices=[g.title for g in cs.subject_groups],
            )
        )
    columns += _indicator_columns(cs)
    return SheetSpec(
        kind="recognitions",
        title=f"{Model(model).label} — {cs.title} ({cs.legal_source.number})",
        columns=columns,
        instructions=[
            f"Mỗi dòng là một đối tượng xét danh hiệu {Model(model).label}.",
            "Cột chỉ tiêu ghi điểm, hoặc Có/Không.",
            f"Bộ tiêu chí: {cs.title}, {cs.legal_source.number}, phiên bản {cs.version}.",
            "Họ và tên phải khớp với danh bạ (không phân biệt dấu) để tránh nhập nhầm dòng.",
            "Tệp có bất kỳ dòng lỗi nào sẽ không được ghi; báo cáo lỗi chỉ rõ dòng và cột.",
        ],
    )  # fmt: skip


class RecognitionImporter(Importer):
    kind = "recognitions"
    label = "Kết quả đánh giá danh hiệu"
    perm = Perm.RECOGNITION_EDIT

    def spec(self) -> SheetSpec:
        return spec_for_round(
            Model.GDHT, criteria_set_for_model(model=Model.GDHT, year=timezone.localdate().year)
        )

    def spec_for(self, ctx: ImportContext | None) -> SheetSpec:
        model, year = _options(ctx)
        return spec_for_round(model, criteria_set_for_model(model=model, year=year))

    def read(self, data: bytes, ctx: ImportContext) -> SheetResult:
        return read_sheet(data, self.spec_for(ctx), unique_keys=("subject",))

    def check(self, result: SheetResult, ctx: ImportContext) -> ImportPlan:
        model, year = _options(ctx)
        rnd = Round.objects.filter(commune=ctx.unit, model=model, year=year).first()
        if rnd is not None and rnd.status != Round.Status.DRAFT:
            message = f"Đợt công nhận đang ở trạng thái “{rnd.get_status_display()}”: không nhập thêm được."
            return ImportPlan(errors=[CellError(result.header_row_number, "", "", None, message)])
        cs = (
            criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
            if rnd
            else criteria_set_for_model(model=model, year=year)
        )
        subjects = _subjects(model, ctx, [str(r.values["subject"]) for r in result.rows])
        existing = _existing(rnd)
        plan = ImportPlan(payload={"round": rnd, "criteria": cs, "rows": []})
        for row in result.rows:
            self._check_row(row, result.spec, cs, subjects, existing, plan, year)
        return plan

    def _check_row(
        self,
        row: ParsedRow,
        spec: SheetSpec,
        cs: CriteriaSetVersion,
        subjects: dict[str, Any],
        existing: dict[int, Assessment],
        plan: ImportPlan,
        year: int,
    ) -> None:
        subject = subjects.get(str(row.values["subject"]))
        name_col = next(c for c in spec.columns if c.key == "name")
        if subject is None:
            plan.errors.append(
                spec.cell_error(
                    row_number=row.row_number,
                    key="subject",
                    value=row.values["subject"],
                    message="không có trong danh bạ của xã (còn cư trú).",
                )
            )
            return
        if fold(str(row.values["name"])) != fold(_name_of(subject)):
            plan.errors.append(
                spec.cell_error(
                    row_number=row.row_number,
                    key=name_col.key,
                    value=row.values["name"],
                    message=f"không khớp với danh bạ ({_name_of(subject)}).",
                )
            )
            return
        group = _group_code(cs, row.values.get("group"))
        answers = _answers(cs, row, group)
        context = compute_context(cs=cs, subject=subject, year=year)
        try:
            result = evaluate(
                criteria_set=cs,
                answers=answers,
                context=context,
                evaluated_on=timezone.localdate(),
                subject_group=group,
            )
        except EvaluationInputError as exc:
            plan.errors.append(
                spec.cell_error(
                    row_number=row.row_number, key="subject", value=row.values["subject"], message=str(exc)
                )
            )
            return
        old = existing.get(subject.pk)
        if old is None:
            plan.created += 1
        elif old.answers == answers and old.status == Assessment.Status.ASSESSED:
            plan.unchanged += 1
            return
        else:
            plan.updated += 1
        plan.payload["rows"].append((subject, answers, group or "", context, result, old))

    def apply(self, plan: ImportPlan, ctx: ImportContext) -> None:
        model, year = _options(ctx)
        rnd: Round | None = plan.payload["round"]
        cs: CriteriaSetVersion = plan.payload["criteria"]
        if rnd is None:
            rnd = Round.objects.create(
                commune=ctx.unit,
                model=model,
                year=year,
                criteria_code=cs.code,
                criteria_version=cs.version,
                created_by=_user(ctx.actor),
            )
            audit_log(
                actor=ctx.actor,
                action="recognitions.round.created",
                obj=rnd,
                unit=ctx.unit,
                data={"model": model, "year": year, "criteria": cs.key, "via": "import"},
            )
        _write(rnd, cs, plan.payload["rows"], ctx)
        audit_log(
            actor=ctx.actor,
            action="recognitions.round.imported",
            obj=rnd,
            unit=ctx.unit,
            data={"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged},
        )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _name_of(subject: Any) -> str:
    return subject.head_name if isinstance(subject, Household) else subject.full_name


def _subjects(model: str, ctx: ImportContext, keys: list[str]) -> dict[str, Any]:
    villages = VillageParent.objects.filter(valid_on_q(timezone.localdate()), commune=ctx.unit).values(
        "village_id"
    )
    if model == Model.GDHT:
        households = Household.objects.filter(village__in=villages, code__in=[k.upper() for k in keys])
        return {h.code: h for h in households.select_related("village")}
    citizens = Citizen.objects.filter(household__village__in=villages, cccd__in=keys)
    return {c.cccd: c for c in citizens.select_related("household__village") if c.cccd}


def _existing(rnd: Round | None) -> dict[int, Assessment]:
    if rnd is None:
        return {}
    field = "household_id" if rnd.model == Model.GDHT else "citizen_id"
    return {getattr(a, field): a for a in rnd.assessments.all()}


def _group_code(cs: CriteriaSetVersion, title: object) -> str | None:
    if not cs.subject_groups:
        return None
    return next((g.code for g in cs.subject_groups if g.title == title), None)


def _answers(cs: CriteriaSetVersion, row: ParsedRow, group: str | None) -> dict[str, object]:
    trees = (
        [g.criteria for g in cs.subject_groups if g.code == group] if group else list(cs.criteria_trees())[:1]
    )
    answers: dict[str, object] = {}
    for tree in trees:
        for criterion in tree:
            for ind in criterion.indicators:
                if ind.kind == "computed":
                    continue
                value = row.values.get(ind.code)
                if ind.kind == "yes_no":
                    answers[ind.code] = value == YES
                elif ind.kind == "choice":
                    answers[ind.code] = next((o.code for o in ind.options if o.label == value), value)
                elif isinstance(value, Decimal):
                    answers[ind.code] = str(value)
                else:
                    answers[ind.code] = value
    return answers


def _write(rnd: Round, cs: CriteriaSetVersion, rows: list[tuple[Any, ...]], ctx: ImportContext) -> None:
    new, changed = [], []
    for subject, answers, group, context, result, old in rows:
        fields = {
            "source": Assessment.Source.IMPORT,
            **assessment_result_fields(
                actor=ctx.actor, cs=cs, answers=answers, context=context, subject_group=group, result=result
            ),
        }
        if old is None:
            identity = subject_fields(subject)
            new.append(
                Assessment(round=rnd, **{k: v for k, v in identity.items() if v is not None}, **fields)
            )
        else:
            for name, value in fields.items():
                setattr(old, name, value)
            changed.append(old)
    Assessment.objects.bulk_create(new, batch_size=1000)
    if changed:
        Assessment.objects.bulk_update(changed, ["source", *EVALUATED_FIELDS], batch_size=1000)


register_importer(RecognitionImporter())
