"""Set-based writes for imports: COPY on PostgreSQL (psycopg 3), bulk_create/bulk_update elsewhere.

Rows bypass Model.save(), so callers fill what Django would: public ids, codes, *_search folds,
created_at/updated_at and defaults. Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection, models

from hoctap.core.ids import _ALPHABET
from hoctap.core.text import fold

PG_CHUNK = 20_000
SQLITE_CHUNK = 500
_counter = itertools.count()

# bytes 0..247 map evenly onto the 31-letter alphabet (8 each); 248..255 are dropped (no bias).
_KEEP = 248
_ID_TABLE = bytes((_ALPHABET * 8).encode("ascii"))[:_KEEP] + b"\0" * (256 - _KEEP)
_DROP = bytes(range(_KEEP, 256))


def public_ids(count: int, length: int = 12) -> list[str]:
    """``count`` random ids from the alphabet of hoctap.core.ids, unbiased, unique within the call."""
    wanted = count * length
    pool = b""
    while len(pool) < wanted:
        pool += os.urandom(wanted - len(pool) + 64).translate(None, _DROP)
    text = pool[:wanted].translate(_ID_TABLE).decode("ascii")
    ids = [text[i : i + length] for i in range(0, wanted, length)]
    if len(set(ids)) != len(ids):  # astronomically rare; draw again rather than reason about it
        return public_ids(count, length)
    return ids


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2000):
        folded = fold(chr(code))
        if folded.isascii() and len(folded) <= 1:
            table[code] = folded
    return table


_FOLD_TABLE = _build_fold_table()


def fast_fold(value: str) -> str:
    """Exactly hoctap.core.text.fold, by a translation table for the common (Vietnamese) case."""
    lowered = value.casefold()
    if lowered.isascii():
        return " ".join(lowered.split())
    mapped = lowered.translate(_FOLD_TABLE)
    return " ".join(mapped.split()) if mapped.isascii() else fold(value)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def chunks(values: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    step = size or (PG_CHUNK if is_postgres() else SQLITE_CHUNK)
    for start in range(0, len(values), step):
        yield values[start : start + step]


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of a concrete field given by attribute name (``village_id`` or ``village``)."""
    column = getattr(model._meta.get_field(name), "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{model.__name__}.{name} is not a concrete field")
    return column


def bulk_write_memory() -> None:
    """PostgreSQL: more memory for this transaction's index writes (a no-op elsewhere).

    A GIN index (the pg_trgm name indexes) first collects new entries in a pending list, then merges
    them into the index in batches sized by work_mem; at the 4 MB default, 250,000 households took
    2.7 s in that index, at 64 MB 2.3 s. SET LOCAL ends with the import's transaction.
    """
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """COPY rows into ``table`` (PostgreSQL only), through the connection's psycopg 3 cursor.

    ``rows`` may be a generator: it is consumed while the server ingests what was already sent.
    (Binary COPY was measured too: no gain worth its stricter typing; the server's time goes to the
    indexes and the foreign-key checks, not to parsing text.)
    """
    sql = f"COPY {_qn(table)} ({', '.join(_qn(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert rows given as tuples in the order of ``columns`` (attribute names such as village_id)."""
    if isinstance(rows, Sized) and not rows:
        return
    if is_postgres():
        copy_rows(model._meta.db_table, [column_of(model, c) for c in columns], rows)
        return
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    if objs:
        model._default_manager.bulk_create(objs, batch_size=SQLITE_CHUNK)


@contextmanager
def row_writer(
    model: type[models.Model], columns: Sequence[str]
) -> Iterator[Callable[[Iterable[Sequence[object]]], None]]:
    """A function that inserts rows (tuples in the order of ``columns``) as they come, batch after batch.

    PostgreSQL: one COPY stays open for the whole block, so the server indexes what was sent while the
    caller prepares the next batch; no other query may run on the connection inside the block.
    Elsewhere: each batch is inserted at once (insert_rows).
    """
    if not is_postgres():
        yield lambda rows: insert_rows(model, columns, list(rows))
        return
    table, db_columns = model._meta.db_table, [column_of(model, c) for c in columns]
    sql = f"COPY {_qn(table)} ({', '.join(_qn(c) for c in db_columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write_row = copy.write_row

        def write(rows: Iterable[Sequence[object]]) -> None:
            for row in rows:
                write_row(row)

        yield write


def update_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Update by primary key: each row is (pk, *values in the order of ``columns``)."""
    if not rows:
        return
    if not is_postgres():
        objs = [model(pk=row[0], **dict(zip(columns, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objs, list(columns), batch_size=SQLITE_CHUNK)  # type: ignore[attr-defined]
        return
    table = model._meta.db_table
    db_columns = [column_of(model, c) for c in columns]
    temp = f"_import_upd_{next(_counter)}"
    select = ", ".join(_qn(c) for c in ["id", *db_columns])
    assign = ", ".join(f"{_qn(c)} = u.{_qn(c)}" for c in db_columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {select} FROM {_qn(table)} WITH NO DATA"
        )
        copy_rows(temp, ["id", *db_columns], rows)
        cursor.execute(f"UPDATE {_qn(table)} AS t SET {assign} FROM {temp} AS u WHERE t.id = u.id")
        cursor.execute(f"DROP TABLE {temp}")


def end_periods(
    history: type[models.Model],
    *,
    owner: str,
    place: str,
    moves: Iterable[int],
    on: date,
    since: str,
    carried: Sequence[str] = (),
    current: models.Q | None = None,
) -> None:
    """Owners that move on ``on``: the period at their current place becomes a closed history row.

    ``history`` has ``<owner>_id, <place>_id, valid_from, valid_to`` and the ``carried`` columns; the owner
    (e.g. Household) holds the current ``<place>_id``, the start of its period in ``since`` and the
    ``carried`` values. Runs before the owners are updated (it reads their current place), and sets
    ``since`` to ``on``. A period that began on ``on`` itself leaves no row (it lasted no day). Owners not
    matching ``current`` (a household that moved away or dissolved: its last period is already history)
    are left alone.
    """
    owner_model = history._meta.get_field(owner).related_model
    assert isinstance(owner_model, type) and issubclass(owner_model, models.Model)
    last_day = date.fromordinal(on.toordinal() - 1)
    ended: list[tuple[Any, ...]] = []
    for part in chunks(list(moves)):
        owners = owner_model._default_manager.filter(pk__in=part)
        if current is not None:
            owners = owners.filter(current)
        rows = owners.values_list("pk", f"{place}_id", since, *carried)
        ended += [(pk, at, began, last_day, *rest) for pk, at, began, *rest in rows if began and began < on]
        owners.update(**{since: on})
    insert_rows(history, [f"{owner}_id", f"{place}_id", "valid_from", "valid_to", *carried], ended)
