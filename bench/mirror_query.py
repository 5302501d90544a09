"""Mirror benchmark: ingest and 20 representative JQL queries against hand-written SQL.

Generates N issues across 200 projects, with labels and components named after 2,000
catalog tags, on SQLite and on PostgreSQL. The issue's full size is 1,000,000
(``--issues 1000000``, about 40 minutes on a 2-core machine); the default, 100,000,
runs in about 5 minutes. For each backend it prints:

- ingest throughput of ``upsert_issues`` next to a raw DB-API ``executemany`` of the
  same rows into the same tables (the floor), and their ratio (target: at most 2x);
- for 20 queries, including the seed's default and a per-entity ``count_by`` over 2,000
  entities, the median time through the mirror (compile + execute) next to hand-written
  SQL that computes the same answer, and their ratio (target: at most 1.5x). The answers
  are compared, so a fast wrong answer fails the run.

Run: .venv/bin/python bench/mirror_query.py [--issues N] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
from sqlalchemy import text

from ticketlens.db.engine import create_engine
from ticketlens.db.migrate import upgrade
from ticketlens.jql import parse
from ticketlens.mirror import (
    Grouping,
    MirrorIssue,
    MirrorUser,
    NamedItem,
    count,
    count_by,
    refresh_statistics,
    search,
    upsert_issues,
)
from ticketlens.mirror.tables import (
    mirror_components,
    mirror_fix_versions,
    mirror_issues,
    mirror_labels,
)
from ticketlens.mirror.words import fold
from ticketlens.mirror.writes import child_rows, issue_row

PG_ADMIN = os.environ.get("TICKETLENS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
CONNECTION = "bench"
NOW = datetime(2024, 6, 12, 12, 0, tzinfo=UTC)  # a Wednesday
TZ = "UTC"
PROJECTS = 200
TAGS = [f"svc-{n:04d}" for n in range(2000)]
GENERIC = ["security", "incident", "customer-facing", "tech-debt", "flaky", "perf"]
WORDS = [
    "timeout",
    "database",
    "cache",
    "login",
    "payment",
    "refund",
    "checkout",
    "search",
    "index",
    "queue",
    "worker",
    "api",
    "latency",
    "error",
    "crash",
    "retry",
    "deploy",
    "config",
    "memory",
    "leak",
    "disk",
    "network",
    "dns",
    "tls",
    "certificate",
    "export",
    "import",
    "report",
    "email",
    "webhook",
    "token",
    "session",
    "user",
    "admin",
    "billing",
    "invoice",
    "ledger",
    "order",
    "shipping",
    "inventory",
    "mobile",
    "web",
    "slow",
    "broken",
    "missing",
    "wrong",
    "duplicate",
    "stale",
]
STATUSES = [
    ("To Do", "1", "new"),
    ("Backlog", "10100", "new"),
    ("In Progress", "3", "indeterminate"),
    ("In Review", "10010", "indeterminate"),
    ("Done", "10001", "done"),
    ("Closed", "6", "done"),
]
PRIORITIES = [None, "Highest", "High", "Medium", "Low", "Lowest"]
TYPES = ["Bug", "Story", "Task", "Epic", "Incident", "Security Bug"]
USERS = [
    MirrorUser(account_id=f"acc-{n}", name=f"user{n}", display_name=f"User {n}") for n in range(500)
]


def project_key(n: int) -> str:
    return f"P{n:03d}"


def generate(count_: int, seed: int = 7) -> Iterator[MirrorIssue]:
    """Deterministic issues: project j owns components TAGS[10j..10j+9] and is named TAGS[10j]."""
    rng = random.Random(seed)
    numbers = [0] * PROJECTS
    for issue_id in range(1, count_ + 1):
        p = rng.randrange(PROJECTS)
        numbers[p] += 1
        status, status_id, category = rng.choice(STATUSES)
        priority = rng.choice(PRIORITIES)
        created = NOW - timedelta(minutes=rng.randrange(730 * 24 * 60))
        updated = created + timedelta(minutes=rng.randrange(60 * 24 * 60))
        updated = min(updated, NOW)
        done = category == "done"
        labels = {rng.choice(TAGS) for _ in range(rng.choice((0, 1, 1, 2)))}
        if rng.random() < 0.3:
            labels.add(rng.choice(GENERIC))
        owned = TAGS[10 * p : 10 * p + 10]
        components = {rng.choice(owned) for _ in range(rng.choice((0, 1, 1, 2)))}
        yield MirrorIssue(
            id=issue_id,
            key=f"{project_key(p)}-{numbers[p]}",
            project_id=str(10000 + p),
            project_key=project_key(p),
            project_name=TAGS[10 * p],
            issuetype=rng.choice(TYPES),
            status=status,
            status_id=status_id,
            status_category=category,
            priority=priority,
            priority_rank=PRIORITIES.index(priority) if priority else None,
            resolution="Fixed" if done else None,
            resolutiondate=updated if done else None,
            assignee=rng.choice(USERS) if rng.random() < 0.7 else None,
            reporter=rng.choice(USERS),
            created=created,
            updated=updated,
            duedate=(NOW + timedelta(days=rng.randrange(-60, 60))).date()
            if rng.random() < 0.3
            else None,
            summary=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 8))),
            description=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 20)))
            if rng.random() < 0.5
            else None,
            labels=tuple(sorted(labels)),
            components=tuple(NamedItem(name=c, id=str(TAGS.index(c))) for c in sorted(components)),
        )


def chunks(count_: int, size: int = 50_000) -> Iterator[list[MirrorIssue]]:
    batch: list[MirrorIssue] = []
    for issue in generate(count_):
        batch.append(issue)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------ databases


@dataclass
class Backend:
    name: str
    url: str  # ours
    floor_url: str  # the raw executemany floor
    cleanup: Callable[[], None]


def make_backend(name: str, workdir: Path) -> Backend:
    if name == "sqlite":
        ours, floor = workdir / "ours.db", workdir / "floor.db"
        for path in (ours, floor):
            upgrade(f"sqlite:///{path}")
        return Backend(name, f"sqlite:///{ours}", f"sqlite:///{floor}", lambda: None)
    base = PG_ADMIN.rsplit("/", 1)[0]
    names = [f"ticketlens_bench_{tag}_{secrets.token_hex(3)}" for tag in ("ours", "floor")]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for db in names:
            conn.execute(f'CREATE DATABASE "{db}"')
    for db in names:
        upgrade(f"{base}/{db}")

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for db in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    return Backend(name, f"{base}/{names[0]}", f"{base}/{names[1]}", drop)


def _insert_sql(table: Any, style: str) -> tuple[str, list[str]]:
    cols = [c.name for c in table.c]
    marks = ", ".join("?" if style == "qmark" else f"${n + 1}" for n in range(len(cols)))
    quoted = ", ".join(f'"{c}"' for c in cols)
    return f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})", cols


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def floor_rows(batch: list[MirrorIssue]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {
        "mirror_issues": [],
        "mirror_labels": [],
        "mirror_components": [],
        "mirror_fix_versions": [],
    }
    for issue in batch:
        rows["mirror_issues"].append(issue_row(CONNECTION, issue))
        labels, components, versions = child_rows(CONNECTION, issue)
        rows["mirror_labels"].extend(labels)
        rows["mirror_components"].extend(components)
        rows["mirror_fix_versions"].extend(versions)
    return rows


TABLES = [mirror_issues, mirror_labels, mirror_components, mirror_fix_versions]


class _SqliteFloor:
    """Raw ``sqlite3`` executemany into the floor database."""

    def __init__(self, backend: Backend) -> None:
        self.conn = sqlite3.connect(backend.floor_url.removeprefix("sqlite:///"))
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.statements = {t.name: _insert_sql(t, "qmark") for t in TABLES}

    def prepare(self, batch: list[MirrorIssue]) -> dict[str, list[tuple[Any, ...]]]:
        return {
            name: [tuple(_sqlite_value(r[c]) for c in self.statements[name][1]) for r in rows]
            for name, rows in floor_rows(batch).items()
        }

    async def insert(self, prepared: dict[str, list[tuple[Any, ...]]]) -> None:
        for name, rows in prepared.items():
            if rows:
                self.conn.executemany(self.statements[name][0], rows)
        self.conn.commit()

    async def close(self) -> None:
        self.conn.close()


class _PostgresFloor:
    """Raw asyncpg executemany into the floor database."""

    def __init__(self, pg: Any) -> None:
        self.pg = pg
        self.statements = {t.name: _insert_sql(t, "numeric") for t in TABLES}

    def prepare(self, batch: list[MirrorIssue]) -> dict[str, list[tuple[Any, ...]]]:
        return {
            name: [tuple(r[c] for c in self.statements[name][1]) for r in rows]
            for name, rows in floor_rows(batch).items()
        }

    async def insert(self, prepared: dict[str, list[tuple[Any, ...]]]) -> None:
        async with self.pg.transaction():
            for name, rows in prepared.items():
                if rows:
                    await self.pg.executemany(self.statements[name][0], rows)

    async def close(self) -> None:
        await self.pg.close()


async def ingest(backend: Backend, total: int) -> tuple[float, float]:
    """Seconds of ``upsert_issues`` (plus one statistics refresh) and of the raw
    executemany floor (rows prepared beforehand, not timed), alternating chunk by chunk
    so both see the same machine load."""
    floor: _SqliteFloor | _PostgresFloor
    if backend.name == "sqlite":
        floor = _SqliteFloor(backend)
    else:
        floor = _PostgresFloor(await asyncpg.connect(backend.floor_url))
    engine = create_engine(backend.url)
    ours_s = floor_s = 0.0
    try:
        for batch in chunks(total):
            prepared = floor.prepare(batch)
            start = time.perf_counter()
            await floor.insert(prepared)
            floor_s += time.perf_counter() - start
            start = time.perf_counter()
            await upsert_issues(engine, CONNECTION, batch, analyze=False)
            ours_s += time.perf_counter() - start
        start = time.perf_counter()
        await refresh_statistics(engine)
        ours_s += time.perf_counter() - start
    finally:
        await engine.dispose()
        await floor.close()
    return ours_s, floor_s


# ------------------------------------------------------------------ queries

T = TAGS[70]  # project P007's name, one of its components, and a label on some issues
C = "connection = :c"


@dataclass
class Case:
    name: str
    jql: str
    sql: str
    params: dict[str, Any]
    kind: str = "count"  # count | search | count_by


def _when(backend: str, moment: datetime | date) -> Any:
    return _sqlite_value(moment) if backend == "sqlite" else moment


def cases(backend: str) -> list[Case]:
    t = fold(T)
    week_start = datetime(2024, 6, 9, tzinfo=UTC)  # Sunday before NOW
    both = {"c": CONNECTION}
    default_sql = (
        f"SELECT count(*) FROM mirror_issues WHERE {C} AND status_category_id IN (2, 4) "
        f"AND issue_id IN (SELECT issue_id FROM mirror_components WHERE {C} AND name_fold = :t "
        f"UNION ALL SELECT issue_id FROM mirror_labels WHERE {C} AND label_fold = :t "
        f"UNION ALL SELECT issue_id FROM mirror_issues WHERE {C} AND project_key = :T "
        f"UNION ALL SELECT issue_id FROM mirror_issues WHERE {C} AND project_name_fold = :t)"
    )
    return [
        Case(
            "seed default (statusCategory + match)",
            f'statusCategory in ("To Do", "In Progress") AND '
            f"(component = {T} OR labels = {T} OR project = {T})",
            default_sql,
            {**both, "t": t, "T": T.upper()},
        ),
        Case(
            "labels = T",
            f"labels = {TAGS[123]}",
            f"SELECT count(DISTINCT issue_id) FROM mirror_labels WHERE {C} AND label_fold = :t",
            {**both, "t": TAGS[123]},
        ),
        Case(
            "component = T",
            f"component = {TAGS[71]}",
            f"SELECT count(DISTINCT issue_id) FROM mirror_components WHERE {C} AND name_fold = :t",
            {**both, "t": TAGS[71]},
        ),
        Case(
            "project = KEY",
            "project = P010",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND project_key = 'P010'",
            both,
        ),
        Case(
            "project = name",
            f"project = {TAGS[100]}",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND project_name_fold = :t",
            {**both, "t": TAGS[100]},
        ),
        Case(
            "key = K (point lookup)",
            "key = P005-10",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND key = 'P005-10'",
            both,
        ),
        Case(
            "statusCategory = Done",
            "statusCategory = Done",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND status_category_id = 3",
            both,
        ),
        Case(
            "priority > Medium",
            "priority > Medium",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND priority_rank < 3",
            both,
        ),
        Case(
            "assignee = user",
            "assignee = user7",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND assignee_name_fold = 'user7'",
            both,
        ),
        Case(
            "unassigned and not done",
            "assignee is EMPTY AND statusCategory != Done",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND assignee_account_id IS NULL "
            "AND status_category_id <> 3",
            both,
        ),
        Case(
            "labels in (a, b)",
            "labels in (security, incident)",
            f"SELECT count(DISTINCT issue_id) FROM mirror_labels WHERE {C} "
            "AND label_fold IN ('security', 'incident')",
            both,
        ),
        Case(
            "labels != x (labelled, without x)",
            "labels != security",
            f"SELECT count(*) FROM (SELECT DISTINCT issue_id FROM mirror_labels WHERE {C}) l "
            f"WHERE l.issue_id NOT IN (SELECT issue_id FROM mirror_labels WHERE {C} "
            "AND label_fold = 'security')",
            both,
        ),
        Case(
            "created >= -30d",
            "created >= -30d",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND created >= :t",
            {**both, "t": _when(backend, NOW - timedelta(days=30))},
        ),
        Case(
            "updated >= startOfWeek()",
            "updated >= startOfWeek()",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND updated >= :t",
            {**both, "t": _when(backend, week_start)},
        ),
        Case(
            "overdue and unresolved",
            "due < now() AND resolution is EMPTY",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND duedate <= :d "
            "AND resolution_fold IS NULL",
            {**both, "d": _when(backend, NOW.date())},
        ),
        Case(
            "type and priorities",
            "issuetype = Bug AND priority in (Highest, High)",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND issuetype_fold = 'bug' "
            "AND priority_fold IN ('highest', 'high')",
            both,
        ),
        Case(
            "summary ~ word",
            "summary ~ timeout",
            f"SELECT count(*) FROM mirror_issues WHERE {C} AND summary_words LIKE '% timeout %'",
            both,
        ),
        Case(
            "text ~ two words",
            'text ~ "database timeout"',
            f"SELECT count(*) FROM mirror_issues WHERE {C} "
            "AND (summary_words LIKE '% database %' OR description_words LIKE '% database %') "
            "AND (summary_words LIKE '% timeout %' OR description_words LIKE '% timeout %')",
            both,
        ),
        Case(
            "search: 10 projects, newest first, page of 50",
            "project in (P001, P002, P003, P004, P005, P006, P007, P008, P009, P010) "
            "ORDER BY created DESC",
            f"SELECT * FROM mirror_issues WHERE {C} AND project_key IN "
            "('P001','P002','P003','P004','P005','P006','P007','P008','P009','P010') "
            "ORDER BY created DESC, issue_id LIMIT 51",
            both,
            kind="search",
        ),
        Case(
            "count_by: 2,000 entities, outstanding",
            'statusCategory in ("To Do", "In Progress")',
            "",
            both,
            kind="count_by",
        ),
    ]


GROUPING = Grouping.from_mapping(
    {t: [("label", t), ("component", t), ("project", t)] for t in TAGS}
)
GROUP_TMP = (
    "CREATE TEMPORARY TABLE floor_groups (grp VARCHAR(255), kind VARCHAR(16), "
    "value_fold VARCHAR(255), value_upper VARCHAR(255))"
)
GROUP_SQL = (
    "SELECT m.grp, count(*) FROM ("
    "SELECT g.grp, l.issue_id FROM floor_groups g JOIN mirror_labels l "
    "ON l.connection = :c AND l.label_fold = g.value_fold WHERE g.kind = 'label' "
    "UNION SELECT g.grp, c.issue_id FROM floor_groups g JOIN mirror_components c "
    "ON c.connection = :c AND c.name_fold = g.value_fold WHERE g.kind = 'component' "
    "UNION SELECT g.grp, i.issue_id FROM floor_groups g JOIN mirror_issues i "
    "ON i.connection = :c AND i.project_key = g.value_upper WHERE g.kind = 'project' "
    "UNION SELECT g.grp, i.issue_id FROM floor_groups g JOIN mirror_issues i "
    "ON i.connection = :c AND i.project_name_fold = g.value_fold WHERE g.kind = 'project'"
    ") m JOIN mirror_issues i ON i.connection = :c AND i.issue_id = m.issue_id "
    "WHERE i.status_category_id IN (2, 4) GROUP BY m.grp"
)


async def run_ours(engine: Any, case: Case) -> Any:
    # The query arrives parsed, as callers hold it (JQL parsing is ticketlens.jql's cost).
    query = _parsed(case.jql)
    if case.kind == "count":
        return await count(engine, CONNECTION, query, tz=TZ, now=NOW)
    if case.kind == "search":
        page = await search(engine, CONNECTION, query, limit=50, tz=TZ, now=NOW)
        return [i.id for i in page.issues]
    counts = await count_by(engine, CONNECTION, query, GROUPING, tz=TZ, now=NOW)
    return {k: v for k, v in counts.items() if v}


_PARSED: dict[str, Any] = {}


def _parsed(jql: str) -> Any:
    if jql not in _PARSED:
        _PARSED[jql] = parse(jql)
    return _PARSED[jql]


async def run_floor(engine: Any, case: Case) -> Any:
    if case.kind == "count":
        async with engine.connect() as conn:
            return (await conn.execute(text(case.sql), case.params)).scalar_one()
    if case.kind == "search":
        async with engine.connect() as conn:
            rows = (await conn.execute(text(case.sql), case.params)).all()[:50]
            ids = [r.issue_id for r in rows]
            for table in ("mirror_labels", "mirror_components", "mirror_fix_versions"):
                sql = f"SELECT * FROM {table} WHERE connection = :c AND issue_id IN :ids"
                stmt = text(sql).bindparams(
                    __import__("sqlalchemy").bindparam("ids", expanding=True)
                )
                (await conn.execute(stmt, {"c": CONNECTION, "ids": ids})).all()
            return ids
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS floor_groups"))
        await conn.execute(text(GROUP_TMP))
        rows = [
            {"g": m.group, "k": m.kind, "f": fold(m.value), "u": m.value.upper()}
            for m in GROUPING.matches
        ]
        await conn.execute(text("INSERT INTO floor_groups VALUES (:g, :k, :f, :u)"), rows)
        result = (await conn.execute(text(GROUP_SQL), {"c": CONNECTION})).all()
        await conn.execute(text("DROP TABLE floor_groups"))
    return {g: n for g, n in result if n}


async def timed_pair(
    ours: Callable[[], Awaitable[Any]], floor: Callable[[], Awaitable[Any]], repeat: int
) -> tuple[float, float, Any, Any]:
    """Median seconds of ``ours`` and ``floor``, run alternately (so both see the same
    machine load), after one warm-up each; and their answers."""
    ours_answer, floor_answer = await ours(), await floor()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, spent in ((ours, times[0]), (floor, times[1])):
            start = time.perf_counter()
            await fn()
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1]), ours_answer, floor_answer


async def bench_backend(backend: Backend, total: int, repeat: int) -> bool:
    say(f"\n== {backend.name}: {total:,} issues, {PROJECTS} projects, {len(TAGS):,} tags")
    ours_s, floor_s = await ingest(backend, total)
    ratio = ours_s / floor_s
    say(
        f"ingest: upsert_issues {total / ours_s:,.0f} issues/s | raw executemany "
        f"{total / floor_s:,.0f} issues/s | ratio {ratio:.2f}x (target <= 2x)"
    )
    ok = True
    engine = create_engine(backend.url)
    try:
        say(f"{'query':<46} {'mirror':>10} {'hand SQL':>10} {'ratio':>7}")
        for case in cases(backend.name):
            ours_t, floor_t, ours_answer, floor_answer = await timed_pair(
                lambda c=case: run_ours(engine, c), lambda c=case: run_floor(engine, c), repeat
            )
            same = ours_answer == floor_answer
            ok = ok and same
            note = "" if same else "  ANSWERS DIFFER"
            say(
                f"{case.name:<46} {ours_t * 1000:>8.1f}ms {floor_t * 1000:>8.1f}ms "
                f"{ours_t / floor_t:>6.2f}x{note}"
            )
    finally:
        await engine.dispose()
    return ok


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    ok = True
    started = time.perf_counter()
    for name in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="mirror-bench-") as workdir:
            backend = make_backend(name, Path(workdir))
            try:
                ok = asyncio.run(bench_backend(backend, args.issues, args.repeat)) and ok
            finally:
                backend.cleanup()
    say(f"\ntotal {time.perf_counter() - started:.0f}s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
