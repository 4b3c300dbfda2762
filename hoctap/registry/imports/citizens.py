"""Citizens: one row per person, attached to a household of the commune by Mã hộ or the head's CCCD.

Keyed by CCCD when given, otherwise by (household, name, birth date).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from hoctap.core.sheets import Column, ParsedRow, SheetResult, SheetSpec, read_sheet
from hoctap.registry.cccd import is_well_formed, validate_cccd
from hoctap.registry.imports.base import ImportContext, Importer, ImportPlan, register_importer
from hoctap.registry.imports.bulk import end_periods, fast_fold, insert_rows, public_ids, update_rows
from hoctap.registry.imports.common import (
    ETHNICITIES,
    RELATIONSHIPS,
    SEX_LABELS,
    SEX_VALUES,
    VillageIndex,
    cell_error,
    lost_zero_check,
    rows_by_key,
)
from hoctap.registry.models import Citizen, Household, HouseholdMembership

FIELDS = ("full_name", "sex", "birth_date", "ethnicity", "household_id", "relationship", "cccd")

SPEC = SheetSpec(
    kind="citizens",
    title="Công dân",
    columns=[
        Column("Mã hộ", "household", "text", required=True, max_length=20,
               aliases=("Số CCCD chủ hộ", "Mã hộ hoặc số CCCD chủ hộ", "Mã hộ/Số CCCD chủ hộ"),
               help="Mã hộ đã cấp, hoặc số CCCD của chủ hộ (12 chữ số): hộ phải đã có trong xã."),
        Column("Họ và tên", "full_name", "text", required=True, max_length=200),
        Column("Số CCCD", "cccd", "code", length=12, help="Không bắt buộc với trẻ em chưa có CCCD."),
        Column("Ngày sinh", "birth_date", "date", required=True),
        Column("Giới tính", "sex", "choice", required=True, choices=SEX_LABELS),
        Column("Dân tộc", "ethnicity", "choice", choices=ETHNICITIES, help="Để trống là Kinh."),
        Column("Quan hệ với chủ hộ", "relationship", "choice", choices=RELATIONSHIPS),
    ],
    instructions=[
        "Mỗi dòng là một người. Cột đầu là Mã hộ hoặc số CCCD chủ hộ (tiêu đề có thể là một trong hai).",
        "Hộ phải có sẵn trong xã: hãy nhập danh sách hộ gia đình trước.",
        "Người có số CCCD được nhận theo số CCCD; người chưa có CCCD được nhận theo hộ, họ tên và ngày sinh.",
        "Nhập lại cùng tệp không tạo người trùng mà cập nhật người đã có.",
        "Tệp có bất kỳ dòng lỗi nào sẽ không được nhập; tải báo cáo lỗi, sửa các ô tô đỏ rồi nhập lại.",
    ],
)  # fmt: skip


class CitizenImporter(Importer):
    kind = "citizens"
    label = "Công dân"

    def spec(self) -> SheetSpec:
        return SPEC

    def example_rows(self, ctx: ImportContext | None) -> list[dict[str, object]]:
        return [{"household": "044085000123", "full_name": "Nguyễn Văn An", "cccd": "044085000123",
                 "birth_date": date(1985, 9, 5), "sex": "Nam", "ethnicity": "Kinh", "relationship": "Chủ hộ"},
                {"household": "044085000123", "full_name": "Nguyễn Thị Bình", "birth_date": date(2016, 3, 1),
                 "sex": "Nữ", "ethnicity": "Kinh", "relationship": "Con"}]  # fmt: skip

    def read(self, data: bytes, ctx: ImportContext) -> SheetResult:
        today = timezone.localdate()
        lost_zero = lost_zero_check(SPEC, "household", 12)

        def check_row(row: ParsedRow) -> list[Any]:
            v, n = row.values, row.row_number
            errors = []
            v["household"] = str(v["household"]).upper()
            if (problem := lost_zero(n, v["household"])) is not None:
                errors.append(problem)
            if v["birth_date"] > today:  # type: ignore[operator]
                errors.append(cell_error(SPEC, n, "birth_date", "ngày sinh ở tương lai.", v["birth_date"]))
            if v["cccd"]:
                problems = validate_cccd(v["cccd"], birth_date=v["birth_date"], sex=SEX_VALUES[v["sex"]])  # type: ignore[arg-type,index]
                if problems:
                    errors.append(cell_error(SPEC, n, "cccd", " ".join(problems), v["cccd"]))
            v["name_key"] = (v["household"], fast_fold(str(v["full_name"])), v["birth_date"])
            return errors

        return read_sheet(data, SPEC, row_validator=check_row, unique_keys=["cccd"])

    def check(self, result: SheetResult, ctx: ImportContext) -> ImportPlan:
        villages = VillageIndex(ctx).ids
        rows = result.rows
        keys = {r.values["household"] for r in rows}
        by_code = rows_by_key(Household, "code", keys, ["id", "village_id"])
        by_head = rows_by_key(
            Household, "head_cccd", {k for k in keys if is_well_formed(str(k))}, ["id", "village_id"]
        )
        by_cccd = rows_by_key(
            Citizen, "cccd", (r.values["cccd"] for r in rows), ["id", "household__village_id", *FIELDS]
        )
        plan = ImportPlan(payload={"create": [], "update": [], "moves": {}})
        households: dict[int, int] = {}  # row number -> household id
        for row in rows:
            found = by_head.get(row.values["household"]) or by_code.get(row.values["household"])
            if found is None or found[2] not in villages:
                message = f"không có hộ mã hoặc số CCCD chủ hộ {row.values['household']} trong xã này."
                plan.errors.append(
                    cell_error(SPEC, row.row_number, "household", message, row.values["household"])
                )
                continue
            households[row.row_number] = found[1]
        by_name = _citizens_by_name(set(households.values()))
        seen_names: dict[tuple[Any, ...], int] = {}
        for row in rows:
            if row.row_number in households:
                self._plan_row(row, households[row.row_number], by_cccd, by_name, villages, seen_names, plan)
        return plan

    @staticmethod
    def _plan_row(
        row: ParsedRow,
        household_id: int,
        by_cccd: dict[object, tuple[Any, ...]],
        by_name: dict[tuple[Any, ...], tuple[Any, ...]],
        villages: set[int],
        seen: dict[tuple[Any, ...], int],
        plan: ImportPlan,
    ) -> None:
        v, n = row.values, row.row_number
        name_key = (household_id, fast_fold(str(v["full_name"])), v["birth_date"])
        if not v["cccd"]:
            first = seen.setdefault(name_key, n)
            if first != n:
                plan.errors.append(
                    cell_error(
                        SPEC,
                        n,
                        "full_name",
                        f"trùng người ở dòng {first} (cùng hộ, họ tên, ngày sinh).",
                        v["full_name"],
                    )
                )
                return
        new = (v["full_name"], SEX_VALUES[v["sex"]], v["birth_date"], v["ethnicity"] or "Kinh", household_id,  # type: ignore[index]
               v["relationship"] or "", v["cccd"] or None)  # fmt: skip
        found = by_cccd.get(v["cccd"]) if v["cccd"] else None
        if found is not None and found[2] not in villages:
            message = "số CCCD này đã thuộc một công dân ở đơn vị khác."
            plan.errors.append(cell_error(SPEC, n, "cccd", message, v["cccd"]))
            return
        old = found[1:2] + found[3:] if found is not None else by_name.get(name_key)
        if old is None:
            plan.payload["create"].append(new)
            plan.created += 1
        elif tuple(old[1:]) == new or (not v["cccd"] and tuple(old[1:-1]) == new[:-1]):
            plan.unchanged += 1
        else:
            kept = new if v["cccd"] else (*new[:-1], old[-1])
            plan.payload["update"].append((old[0], *kept))
            if old[5] != household_id:
                plan.payload["moves"][old[0]] = household_id
            plan.updated += 1

    def apply(self, plan: ImportPlan, ctx: ImportContext) -> None:
        now = timezone.now()
        create = plan.payload["create"]
        ids = sorted(public_ids(len(create)))  # key order: cheaper for the unique index (households.py)
        columns = ["public_id", *FIELDS, "name_search", "household_since", "import_batch_id", "created_at",
                   "updated_at"]  # fmt: skip
        rows = [
            (ids[i], *row, fast_fold(row[0]), ctx.on, ctx.batch_id, now, now) for i, row in enumerate(create)
        ]
        insert_rows(Citizen, columns, rows)
        # the moved citizens' earlier household (and relationship) become history before the update (ADR 0006)
        end_periods(HouseholdMembership, owner="citizen", place="household", moves=plan.payload["moves"],
                    on=ctx.on, since="household_since", carried=["relationship"])  # fmt: skip
        updates = [(*row, fast_fold(row[1]), now) for row in plan.payload["update"]]
        update_rows(Citizen, [*FIELDS, "name_search", "updated_at"], updates)


def _citizens_by_name(household_ids: set[int]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Citizens of these households by (household, folded name, birth date): (id, *FIELDS)."""
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    qs = Citizen.objects.filter(household_id__in=household_ids).values_list("id", *FIELDS, "name_search")
    for row in qs.iterator(chunk_size=5000):
        found[(row[5], row[-1], row[3])] = row[:-1]
    return found


register_importer(CitizenImporter())
