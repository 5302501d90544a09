"""The bulk write path under ``upsert_issues``: few statements per batch, at the driver.

SQLAlchemy's per-row parameter handling costs more than the database does for large
batches, so rows go to the driver (aiosqlite, asyncpg) as plain values, inside the
transaction SQLAlchemy opened:

- PostgreSQL: ``COPY`` of the batch into a temporary table, then one
  ``INSERT … SELECT … ON CONFLICT`` from it; ``COPY`` for the labels, components and
  fix versions;
- SQLite: a plain ``executemany`` INSERT for issues not stored yet (the transaction
  holds the write lock), and multi-row ``INSERT … VALUES (…), (…)`` statements of 500
  rows for stored ones.

Upserts keep the guard ``excluded.updated >= stored.updated`` and use ``RETURNING`` to
learn which issues were written (a row the guard skips is not returned).

The SQL text is assembled only from our own table and column names, never from data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketlens.mirror.tables import CHILD_TABLES, mirror_issues

_ISSUE_COLUMNS = [c.name for c in mirror_issues.c]
_UPDATE_COLUMNS = [c.name for c in mirror_issues.c if not c.primary_key]
_IN_CHUNK = 500
_VALUES_CHUNK = 500  # 500 rows x 46 columns stays under SQLite's 32,766 parameters


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The text SQLAlchemy's SQLite DateTime stores ("YYYY-MM-DD HH:MM:SS.ffffff", UTC),
    # so comparisons with bound datetimes agree.
    if value is None:
        return None
    if value.utcoffset() != _ZERO:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


_ZERO = timedelta(0)


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


_DATETIME_AT = [n for n, c in enumerate(mirror_issues.c) if isinstance(c.type, DateTime)]
_DATE_AT = [n for n, c in enumerate(mirror_issues.c) if isinstance(c.type, Date)]


def sqlite_row(values: list[Any]) -> list[Any]:
    """``values`` with dates in SQLite's stored text form (changed in place).

    ``upsert_values`` takes SQLite rows in this form.
    """
    for n in _DATETIME_AT:
        values[n] = _sqlite_datetime(values[n])
    for n in _DATE_AT:
        values[n] = _sqlite_date(values[n])
    return values


async def _driver(conn: AsyncConnection) -> Any:
    """The DB-API driver's own connection, inside SQLAlchemy's open transaction."""
    # Any statement through SQLAlchemy starts the transaction the driver calls then join.
    if conn.dialect.name == "postgresql":
        # Writes touch rows only by key. Right after a bulk load the planner's statistics
        # are stale and it may pick a sequential scan per statement; the keys are indexed.
        await conn.execute(text("SET LOCAL enable_seqscan = off"))
        driver: Any = (await conn.get_raw_connection()).driver_connection
    else:
        await conn.execute(select(1))
        driver = (await conn.get_raw_connection()).driver_connection
        if not driver.in_transaction:
            # Take the write lock now, so what this transaction reads before it writes
            # (which issues already exist) stays true until it commits.
            await driver.execute("BEGIN IMMEDIATE")
    assert driver is not None
    return driver


def _marks(count: int, postgres: bool) -> str:
    return ", ".join(f"${n + 1}" if postgres else "?" for n in range(count))


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _upsert_tail() -> str:
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in _UPDATE_COLUMNS)
    return (
        f"ON CONFLICT (connection, issue_id) DO UPDATE SET {sets} "
        "WHERE excluded.updated >= mirror_issues.updated"
    )


_INCOMING = "mirror_incoming_" + hashlib.sha256(",".join(_ISSUE_COLUMNS).encode()).hexdigest()[:8]
_ID_AT = _ISSUE_COLUMNS.index("issue_id")
_UPDATED_AT = _ISSUE_COLUMNS.index("updated")


@dataclass(frozen=True, slots=True)
class Written:
    """Which issues an upsert wrote, and which of them existed before (their children go)."""

    ids: set[int]
    replaced: set[int]


async def upsert_values(
    conn: AsyncConnection, connection: str, rows: Sequence[list[Any]]
) -> Written:
    """Upsert ``mirror_issues`` rows (in column order, distinct ids; on SQLite, each
    made by ``sqlite_row``)."""
    driver = await _driver(conn)
    if conn.dialect.name == "postgresql":
        # The rows are COPied into a temporary table of this session (emptied when the
        # transaction ends), then upserted by one statement, so RETURNING names the rows
        # written: a row version made by the ON CONFLICT update has a non-zero xmax, a
        # new row has 0. The table's name follows the columns, so a session that
        # outlives a migration never copies into an old shape.
        await driver.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_INCOMING} "
            "(LIKE mirror_issues) ON COMMIT DELETE ROWS"
        )
        await driver.copy_records_to_table(_INCOMING, records=rows, columns=_ISSUE_COLUMNS)
        found = await driver.fetch(
            f"INSERT INTO mirror_issues ({_quoted(_ISSUE_COLUMNS)}) "  # noqa: S608 - our names
            f"SELECT {_quoted(_ISSUE_COLUMNS)} FROM {_INCOMING} {_upsert_tail()} "
            "RETURNING issue_id, (xmax <> 0) AS replaced",
        )
        return Written({r[0] for r in found}, {r[0] for r in found if r[1]})
    existing = await _existing(driver, connection, sorted(row[_ID_AT] for row in rows))
    # The write lock is held (BEGIN IMMEDIATE), so issues not stored yet stay unstored
    # until this transaction commits: they go in by plain INSERT, which SQLite does at
    # the speed of a bulk load. Only issues already stored need the guarded upsert.
    fresh = [row for row in rows if row[_ID_AT] not in existing]
    if fresh:
        await driver.executemany(
            f"INSERT INTO mirror_issues ({_quoted(_ISSUE_COLUMNS)}) "  # noqa: S608 - our names
            f"VALUES ({_marks(len(_ISSUE_COLUMNS), False)})",
            fresh,
        )
    stored = [row for row in rows if row[_ID_AT] in existing]
    # Multi-row VALUES with RETURNING: SQLite returns only the rows the upsert modified.
    columns = len(_ISSUE_COLUMNS)
    head = f"INSERT INTO mirror_issues ({_quoted(_ISSUE_COLUMNS)}) VALUES "  # noqa: S608
    one = f"({_marks(columns, False)})"
    replaced: set[int] = set()
    for start in range(0, len(stored), _VALUES_CHUNK):
        chunk = stored[start : start + _VALUES_CHUNK]
        params: list[Any] = []
        for row in chunk:
            params.extend(row)
        cursor = await driver.execute(
            head + ", ".join([one] * len(chunk)) + f" {_upsert_tail()} RETURNING issue_id",
            params,
        )
        replaced.update(record[0] for record in await cursor.fetchall())
        await cursor.close()
    return Written({row[_ID_AT] for row in fresh} | replaced, replaced)


async def _existing(driver: Any, connection: str, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        cursor = await driver.execute(
            "SELECT issue_id FROM mirror_issues WHERE connection = ? "  # noqa: S608
            f"AND issue_id IN ({_marks(len(chunk), False)})",
            [connection, *chunk],
        )
        found.update(record[0] for record in await cursor.fetchall())
        await cursor.close()
    return found


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def replace_children(
    conn: AsyncConnection,
    connection: str,
    ids: Sequence[int],
    rows: dict[str, list[tuple[Any, ...]]],
) -> None:
    """Delete the children of ``ids`` (issues that existed before), then insert ``rows``."""
    postgres = conn.dialect.name == "postgresql"
    driver = await _driver(conn)
    for table in CHILD_TABLES:
        names = [c.name for c in table.c]
        if ids and postgres:
            await driver.execute(
                f"DELETE FROM {table.name} "  # noqa: S608 - our own table name
                "WHERE connection = $1 AND issue_id = ANY($2::bigint[])",
                connection,
                list(ids),
            )
        elif ids:
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                await driver.execute(
                    f"DELETE FROM {table.name} WHERE connection = ? "  # noqa: S608 - our names
                    f"AND issue_id IN ({_marks(len(chunk), False)})",
                    [connection, *chunk],
                )
        if rows[table.name] and postgres:
            # COPY: the rows are new (their issues' old rows were just deleted, and the
            # issue rows this transaction wrote are locked until it commits).
            await driver.copy_records_to_table(table.name, records=rows[table.name], columns=names)
        elif rows[table.name]:
            await driver.executemany(
                f"INSERT INTO {table.name} ({_quoted(names)}) "  # noqa: S608 - our names
                f"VALUES ({_marks(len(names), postgres)})",
                rows[table.name],
            )
