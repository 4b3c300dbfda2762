"""Villages (thôn, bản, tổ dân phố) of one commune, keyed by the diacritic-insensitive name."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hoctap.core.sheets import Column, ParsedRow, SheetResult, SheetSpec, read_sheet
from hoctap.registry.imports.base import ImportContext, Importer, ImportPlan, register_importer
from hoctap.registry.imports.bulk import fast_fold, insert_rows, update_rows
from hoctap.registry.imports.common import cell_error
from hoctap.units.models import Village, VillageKind, VillageParent
from hoctap.units.selectors import villages_of_commune

KIND_BY_LABEL = {label: value for value, label in VillageKind.choices}

SPEC = SheetSpec(
    kind="villages",
    title="Thôn, tổ dân phố",
    columns=[
        Column("Tên thôn/tổ dân phố", "name", "text", required=True, max_length=200,
               aliases=("Tên thôn, tổ dân phố", "Tên thôn"),
               help="Tên đầy đủ, ví dụ “Thôn Tân Lập” hoặc “Tổ dân phố 3”."),
        Column("Loại", "kind", "choice", required=True, choices=list(KIND_BY_LABEL)),
        Column("Ngày thành lập", "founded", "date", help="Không bắt buộc; để trống thì lấy ngày nhập."),
    ],
    instructions=[
        "Mỗi dòng là một thôn, bản hoặc tổ dân phố của xã đã chọn khi nhập.",
        "Tên được so khớp không phân biệt dấu và hoa thường: "
        "thôn đã có sẽ được cập nhật loại, không tạo trùng.",
        "Ngày thành lập chỉ dùng khi tạo mới.",
    ],
)  # fmt: skip


class VillageImporter(Importer):
    kind = "villages"
    label = "Thôn, tổ dân phố"

    def spec(self) -> SheetSpec:
        return SPEC

    def example_rows(self, ctx: ImportContext | None) -> list[dict[str, object]]:
        return [{"name": "Thôn Tân Lập", "kind": "Thôn"}, {"name": "Tổ dân phố 3", "kind": "Tổ dân phố"}]

    def read(self, data: bytes, ctx: ImportContext) -> SheetResult:
        today = timezone.localdate()

        def check_row(row: ParsedRow) -> list[Any]:
            founded = row.values["founded"]
            row.values["folded"] = fast_fold(str(row.values["name"]))
            if founded is not None and founded > today:  # type: ignore[operator]
                return [cell_error(SPEC, row.row_number, "founded", "ngày thành lập ở tương lai.", founded)]
            return []

        result = read_sheet(data, SPEC, row_validator=check_row)
        seen: dict[object, int] = {}
        for row in result.rows:
            first = seen.setdefault(row.values.get("folded"), row.row_number)
            if first != row.row_number and row.values.get("folded"):
                message = f"trùng tên với dòng {first} (không phân biệt dấu)."
                result.errors.append(cell_error(SPEC, row.row_number, "name", message, row.values["name"]))
        result.errors.sort(key=lambda e: (e.row_number, e.column_letter))
        return result

    def check(self, result: SheetResult, ctx: ImportContext) -> ImportPlan:
        existing = {
            fast_fold(name): (pk, kind)
            for pk, name, kind in villages_of_commune(commune=ctx.unit, on=ctx.on).values_list(
                "pk", "name", "kind"
            )
        }
        plan = ImportPlan(payload={"create": [], "update": []})
        for row in result.rows:
            kind = KIND_BY_LABEL[row.values["kind"]]  # type: ignore[index]
            found = existing.get(str(row.values["folded"]))
            if found is None:
                plan.payload["create"].append((row.values["name"], kind, row.values["founded"] or ctx.on))
                plan.created += 1
            elif found[1] != kind:
                plan.payload["update"].append((found[0], kind))
                plan.updated += 1
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan: ImportPlan, ctx: ImportContext) -> None:
        now = timezone.now()
        created = Village.objects.bulk_create(
            [
                Village(name=name, name_search=fast_fold(name), kind=kind, valid_from=founded, created_at=now)
                for name, kind, founded in plan.payload["create"]
            ]
        )
        if created and created[0].pk is None:  # backends without RETURNING: find them by name
            names = [v.name for v in created]
            created = list(Village.objects.filter(name__in=names, created_at=now))
        parents = [(v.pk, ctx.unit.pk, max(v.valid_from, ctx.unit.valid_from)) for v in created]
        insert_rows(VillageParent, ["village_id", "commune_id", "valid_from"], parents)
        update_rows(Village, ["kind"], plan.payload["update"])


register_importer(VillageImporter())
