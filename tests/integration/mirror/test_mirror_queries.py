"""Keyset paging, ordering as Jira orders, counts, and count_by for many groups at once."""

from __future__ import annotations

import pytest
from mirror_dataset import ISSUES, MAIN, NOW, TZ
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.jql import parse
from ticketlens.mirror import (
    Grouping,
    InvalidCursor,
    count,
    count_by,
    search,
    search_ids,
    upsert_issues,
)

KEY = {i.id: i.key for i in ISSUES}


async def _keys(engine: AsyncEngine, jql: str) -> list[str]:
    return [KEY[i] for i in await search_ids(engine, MAIN, parse(jql), tz=TZ, now=NOW)]


async def test_order_by_follows_jira_conventions(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    assert await _keys(engine, "project = PAY ORDER BY key") == [
        "PAY-1",
        "PAY-2",
        "PAY-3",
        "PAY-5",
        "PAY-10",
    ]
    assert await _keys(engine, "project = PAY") == ["PAY-10", "PAY-5", "PAY-3", "PAY-2", "PAY-1"]
    # Highest first with DESC; issues without priority come first in DESC (EMPTY is largest).
    assert (await _keys(engine, "project = OPS ORDER BY priority DESC"))[0] == "OPS-1"
    assert await _keys(engine, "project = PAY ORDER BY priority DESC, key ASC") == [
        "PAY-5",
        "PAY-1",
        "PAY-3",
        "PAY-2",
        "PAY-10",
    ]
    # EMPTY due dates sort last in ascending order.
    assert await _keys(engine, "project = PAY ORDER BY due ASC, key") == [
        "PAY-3",
        "PAY-1",
        "PAY-2",
        "PAY-5",
        "PAY-10",
    ]
    assert await _keys(engine, "project = CHK ORDER BY created DESC") == ["CHK-1", "CHK-2", "CHK-3"]


async def test_pages_cover_every_match_exactly_once(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    for jql in ("ORDER BY due DESC", "ORDER BY assignee, updated DESC", "ORDER BY summary"):
        query = parse(jql)
        expected = await search_ids(engine, MAIN, query, tz=TZ)
        seen: list[int] = []
        cursor = None
        while True:
            page = await search(engine, MAIN, query, limit=5, after=cursor, tz=TZ)
            seen.extend(i.id for i in page.issues)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == expected


async def test_offset_paging_matches_keyset_paging(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    query = parse("ORDER BY created")
    whole = await search_ids(engine, MAIN, query, tz=TZ)
    page = await search(engine, MAIN, query, limit=4, offset=4, tz=TZ)
    assert [i.id for i in page.issues] == whole[4:8]


async def test_a_cursor_from_another_ordering_is_refused(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    page = await search(engine, MAIN, parse("ORDER BY created"), limit=2, tz=TZ)
    assert page.next_cursor is not None
    with pytest.raises(InvalidCursor):
        await search(engine, MAIN, parse("ORDER BY key"), after=page.next_cursor, tz=TZ)
    with pytest.raises(InvalidCursor):
        await search(engine, MAIN, parse("ORDER BY key"), after="not-a-cursor", tz=TZ)


async def test_order_argument_overrides_the_query_order(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    order = parse("ORDER BY key ASC").order_by
    page = await search(engine, MAIN, parse("project = OPS ORDER BY key DESC"), order, tz=TZ)
    assert [i.key for i in page.issues] == ["OPS-1", "OPS-2", "OPS-3"]


async def test_count_by_answers_every_group_in_one_call(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    grouping = Grouping.from_mapping(
        {
            "payments-api": [
                ("label", "payments-api"),
                ("component", "payments-api"),
                ("project", "payments-api"),
            ],
            "checkout": [("label", "checkout"), ("component", "checkout"), ("project", "checkout")],
            "ledger-service": [("project", "LEDG"), ("label", "ledger")],
            "by-id": [("project", "10002")],
            "search-indexer": [("label", "search-indexer")],
            "nothing": [],
        }
    )
    outstanding = parse('statusCategory in ("To Do", "In Progress")')
    counts = await count_by(engine, MAIN, outstanding, grouping, tz=TZ, now=NOW)
    assert counts == {
        "payments-api": 4,
        "checkout": 3,
        "ledger-service": 1,
        "by-id": 1,
        "search-indexer": 2,
        "nothing": 0,
    }
    everything = await count_by(engine, MAIN, None, grouping, tz=TZ)
    assert everything["by-id"] == 3
    assert everything["payments-api"] == 4


async def test_count_by_agrees_with_one_count_per_group(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    tags = ["payments-api", "checkout-web", "incident", "web", "pay", "ops", "Ledger"]
    grouping = Grouping.from_mapping(
        {t: [("label", t), ("component", t), ("project", t)] for t in tags}
    )
    rule = "priority >= Medium"
    counts = await count_by(engine, MAIN, parse(rule), grouping, tz=TZ)
    for tag in tags:
        match = f"({rule}) AND (component = {tag} OR labels = {tag} OR project = {tag})"
        assert counts[tag] == await count(engine, MAIN, parse(match), tz=TZ), tag
