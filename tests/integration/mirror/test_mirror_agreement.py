"""Property: for random data and random queries within the subset, SQLite and PostgreSQL
return the same issues in the same order."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from ticketlens.db.engine import create_engine
from ticketlens.jql.ast import (
    And,
    Clause,
    Empty,
    Field,
    FunctionCall,
    Not,
    Operator,
    Or,
    OrderItem,
    Query,
    Terminal,
    Value,
    ValueList,
)
from ticketlens.mirror import (
    MirrorIssue,
    MirrorUser,
    NamedItem,
    UnsupportedJQL,
    search_ids,
    upsert_issues,
)
from ticketlens.mirror.tables import CHILD_TABLES, mirror_issues, mirror_priorities

CONNECTION = "prop"
NOW = datetime(2024, 3, 13, 15, 0, tzinfo=UTC)
EXAMPLES = int(os.environ.get("TICKETLENS_MIRROR_EXAMPLES", "30"))

PROJECTS = [("PAY", "Payments", "10"), ("CHK", "Checkout", "11"), ("ÖPS", "Öps Team", "12")]
LABELS = ["api", "API", "ops", "Ünïcode", "straße", "search-indexer", "x_y"]
COMPONENTS = ["Web", "web", "Payments", "Infra"]
STATUSES = [("To Do", "new"), ("In Progress", "indeterminate"), ("Done", "done"), ("Ärger", "new")]
PRIORITIES = [None, "Highest", "High", "Medium", "Low", "Lowest"]
USERS = [None, MirrorUser(account_id="a1", name="alice", display_name="Alice Ünder")]
USERS.append(MirrorUser(account_id="b2", name="bob", display_name="bob"))
WORDS = ["login", "Login", "fails", "payment", "Straße", "the", "under_score", "crash", "ÜBER"]
DATE_OPERANDS: list[Value | FunctionCall] = [
    Value("2024-03-01"),
    Value("2024-03-13 10:00", quoted=True),
    Value("-3d"),
    Value("-1w 2d", quoted=True),
    Value("1709251200000"),
    FunctionCall("now"),
    FunctionCall("startOfDay"),
    FunctionCall("startOfWeek", ("-1",)),
    FunctionCall("endOfMonth", ("-1",)),
    FunctionCall("startOfYear"),
]


@st.composite
def issues(draw: st.DrawFn) -> list[MirrorIssue]:
    count = draw(st.integers(min_value=0, max_value=14))
    found = []
    for n in range(count):
        key, name, pid = draw(st.sampled_from(PROJECTS))
        status, category = draw(st.sampled_from(STATUSES))
        priority = draw(st.sampled_from(PRIORITIES))
        created = NOW - timedelta(minutes=draw(st.integers(0, 60 * 24 * 60)))
        resolved = draw(st.booleans())
        due = draw(st.one_of(st.none(), st.dates(date(2024, 2, 20), date(2024, 3, 20))))
        found.append(
            MirrorIssue(
                id=n + 1,
                key=f"{key}-{n + 1}",
                project_id=pid,
                project_key=key,
                project_name=name,
                issuetype=draw(st.sampled_from(["Bug", "Task"])),
                status=status,
                status_category=category,
                priority=priority,
                priority_rank=PRIORITIES.index(priority) if priority else None,
                resolution="Fixed" if resolved else None,
                resolutiondate=created + timedelta(hours=5) if resolved else None,
                assignee=draw(st.sampled_from(USERS)),
                reporter=draw(st.sampled_from(USERS)),
                created=created,
                updated=created + timedelta(minutes=draw(st.integers(0, 600))),
                duedate=due,
                summary=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
                description=draw(
                    st.one_of(st.none(), st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join))
                ),
                labels=tuple(draw(st.sets(st.sampled_from(LABELS), max_size=3))),
                components=tuple(
                    NamedItem(name=c, id=str(COMPONENTS.index(c)))
                    for c in draw(st.sets(st.sampled_from(COMPONENTS), max_size=2))
                ),
                parent_key=draw(st.sampled_from([None, "PAY-1", "CHK-2"])),
            )
        )
    return found


def _values(pool: list[str]) -> st.SearchStrategy[Value]:
    return st.sampled_from(pool).map(lambda t: Value(t, quoted=True))


def _terminal(name: str, pool: list[str], ordered: bool = False) -> st.SearchStrategy[Terminal]:
    ops = [Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.IS, Operator.IS_NOT]
    if ordered:
        ops += [Operator.LT, Operator.LE, Operator.GT, Operator.GE]

    @st.composite
    def build(draw: st.DrawFn) -> Terminal:
        op = draw(st.sampled_from(ops))
        if op in (Operator.IS, Operator.IS_NOT):
            return Terminal(Field(name), op, Empty())
        if op in (Operator.IN, Operator.NOT_IN):
            items = draw(
                st.lists(st.one_of(_values(pool), st.just(Empty())), min_size=1, max_size=3)
            )
            return Terminal(Field(name), op, ValueList(tuple(items)))
        return Terminal(Field(name), op, draw(_values(pool)))

    return build()


@st.composite
def _date_terminal(draw: st.DrawFn) -> Terminal:
    name = draw(st.sampled_from(["created", "updated", "resolved", "due"]))
    op = draw(st.sampled_from([Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.IS]))
    if op is Operator.IS:
        return Terminal(Field(name), op, Empty())
    return Terminal(Field(name), op, draw(st.sampled_from(DATE_OPERANDS)))


@st.composite
def _text_terminal(draw: st.DrawFn) -> Terminal:
    name = draw(st.sampled_from(["summary", "description", "text"]))
    op = (
        Operator.LIKE
        if name == "text"
        else draw(st.sampled_from([Operator.LIKE, Operator.NOT_LIKE]))
    )
    words = [
        w for w in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)) if w != "the"
    ]
    text = " ".join(words or ["login"])
    if draw(st.booleans()):
        text = f'"{text}"'
    elif draw(st.booleans()):
        text = text.split()[0][:3] + "*"
    return Terminal(Field(name), op, Value(text, quoted=True))


TERMINALS = st.one_of(
    _terminal("project", ["PAY", "pay", "Payments", "öps team", "ÖPS", "12", "NOPE"]),
    _terminal("labels", [*LABELS, "Api", "STRASSE", "ünïcode"]),
    _terminal("component", [*COMPONENTS, "WEB", "2"]),
    _terminal("status", ["To Do", "done", "ärger", "ÄRGER"]),
    _terminal("statusCategory", ["To Do", "indeterminate", "3"]),
    _terminal("priority", ["High", "medium", "Lowest"], ordered=True),
    _terminal("resolution", ["Fixed", "Unresolved"]),
    _terminal("assignee", ["alice", "a1", "ALICE ÜNDER", "Bob"]),
    _terminal("reporter", ["bob", "b2"]),
    _terminal("parent", ["PAY-1", "chk-2"]),
    _terminal("key", ["PAY-1", "chk-2", "ÖPS-3", "5"]),
    _date_terminal(),
    _text_terminal(),
)
CLAUSES = st.recursive(
    TERMINALS,
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda c: And(tuple(c))),
        st.lists(inner, min_size=2, max_size=3).map(lambda c: Or(tuple(c))),
        inner.map(Not),
    ),
    max_leaves=6,
)
ORDERS = st.lists(
    st.builds(
        OrderItem,
        st.sampled_from(["key", "created", "priority", "due", "summary", "assignee", "status"]).map(
            Field
        ),
        st.sampled_from([None, "ASC", "DESC"]),
    ),
    max_size=2,
).map(tuple)


async def _answers(
    url: str, data: list[MirrorIssue], queries: list[Query]
) -> list[list[int] | str]:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for table in (*CHILD_TABLES, mirror_issues, mirror_priorities):
                await conn.execute(delete(table).where(table.c.connection == CONNECTION))
        await upsert_issues(engine, CONNECTION, data)
        answers: list[list[int] | str] = []
        for query in queries:
            try:
                answers.append(
                    await search_ids(engine, CONNECTION, query, tz="Europe/Berlin", now=NOW)
                )
            except UnsupportedJQL as exc:
                answers.append(f"unsupported: {exc.reason}")
        return answers
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    path = tmp_path_factory.mktemp("agreement") / "agreement.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def test_sqlite_and_postgresql_return_the_same_issues(sqlite_url: str, postgres_url: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=issues(), wheres=st.lists(CLAUSES, min_size=1, max_size=4), order=ORDERS)
    def agree(data: list[MirrorIssue], wheres: list[Clause], order: tuple[OrderItem, ...]) -> None:
        queries = [Query(where=w, order_by=order) for w in wheres]
        on_sqlite = asyncio.run(_answers(sqlite_url, data, queries))
        on_postgres = asyncio.run(_answers(postgres_url, data, queries))
        assert on_sqlite == on_postgres

    agree()
