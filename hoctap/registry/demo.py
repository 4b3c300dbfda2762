"""Deterministic demo people: households per village, citizens with consistent ages, sexes and CCCD, clans.

Registered with `hoctap.core.demo.register_demo_step`. Scale `small` fills the villages of the two demo
communes (a few hundred households); scale `province` fills every village of tỉnh Quảng Trị (about 1,300
villages, 470,000 households, 1.85 million citizens). Households live in villages, which have an old parent
commune until 30/6/2025 and a new one after, so the same people appear under both hierarchies.

Speed: rows are built as tuples with pre-computed search fields and explicit primary keys, then written in
large batches (executemany on SQLite, COPY on PostgreSQL); no model instance, no per-row save().
Idempotent: villages that already have households are skipped, so a second run adds nothing.
"""

from __future__ import annotations

import queue
import random
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from hoctap.core.audit import audit_log
from hoctap.core.demo import COMMUNE_A, COMMUNE_B, PROVINCE_CODE, register_demo_step
from hoctap.core.text import fold as _fold
from hoctap.registry.cccd import PROVINCE_CODES, make_cccd
from hoctap.registry.models import (
    Citizen,
    Clan,
    ClanMembership,
    Household,
    HouseholdResidence,
    HouseholdStatus,
)
from hoctap.registry.names import household_members
from hoctap.units.models import Level, UnitVersion, VillageParent
from hoctap.units.selectors import unit_resolve
from hoctap.units.services import REFORM_DAY

HOUSEHOLDS_PER_VILLAGE = {"small": (10, 22), "province": (210, 500)}  # uniform range; mean 355 → ~470,000
REF_YEAR = 2024
MAX_MEMBERS = 6  # keeps the province near 3.9 people per household (1.85 million for 470,000)
FLUSH_HOUSEHOLDS = 10_000
SQLITE_BATCH = 20_000
OTHER_PROVINCES = tuple(code for code in PROVINCE_CODES if code not in ("044", "045"))
CLANS_PER_COMMUNE = (3, 8)
# The columns the generator fills, in the order of its row tuples (other columns get their default).
COLUMNS: dict[type[models.Model], list[str]] = {
    Household: [
        "id",
        "public_id",
        "code",
        "village",
        "head_name",
        "head_name_search",
        "head_cccd",
        "head_birth_date",
        "head_sex",
        "member_count",
        "address",
        "status",
        "status_changed_on",
        "registered_on",
        "village_since",
        "created_at",
        "updated_at",
    ],
    HouseholdResidence: ["household", "village", "valid_from", "valid_to"],
    Citizen: [
        "id",
        "public_id",
        "full_name",
        "name_search",
        "sex",
        "birth_date",
        "ethnicity",
        "cccd",
        "household",
        "relationship",
        "household_since",
        "created_at",
        "updated_at",
    ],
}
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_PUBLIC_ALPHABET = _CODE_ALPHABET.lower()  # the alphabet of hoctap.core.ids
# random bytes → alphabet characters in one translate() call (byte % 31: a bias of under 1 % is fine here)
_CODE_TABLE = bytes(ord(_CODE_ALPHABET[b % 31]) for b in range(256))
_PUBLIC_TABLE = bytes(ord(_PUBLIC_ALPHABET[b % 31]) for b in range(256))
_SERIAL_STEP = 7919  # prime, coprime with 10**6: serials look random but never repeat within a prefix


fold = lru_cache(maxsize=200_000)(_fold)  # names repeat a lot across 1.85 million people
_ISO_DATES: dict[date, str] = {}


def _iso(day: date) -> str:
    """'YYYY-MM-DD', cached: a few tens of thousands of distinct dates for millions of rows."""
    text = _ISO_DATES.get(day)
    if text is None:
        text = _ISO_DATES[day] = day.isoformat()
    return text


@dataclass
class _Village:
    pk: int
    commune_id: int  # the commune today (clans are registered there)
    birth_province: str  # "044" for old Quảng Bình, "045" for old Quảng Trị


