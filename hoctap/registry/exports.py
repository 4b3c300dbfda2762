"""Excel exports of the registry lists: the rows a list shows (same scope and filters), in the import format.

The household export starts with the columns of the household import sheet, in its order (the file can be
corrected and imported again); the columns after "Mã hộ" are for reading and are ignored by the import.
CCCD numbers are masked unless the user may see full numbers in the household's commune; every export is
audited with its filters, its row count and how many full numbers it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hoctap.accounts.permissions import scope_for
from hoctap.core.audit import audit_log
from hoctap.core.permissions import Perm
from hoctap.core.sheets import write_table
from hoctap.registry.cccd import mask_cccd
from hoctap.registry.filters import household_filters, households_listed
from hoctap.registry.imports.households import SPEC as HOUSEHOLD_SPEC
from hoctap.registry.models import ExportFile, Household, HouseholdStatus, Sex
from hoctap.registry.selectors import village_ids_of_households_on
from hoctap.units.models import UnitVersion, Village, VillageParent, valid_on_q

CHUNK = 5_000
EXPORT_DIR = "exports"
SYNC_LIMIT_ROWS = 50_000  # larger lists are built by a background task (a province: ~26 s for 475,000)
HOUSEHOLD_EXTRA = ["Xã, phường", "Tình trạng", "Ở thôn từ ngày"]
HOUSEHOLD_HEADERS = [column.header for column in HOUSEHOLD_SPEC.columns] + HOUSEHOLD_EXTRA
_FIELDS = ("pk", "village_id", "status", "village_since", "head_name", "head_cccd", "head_birth_date",
           "head_sex", "member_count", "address", "code")  # fmt: skip
_SEX = dict(Sex.choices)
_STATUS = {value: str(label) for value, label in HouseholdStatus.choices}


def household_export(
    *, actor: Any, households: QuerySet[Household], out: Path, on: date | None, filters: dict[str, str]
) -> int:
    """Write ``households`` (already scoped and filtered) to ``out``; returns the number of rows.

    ``on``: the list is as of that past day, so each household's village and commune are those of that day.
    """
    full = scope_for(actor, Perm.REGISTRY_VIEW_CCCD)
    commune_of = _commune_by_village(on or timezone.localdate())
    # the right to full CCCD numbers follows the household's commune today, also in a list of a past day
    today_commune = commune_of if on is None else _commune_by_village(timezone.localdate())
    commune_names = dict(
        UnitVersion.objects.filter(pk__in=set(commune_of.values())).values_list("pk", "name")
    )
    village_names = dict(Village.objects.values_list("pk", "name"))
    counts = {"full_cccd": 0}

    def rows() -> Iterator[list[object]]:
        for chunk in _chunks(households.values_list(*_FIELDS)):
            places = village_ids_of_households_on([r[:4] for r in chunk], on) if on else {}
            for pk, village_id, status, since, name, cccd, born, sex, members, address, code in chunk:
                place = places.get(pk) if on else village_id
                shown = ""
                if cccd:
                    if full.has_unit(today_commune.get(village_id)):
                        shown, counts["full_cccd"] = cccd, counts["full_cccd"] + 1
                    else:
                        shown = mask_cccd(cccd)
                yield [
                    village_names.get(place, "") if place else "", name, shown, born, _SEX.get(sex, ""),
                    members, address, code, commune_names.get(commune_of.get(place, 0), "") if place else "",
                    _STATUS.get(status, status), since,
                ]  # fmt: skip

    written = write_table(out, title="Hộ gia đình", headers=HOUSEHOLD_HEADERS, rows=rows())
    audit_log(
        actor=actor,
        action="registry.households.exported",
        data={"filters": filters, "rows": written, "full_cccd": counts["full_cccd"]},
    )
    return written


def _commune_by_village(day: date) -> dict[int, int]:
    return dict(VillageParent.objects.filter(valid_on_q(day)).values_list("village_id", "commune_id"))


def _chunks(rows: QuerySet[Any]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_file_build(export: ExportFile) -> ExportFile:
    """Build a stored export now (the background task calls this): same rows as the list, as its creator."""
    user = export.created_by
    f = household_filters(user, export.params)
    folder = Path(settings.MEDIA_ROOT) / EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{export.public_id}.xlsx"
    try:
        rows = household_export(
            actor=user, households=households_listed(user, f), out=out, on=f.day, filters=export.params
        )
    except Exception as exc:  # recorded for the user; the task queue keeps the traceback
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ExportFile.objects.filter(pk=export.pk).update(
        status=ExportFile.Status.DONE,
        rows=rows,
        path=str(Path(EXPORT_DIR) / out.name),
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def export_file_path(export: ExportFile) -> Path | None:
    """The built file of a finished export, if it is still there."""
    if export.status != ExportFile.Status.DONE or not export.path:
        return None
    path = Path(settings.MEDIA_ROOT) / export.path
    return path if path.exists() else None
