"""Clans (dòng họ) of one commune: one row per member household, or several CCCDs in one cell.

Rows with the same name and branch are one clan, keyed by (commune, name, branch).
"""

from __future__ import annotations

import re
from typing import Any

from hoctap.core.sheets import Column, ParsedRow, SheetResult, SheetSpec, read_sheet
from hoctap.registry.cccd import is_well_formed
from hoctap.registry.imports.base import ImportContext, Importer, ImportPlan, register_importer
from hoctap.registry.imports.bulk import fast_fold, insert_rows, update_rows
from hoctap.registry.imports.common import VillageIndex, cell_error, rows_by_key
from hoctap.registry.models import Clan, ClanMembership, Household

_SEPARATORS = re.compile(r"[\s,;]+")

SPEC = SheetSpec(
    kind="clans",
    title="Dòng họ",
    columns=[
        Column("Tên dòng họ", "name", "text", required=True, max_length=200, help="Ví dụ “Họ Nguyễn”."),
        Column("Chi, nhánh", "branch", "text", max_length=200, aliases=("Chi nhánh", "Chi/nhánh")),
        Column("Người đại diện", "representative", "text", max_length=200, help="Trưởng họ hoặc trưởng chi."),
        Column("Số CCCD chủ hộ thành viên", "members", "text", max_length=4000,
               help="Số CCCD của chủ một hộ thành viên; có thể ghi nhiều số, cách nhau bởi dấu phẩy."),
    ],
    instructions=[
        "Mỗi dòng là một hộ thành viên của một dòng họ (hoặc chi, nhánh): lặp lại tên dòng họ và chi, nhánh "
        "trên mỗi dòng, hoặc ghi nhiều số CCCD chủ hộ trong một ô, cách nhau bởi dấu phẩy.",
        "Các dòng cùng tên dòng họ và cùng chi, nhánh là một dòng họ; người đại diện ghi ở một dòng là đủ, "
        "các dòng khác để trống hoặc ghi giống hệt.",
        "Hộ thành viên phải đã có trong xã (nhận theo số CCCD chủ hộ).",
        "Nhập lại cùng tệp không tạo dòng họ trùng; hộ đã là thành viên được giữ nguyên.",
    ],
)  # fmt: skip


class ClanImporter(Importer):
    kind = "clans"
    label = "Dòng họ"

    def spec(self) -> SheetSpec:
        return SPEC

    def example_rows(self, ctx: ImportContext | None) -> list[dict[str, object]]:
        return [{"name": "Họ Nguyễn", "branch": "Chi 2", "representative": "Nguyễn Văn An",
                 "members": "044085000123, 044087000456"}]  # fmt: skip

    def read(self, data: bytes, ctx: ImportContext) -> SheetResult:
        def check_row(row: ParsedRow) -> list[Any]:
            v = row.values
            v["branch"] = v["branch"] or ""
            v["representative"] = v["representative"] or ""
            v["key"] = (fast_fold(str(v["name"])), fast_fold(str(v["branch"])))
            cccds = [c for c in _SEPARATORS.split(str(v["members"] or "")) if c]
            bad = [c for c in cccds if not is_well_formed(c)]
            v["cccds"] = cccds
            if bad:
                message = f"số CCCD phải gồm đúng 12 chữ số: {', '.join(bad)}."
                return [cell_error(SPEC, row.row_number, "members", message, v["members"])]
            return []

        result = read_sheet(data, SPEC, row_validator=check_row)
        representatives: dict[object, tuple[str, int]] = {}
        for row in result.rows:
            rep = row.values.get("representative")
            if not rep:
                continue
            first = representatives.setdefault(row.values["key"], (str(rep), row.row_number))
            if fast_fold(first[0]) != fast_fold(str(rep)):
                message = f"khác người đại diện “{first[0]}” đã ghi ở dòng {first[1]} cho cùng dòng họ."
                result.errors.append(cell_error(SPEC, row.row_number, "representative", message, rep))
        result.errors.sort(key=lambda e: (e.row_number, e.column_letter))
        return result

    def check(self, result: SheetResult, ctx: ImportContext) -> ImportPlan:
        villages = VillageIndex(ctx).ids
        all_cccds = {c for row in result.rows for c in row.values["cccds"]}  # type: ignore[attr-defined]
        heads = rows_by_key(Household, "head_cccd", all_cccds, ["id", "village_id"])
        existing = {
            (fast_fold(name), fast_fold(branch)): (pk, representative)
            for pk, name, branch, representative in Clan.objects.filter(commune=ctx.unit).values_list(
                "pk", "name", "branch", "representative"
            )
        }
        members = set(
            ClanMembership.objects.filter(clan__commune=ctx.unit, valid_to__isnull=True).values_list(
                "clan_id", "household_id"
            )
        )
        clans: dict[object, dict[str, Any]] = {}
        plan = ImportPlan(payload={"clans": clans})
        for row in result.rows:
            v = row.values
            key: tuple[str, str] = v["key"]  # type: ignore[assignment]
            clan = clans.setdefault(key, {"name": v["name"], "branch": v["branch"], "representative": "",
                                          "households": set(), "existing": existing.get(key),
                                          "is_new": key not in existing})  # fmt: skip
            clan["representative"] = clan["representative"] or v["representative"]
            for cccd in v["cccds"]:  # type: ignore[attr-defined]
                head = heads.get(cccd)
                if head is None or head[2] not in villages:
                    message = f"không có hộ nào trong xã có số CCCD chủ hộ {cccd}."
                    plan.errors.append(cell_error(SPEC, row.row_number, "members", message, v["members"]))
                    continue
                clan["households"].add(head[1])
        for clan in clans.values():
            found = clan["existing"]
            clan_id = found[0] if found else None
            clan["new_members"] = sorted(h for h in clan["households"] if (clan_id, h) not in members)
            if found is None:
                plan.created += 1
            elif clan["new_members"] or (clan["representative"] and clan["representative"] != found[1]):
                plan.updated += 1
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan: ImportPlan, ctx: ImportContext) -> None:
        clans = plan.payload["clans"].values()
        new = [c for c in clans if c["is_new"]]
        made = Clan.objects.bulk_create(
            [
                Clan(name=c["name"], branch=c["branch"], name_search=fast_fold(f"{c['name']} {c['branch']}"),
                     commune=ctx.unit, representative=c["representative"], registered_on=ctx.on,
                     import_batch_id=ctx.batch_id)
                for c in new
            ]
        )  # fmt: skip
        ids = {(fast_fold(c.name), fast_fold(c.branch)): c.pk for c in made}
        if made and made[0].pk is None:
            stored = Clan.objects.filter(import_batch_id=ctx.batch_id).values_list("pk", "name", "branch")
            ids = {(fast_fold(n), fast_fold(b)): pk for pk, n, b in stored}
        for clan in new:
            clan["existing"] = (
                ids[(fast_fold(clan["name"]), fast_fold(clan["branch"]))],
                clan["representative"],
            )
        updates = [
            (c["existing"][0], c["representative"])
            for c in clans
            if not c["is_new"] and c["representative"] and c["representative"] != c["existing"][1]
        ]
        update_rows(Clan, ["representative"], updates)
        rows = [(c["existing"][0], h, ctx.on) for c in clans for h in c["new_members"]]
        insert_rows(ClanMembership, ["clan_id", "household_id", "valid_from"], rows)


register_importer(ClanImporter())
