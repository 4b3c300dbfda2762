"""Writes for criteria sets and province targets: import, activate, freeze, discard, sync, targets.

`actor=None` is the system (the `migrate` hook, the demo, operator commands run on the server); every
other actor needs Perm.CRITERIA_MANAGE (criteria are not unit-scoped; province targets are scoped to the
province). Every write records an audit entry in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
import random
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoctap.accounts.permissions import has_perm, require_perm
from hoctap.core.audit import audit_log
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError, TransitionError
from hoctap.core.permissions import Perm
from hoctap.criteria.models import CriteriaSet, CriteriaSetStatus, ProvinceTarget
from hoctap.criteria.problems import problems_vi
from hoctap.criteria.schema import (
    CriteriaSchemaError,
    CriteriaSetVersion,
    load_shipped_sets,
    load_targets,
)
from hoctap.units.models import Level, UnitVersion

Status = CriteriaSetStatus


class CriteriaImportError(ServiceError):
    """A set file cannot be imported; ``problems`` lists every problem (Vietnamese)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Không nạp được bộ tiêu chí:\n" + "\n".join(f"- {p}" for p in problems))


def _require_manage(actor: Any, unit: UnitVersion | None = None) -> None:
    """Criteria are not unit-scoped: without CRITERIA_VIEW they do not exist for the actor (404);
    with it but without CRITERIA_MANAGE the actor may look, not change (403)."""
    if actor is None:
        return
    if unit is not None:
        require_perm(actor, Perm.CRITERIA_MANAGE, unit)
    elif not has_perm(actor, Perm.CRITERIA_MANAGE):
        if has_perm(actor, Perm.CRITERIA_VIEW):
            raise PermissionDeniedError("Bạn không có quyền thay đổi bộ tiêu chí.")
        raise NotInScope("Không tìm thấy.")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_of(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def parse_set_content(content: bytes) -> CriteriaSetVersion:
    """A set file (YAML or JSON, UTF-8) as the validated dataclass; CriteriaImportError otherwise."""
    try:
        text = unicodedata.normalize("NFC", content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CriteriaImportError(["Tệp không phải văn bản UTF-8."]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark is not None else ""
        raise CriteriaImportError([f"Tệp không đúng cú pháp YAML/JSON{where}."]) from exc
    if not isinstance(data, Mapping):
        raise CriteriaImportError(["Tệp phải chứa một bảng khóa → giá trị (một bộ tiêu chí)."])
    try:
        return CriteriaSetVersion.from_dict(data)
    except CriteriaSchemaError as exc:
        raise CriteriaImportError(problems_vi(exc.problems)) from exc


def _fields_of(cs: CriteriaSetVersion) -> dict[str, Any]:
    source = cs.legal_source
    return {
        "title": cs.title[:300],
        "subject_kind": cs.subject_kind,
        "valid_from": cs.valid_from,
        "valid_to": cs.valid_to,
        "legal_number": source.number[:100],
        "legal_date": source.date,
        "legal_issuer": source.issuer[:300],
        "legal_title": source.title,
        "legal_url": source.url[:500],
        "unconfirmed": cs.unconfirmed,
    }


def _store(*, actor: Any, cs: CriteriaSetVersion, file_name: str) -> tuple[CriteriaSet, bool]:
    data = cs.to_dict()
    digest = sha256_of(data)
    existing = CriteriaSet.objects.filter(code=cs.code, version=cs.version).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise CriteriaImportError(
            [
                f"Bộ tiêu chí {cs.code} phiên bản {cs.version} đã có trong hệ thống với nội dung khác; "
                f"một phiên bản đã nạp không bao giờ bị sửa — hãy tăng số phiên bản (version: "
                f"{cs.version + 1})."
            ]
        )
    try:
        with transaction.atomic():
            record = CriteriaSet.objects.create(
                code=cs.code,
                version=cs.version,
                data=data,
                sha256=digest,
                status=Status.DRAFT,
                loaded_from=file_name[:255],
                created_by=_user(actor),
                **_fields_of(cs),
            )
    except IntegrityError as exc:
        raise TransitionError("Phiên bản này vừa được nạp bởi người khác; hãy tải lại trang.") from exc
    audit_log(
        actor=actor,
        action="criteria.set.imported",
        obj=record,
        data={"code": cs.code, "version": cs.version, "sha256": digest, "file": file_name},
    )
    return record, True


@transaction.atomic
def criteria_set_import(*, actor: Any, content: bytes, file_name: str) -> tuple[CriteriaSet, bool]:
    """Validate and store one set file as a draft; (record, created). Identical content is a no-op."""
    _require_manage(actor)
    cs = parse_set_content(content)
    return _store(actor=actor, cs=cs, file_name=file_name)


@transaction.atomic
def criteria_set_activate(*, actor: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    """Make this version the one active version of its code; the previous active one is retired."""
    _require_manage(actor)
    if criteria_set.status == Status.ACTIVE:
        raise TransitionError("Phiên bản này đang được áp dụng.")
    previous = (
        CriteriaSet.objects.filter(code=criteria_set.code, status=Status.ACTIVE)
        .exclude(pk=criteria_set.pk)
        .values_list("version", flat=True)
        .first()
    )
    CriteriaSet.objects.filter(code=criteria_set.code, status=Status.ACTIVE).exclude(
        pk=criteria_set.pk
    ).update(status=Status.RETIRED)
    try:
        with transaction.atomic():
            done = CriteriaSet.objects.filter(
                pk=criteria_set.pk, status__in=[Status.DRAFT, Status.RETIRED]
            ).update(status=Status.ACTIVE, activated_by=_user(actor), activated_at=timezone.now())
    except IntegrityError as exc:
        raise TransitionError("Một phiên bản khác vừa được áp dụng; hãy tải lại trang.") from exc
    if done != 1:
        raise TransitionError("Phiên bản này không còn ở trạng thái có thể áp dụng; hãy tải lại trang.")
    record = CriteriaSet.objects.get(pk=criteria_set.pk)
    audit_log(
        actor=actor,
        action="criteria.set.activated",
        obj=record,
        data={"code": record.code, "version": record.version, "retired_version": previous},
    )
    return record


@transaction.atomic
def criteria_set_freeze(*, criteria_set: CriteriaSet, actor: Any = None) -> CriteriaSet:
    """Mark the version as used by an assessment (idempotent, irreversible)."""
    done = CriteriaSet.objects.filter(pk=criteria_set.pk, frozen=False).update(
        frozen=True, frozen_at=timezone.now()
    )
    record = CriteriaSet.objects.get(pk=criteria_set.pk)
    if done == 1:
        audit_log(
            actor=actor,
            action="criteria.set.frozen",
            obj=record,
            data={"code": record.code, "version": record.version},
        )
    return record


@transaction.atomic
def criteria_set_discard(*, actor: Any, criteria_set: CriteriaSet) -> None:
    """Delete a draft that no assessment used; a frozen, active or retired version is never deleted."""
    _require_manage(actor)
    if criteria_set.frozen:
        raise TransitionError("Phiên bản đã được dùng để đánh giá nên bị khóa, không thể thay đổi hay xóa.")
    deleted, _ = CriteriaSet.objects.filter(pk=criteria_set.pk, status=Status.DRAFT, frozen=False).delete()
    if deleted != 1:
        raise TransitionError("Chỉ xóa được bản nháp chưa được dùng để đánh giá.")
    audit_log(
        actor=actor,
        action="criteria.set.discarded",
        data={"code": criteria_set.code, "version": criteria_set.version, "sha256": criteria_set.sha256},
    )


def criteria_sync_shipped(*, actor: Any = None) -> dict[str, list[str]]:
    """Load every shipped set file; a new version becomes active when its code has no active version.

    Never overwrites: a stored version whose content differs from the shipped file is a conflict."""
    _require_manage(actor)
    summary: dict[str, list[str]] = {"imported": [], "unchanged": [], "activated": [], "conflicts": []}
    by_code: dict[str, list[CriteriaSetVersion]] = {}
    for cs in load_shipped_sets():
        by_code.setdefault(cs.code, []).append(cs)
    for code, versions in by_code.items():
        with transaction.atomic():
            newest: CriteriaSet | None = None
            for cs in versions:
                try:
                    record, created = _store(actor=actor, cs=cs, file_name=f"{cs.key}.yaml")
                except CriteriaImportError as exc:
                    summary["conflicts"].extend(exc.problems)
                    continue
                summary["imported" if created else "unchanged"].append(cs.key)
                if created and (newest is None or record.version > newest.version):
                    newest = record
            if (
                newest is not None
                and not CriteriaSet.objects.filter(code=code, status=Status.ACTIVE).exists()
            ):
                criteria_set_activate(actor=actor, criteria_set=newest)
                summary["activated"].append(newest.key)
    return summary


def criteria_demo_step(scale: str, rng: random.Random) -> dict[str, Any]:
    """Demo: the shipped sets, and the province's targets equal to the national ones for 2025 and 2030."""
    summary = criteria_sync_shipped(actor=None)
    province = UnitVersion.objects.filter(level=Level.PROVINCE, code="44", valid_to__isnull=True).first()
    count = 0
    if province is not None:
        for target in load_targets().targets:
            for year, national in target.values:
                if national is not None and year in (2025, 2030):
                    province_target_set(
                        actor=None, unit=province, target_code=target.code, year=year, value=national
                    )
                    count += 1
    return {"criteria_sets": len(summary["imported"]) + len(summary["unchanged"]), "province_targets": count}


# --- province targets ------------------------------------------------------------------------------


def _as_percent(value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ServiceError("Giá trị chỉ tiêu phải là một số (tỉ lệ %).") from exc
    if not number.is_finite() or number < 0 or number > 100:
        raise ServiceError("Giá trị chỉ tiêu phải là tỉ lệ trong khoảng 0–100%.")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def province_target_set(
    *, actor: Any, unit: UnitVersion, target_code: str, year: int, value: object, note: str = ""
) -> ProvinceTarget:
    """Set the province's own value for a programme target; it may not be below the national value."""
    _require_manage(actor, unit)
    if unit.level != Level.PROVINCE:
        raise ServiceError("Chỉ tiêu riêng chỉ đặt cho đơn vị cấp tỉnh.")
    target = next((t for t in load_targets().targets if t.code == target_code), None)
    if target is None:
        raise ServiceError(f"Không có chỉ tiêu mã {target_code}.")
    if not 2023 <= year <= 2030:
        raise ServiceError("Năm của chỉ tiêu phải trong giai đoạn 2023–2030.")
    number = _as_percent(value)
    national = target.value_for(year)
    if national is not None and number < national:
        raise ServiceError(
            f"Chỉ tiêu của tỉnh ({number.normalize():f}%) không được thấp hơn chỉ tiêu quốc gia năm {year} "
            f"({national.normalize():f}%, {target.source})."
        )
    note = unicodedata.normalize("NFC", note.strip())
    existing = ProvinceTarget.objects.filter(unit=unit, target_code=target_code, year=year).first()
    now = timezone.now()
    if existing is None:
        try:
            with transaction.atomic():
                record = ProvinceTarget.objects.create(
                    unit=unit, target_code=target_code, year=year, value=number,
                    national_value=national, note=note, set_by=_user(actor), set_at=now,
                )  # fmt: skip
        except IntegrityError as exc:
            raise TransitionError("Chỉ tiêu này vừa được người khác đặt; hãy tải lại trang.") from exc
        previous = None
    else:
        if existing.value == number and existing.note == note:
            return existing
        done = ProvinceTarget.objects.filter(pk=existing.pk, value=existing.value).update(
            value=number, national_value=national, note=note, set_by=_user(actor), set_at=now
        )
        if done != 1:
            raise TransitionError("Chỉ tiêu này vừa được người khác sửa; hãy tải lại trang.")
        record, previous = ProvinceTarget.objects.get(pk=existing.pk), str(existing.value)
    audit_log(
        actor=actor,
        action="criteria.province_target.set",
        obj=record,
        unit=unit,
        data={"target": target_code, "year": year, "value": str(number), "previous": previous},
    )
    return record