@dataclass
class _Ids:
    """Opaque identifiers drawn from the run's rng (deterministic), never repeated."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def _draw(self, length: int, table: bytes) -> str:
        return self.rng.randbytes(length).translate(table).decode("ascii")

    def public_id(self) -> str:
        return self._draw(12, _PUBLIC_TABLE)

    def household_code(self) -> str:
        code = self._draw(10, _CODE_TABLE)
        while code in self.used:
            code = self._draw(10, _CODE_TABLE)
        self.used.add(code)
        return code


@dataclass
class _Cccd:
    """Unique, consistent CCCD numbers: one counter per (province, sex-century, year) prefix."""

    taken: set[str]
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def issue(self, province: str, birth_date: date, sex: str) -> str:
        while True:
            probe = make_cccd(province_code=province, birth_date=birth_date, sex=sex, serial=0)[:6]  # type: ignore[arg-type]
            n = self.counters[probe]
            self.counters[probe] = n + 1
            number = f"{probe}{(n * _SERIAL_STEP + 104_729) % 1_000_000:06d}"
            if number not in self.taken:
                return number


class _Writer:
    """Appends rows per table and writes them in large batches (COPY on PostgreSQL, executemany on SQLite).

    The writes run in a second thread on the same connection (and so in the same transaction), so building
    the next rows overlaps with the database storing the last ones; the generating thread does not use the
    connection until close() has drained the queue.
    """

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = defaultdict(list)
        self.columns: dict[type[models.Model], list[str]] = {}
        self.extra: dict[type[models.Model], tuple[Any, ...]] = {}
        self.queue: queue.Queue[tuple[str, list[tuple[Any, ...]]] | None] = queue.Queue(maxsize=4)
        self.worker: threading.Thread | None = None
        self.failure: BaseException | None = None

    def declare(self, model: type[models.Model], names: Sequence[str]) -> None:
        """The columns we fill, in order; other columns get their field default (fields added later)."""
        fields = {f.name: f for f in model._meta.concrete_fields}
        others = [f for f in fields.values() if f.name not in names and not f.primary_key]
        self.columns[model] = [str(fields[n].column) for n in names] + [str(f.column) for f in others]
        self.extra[model] = tuple(f.get_default() for f in others)

    def add(self, model: type[models.Model], row: tuple[Any, ...]) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model in (Household, HouseholdResidence, Citizen, Clan, ClanMembership):
            rows = self.rows.pop(model, [])
            if not rows:
                continue
            extra = self.extra[model]
            if extra:
                rows = [r + extra for r in rows]
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in self.columns[model])
            if connection.vendor == "postgresql":
                self._enqueue(f"COPY {table} ({names}) FROM STDIN", rows)
            else:
                marks = ", ".join(["?"] * len(self.columns[model]))
                self._enqueue(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def _enqueue(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.worker is None:
            connection.ensure_connection()
            self.worker = threading.Thread(target=self._work, args=(connection.connection,), daemon=True)
            self.worker.start()
        for start in range(0, len(rows), SQLITE_BATCH):
            self._check()
            self.queue.put((sql, rows[start : start + SQLITE_BATCH]))

    def _work(self, raw: Any) -> None:
        while (item := self.queue.get()) is not None:
            if self.failure is None:
                try:
                    _store(raw, *item)
                except BaseException as exc:  # reported to the generating thread by _check()
                    self.failure = exc

    def _check(self) -> None:
        if self.failure is not None:
            raise self.failure

    def close(self) -> None:
        """Wait for the queued inserts; re-raise the first failure."""
        if self.worker is not None:
            self.queue.put(None)
            self.worker.join()
            self.worker = None
        self._check()


def _store(raw: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Write one batch on the raw DB-API connection: COPY (psycopg 3) or executemany (sqlite3)."""
    if sql.startswith("COPY"):
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    else:
        raw.executemany(sql, rows)


