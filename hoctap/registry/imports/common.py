"""Pieces the registry importers share: closed lists, the villages of the commune, key lookups."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL

from hoctap.core.sheets import LEADING_ZERO_LOST, CellError, SheetSpec
from hoctap.registry.imports.base import ImportContext
from hoctap.registry.imports.bulk import chunks, column_of, fast_fold, is_postgres
from hoctap.units.selectors import villages_of_commune

SEX_LABELS = ["Nam", "Nữ"]
SEX_VALUES = {"Nam": "nam", "Nữ": "nu"}

# The 54 ethnic groups by their official names (Danh mục các dân tộc Việt Nam, QĐ 121-TCTK/PPCĐ).
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "HMông", "Dao", "Gia-rai", "Ngái", "Ê-đê",
    "Ba Na", "Xơ-Đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai", "Xtiêng",
    "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro",
    "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự",
    "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu",
    "Rơ-măm",
]  # fmt: skip
RELATIONSHIPS = [
    "Chủ hộ", "Vợ", "Chồng", "Con", "Con dâu", "Con rể", "Bố", "Mẹ", "Ông", "Bà", "Cháu", "Anh", "Chị",
    "Em", "Người khác",
]  # fmt: skip

Values = dict[str, object]


class VillageIndex:
    """The villages of the commune on the import date, matched diacritic-insensitively by name."""

    def __init__(self, ctx: ImportContext) -> None:
        villages = list(villages_of_commune(commune=ctx.unit, on=ctx.on).values_list("pk", "name"))
        self.names = [name for _, name in villages]
        self.ids = {pk for pk, _ in villages}
        self._by_fold = {fast_fold(name): pk for pk, name in villages}
        self._seen: dict[str, int | None] = {}

    def find(self, name: object) -> int | None:
        if not isinstance(name, str):
            return None
        if name not in self._seen:
            self._seen[name] = self._by_fold.get(fast_fold(name))
        return self._seen[name]


KEY_SEPARATOR = "\x1f"  # ASCII unit separator: never in a cleaned cell value


def _key_filter(model: type[models.Model], key: str, keys: list[Any]) -> Any:
    """PostgreSQL: ``key = ANY(...)`` with all the keys in one parameter (one round trip; the planner
    hashes the list against a scan or probes the unique index, whichever is cheaper)."""
    qn = connection.ops.quote_name
    column = f"{qn(model._meta.db_table)}.{qn(column_of(model, key))}"
    params: tuple[Any, ...]
    if all(type(k) is str and KEY_SEPARATOR not in k for k in keys):
        # one text split by the server: sending a 250,000-element array costs more than the query
        sql, params = f"{column} = ANY(string_to_array(%s, %s))", (KEY_SEPARATOR.join(keys), KEY_SEPARATOR)
    else:
        sql, params = f"{column} = ANY(%s)", (keys,)
    return RawSQL(sql, params, output_field=models.BooleanField())


def rows_by_key(
    model: type[models.Model], key: str, keys: Iterable[object], fields: Sequence[str], **filters: Any
) -> dict[object, tuple[Any, ...]]:
    """{key value: (key, *fields)} for the rows whose ``key`` (a text column) is among ``keys``."""
    wanted = list({k for k in keys if k is not None})
    if not wanted:
        return {}
    manager = model._default_manager
    if is_postgres():
        querysets = [manager.filter(_key_filter(model, key, wanted), **filters)]
    else:
        querysets = [manager.filter(**{f"{key}__in": part}, **filters) for part in chunks(wanted)]
    found: dict[object, tuple[Any, ...]] = {}
    for qs in querysets:
        for row in qs.values_list(key, *fields):
            found[row[0]] = row
    return found


def cell_error(spec: SheetSpec, row_number: int, key: str, message: str, value: object = None) -> CellError:
    return spec.cell_error(row_number=row_number, key=key, message=message, value=value)


def lost_zero_check(spec: SheetSpec, key: str, length: int) -> Callable[[int, object], CellError | None]:
    """For a free code column: a number one digit short of ``length`` is a CCCD that lost its 0."""

    def check(row_number: int, value: object) -> CellError | None:
        if isinstance(value, str) and value.isdigit() and len(value) == length - 1:
            return cell_error(spec, row_number, key, LEADING_ZERO_LOST, value)
        return None

    return check