@contextmanager
def _bulk_load_mode(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """Drop the secondary indexes of these tables during the load and build them again after.

    Building an index once by sorting is much faster than maintaining it through millions of inserts.
    Column-level UNIQUE indexes stay (public ids, codes, CCCD numbers); a named unique index dropped on
    SQLite is checked again when it is rebuilt (a duplicate fails the whole load); PostgreSQL keeps its
    unique indexes, which back constraints. On PostgreSQL the deferred
    foreign-key triggers are also skipped when the role may do so (`session_replication_role`): the
    generator writes the referenced rows itself, in the same transaction.
    """
    tables = [m._meta.db_table for m in models_]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                f" WHERE schemaname = current_schema() AND tablename IN ({marks})"
                " AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                tables,
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks})",
                tables,
            )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            _skip_fk_triggers(cursor)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)


def _skip_fk_triggers(cursor: Any) -> None:
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass  # not allowed for this role: the checks run at commit, slower but correct


def _next_id(model: type[models.Model]) -> int:
    top = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return (top or 0) + 1


def _reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Identity sequences follow the explicit ids; fresh statistics for the planner (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return  # SQLite's rowid follows max(id) by itself
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                [table],
            )


def _demo_villages(scale: str) -> list[_Village]:
    """The villages to fill, in a stable order, with today's commune and their old province."""
    province = unit_resolve(code=PROVINCE_CODE, on=REFORM_DAY, level=Level.PROVINCE)
    communes = UnitVersion.objects.filter(province=province, level=Level.COMMUNE, valid_to__isnull=True)
    if scale == "small":
        communes = communes.filter(code__in=(COMMUNE_A, COMMUNE_B))
    today = timezone.localdate()
    current = {
        link.village_id: link.commune_id
        for link in VillageParent.objects.filter(commune__in=communes, valid_from__lte=today).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=today)
        )
    }
    old_links = VillageParent.objects.filter(village_id__in=current, valid_to__isnull=False).select_related(
        "commune__province"
    )
    old_province = {
        link.village_id: link.commune.province.code if link.commune.province else "" for link in old_links
    }
    result = []
    for village_id in sorted(current):
        code = old_province.get(village_id, "44")
        result.append(_Village(village_id, current[village_id], "045" if code == "45" else "044"))
    return result


def _sqlite_page_cache() -> None:
    """A large page cache for this connection: inserts at random keys (unique ids) stay in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -2097152")  # KiB: 2 GiB


@register_demo_step
def registry_demo_step(scale: str, rng: random.Random) -> dict[str, Any]:
    """Households, citizens and clans for the demo villages (skips villages that already have people)."""
    seed = rng.getrandbits(64)  # drawn even when nothing is to do, so later steps see the same stream
    villages = _demo_villages(scale)
    filled = set(
        Household.objects.filter(village_id__in=[v.pk for v in villages])
        .values_list("village_id", flat=True)
        .distinct()
    )
    todo = [v for v in villages if v.pk not in filled]
    if not todo:
        return {"registry": {"households": 0, "citizens": 0, "clans": 0, "skipped_villages": len(villages)}}
    _sqlite_page_cache()
    with transaction.atomic():
        counts = _generate(scale, todo, random.Random(seed))
        audit_log(actor=None, action="registry.demo.generated", data={"scale": scale, **counts})
    return {"registry": counts | {"skipped_villages": len(filled)}}


@dataclass
class _Run:
    writer: _Writer
    ids: _Ids
    cccd: _Cccd
    now: Any  # already adapted for the database
    household_id: int
    citizen_id: int
    clan_families: dict[int, dict[str, list[int]]]  # commune id → family name → household ids
    households: int = 0
    citizens: int = 0


def _generate(scale: str, villages: list[_Village], rng: random.Random) -> dict[str, int]:
    has_people = Citizen.objects.exists()
    writer = _Writer()
    for model, columns in COLUMNS.items():
        writer.declare(model, columns)
    run = _Run(
        writer=writer,
        ids=_Ids(rng, set(Household.objects.values_list("code", flat=True)) if has_people else set()),
        cccd=_Cccd({c for c in Citizen.objects.values_list("cccd", flat=True) if c} if has_people else set()),
        now=connection.ops.adapt_datetimefield_value(timezone.now()),
        household_id=_next_id(Household),
        citizen_id=_next_id(Citizen),
        clan_families=defaultdict(lambda: defaultdict(list)),
    )
    low, high = HOUSEHOLDS_PER_VILLAGE[scale]
    loaded = [Household, HouseholdResidence, Citizen, ClanMembership]
    with _bulk_load_mode(loaded):
        try:
            for village in villages:
                for _ in range(rng.randint(low, high)):
                    _household(run, village, rng)
                if len(writer.rows[Household]) >= FLUSH_HOUSEHOLDS:
                    writer.flush()
            writer.flush()
        finally:
            writer.close()  # the connection is ours again: _clans reads before it writes
        try:
            clans = _clans(run, rng)
            writer.flush()
        finally:
            writer.close()
    _reset_sequences([Household, HouseholdResidence, Citizen, Clan, ClanMembership])
    return {"households": run.households, "citizens": run.citizens, "clans": clans}


def _household(run: _Run, village: _Village, rng: random.Random) -> None:
    head_year = round(rng.triangular(1940, 2000, 1972))
    members = household_members(rng, head_year, ref_year=REF_YEAR)[:MAX_MEMBERS]
    registered = date(2010, 1, 1) + timedelta(days=rng.randrange(365 * 15))
    status, changed = HouseholdStatus.ACTIVE.value, None
    if rng.random() < 0.015:
        status, changed = HouseholdStatus.MOVED.value, date(2025, 1, 1) + timedelta(days=rng.randrange(600))
    hid = run.household_id
    run.household_id += 1
    changed_iso = _iso(changed) if changed else None
    numbers = []
    for person in members:
        province = village.birth_province if rng.random() < 0.9 else rng.choice(OTHER_PROVINCES)
        number = run.cccd.issue(province, person.birth_date, person.sex)
        numbers.append(number)
        cid = run.citizen_id
        run.citizen_id += 1
        run.writer.add(
            Citizen,
            (
                cid,
                run.ids.public_id(),
                person.full_name,
                fold(person.full_name),
                person.sex,
                _iso(person.birth_date),
                person.ethnicity,
                number,
                hid,
                person.relationship,
                _iso(max(registered, person.birth_date)),
                run.now,
                run.now,
            ),
        )
    head = members[0]
    run.writer.add(
        Household,
        (
            hid,
            run.ids.public_id(),
            run.ids.household_code(),
            village.pk,
            head.full_name,
            fold(head.full_name),
            numbers[0],
            _iso(head.birth_date),
            head.sex,
            len(members),
            "",
            status,
            changed_iso,
            _iso(registered),
            _iso(registered),
            run.now,
            run.now,
        ),
    )
    if changed_iso:  # moved away: its time in the village is history (ADR 0006)
        run.writer.add(HouseholdResidence, (hid, village.pk, _iso(registered), changed_iso))
    run.clan_families[village.commune_id][head.family_name].append(hid)
    run.households += 1
    run.citizens += len(members)


def _clans(run: _Run, rng: random.Random) -> int:
    """A few clans per commune, from its most common family names, with some of their households."""
    run.writer.declare(
        Clan,
        [
            "id",
            "public_id",
            "name",
            "branch",
            "name_search",
            "commune",
            "representative",
            "registered_on",
            "created_at",
        ],
    )
    run.writer.declare(ClanMembership, ["clan", "household", "valid_from", "valid_to"])
    existing = set(Clan.objects.values_list("commune_id", "name", "branch"))
    clan_id = _next_id(Clan)
    created = 0
    for commune_id in sorted(run.clan_families):
        families = run.clan_families[commune_id]
        common = sorted(families, key=lambda name: (-len(families[name]), name))[
            : rng.randint(*CLANS_PER_COMMUNE)
        ]
        for family in common:
            name, branch = f"Họ {family}", "Chi 1"
            if (commune_id, name, branch) in existing:
                continue
            registered = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
            run.writer.add(
                Clan,
                (
                    clan_id,
                    run.ids.public_id(),
                    name,
                    branch,
                    fold(f"{name} {branch}"),
                    commune_id,
                    "",
                    _iso(registered),
                    run.now,
                ),
            )
            for hid in families[family]:
                if rng.random() < 0.6:
                    run.writer.add(ClanMembership, (clan_id, hid, _iso(registered), None))
            clan_id += 1
            created += 1
    return created
