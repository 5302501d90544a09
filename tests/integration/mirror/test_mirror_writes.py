"""Upserts are idempotent, never roll an issue back, and replace multi-valued fields whole."""

from __future__ import annotations

from datetime import timedelta

from mirror_dataset import ISSUES, MAIN, OTHER, OTHER_ISSUES, TZ
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.jql import parse
from ticketlens.mirror import (
    MirrorIssue,
    NamedItem,
    count,
    delete_issues,
    record_priorities,
    search,
    search_ids,
    upsert_issues,
)
from ticketlens.mirror.tables import mirror_components, mirror_issues, mirror_labels


async def _rows(engine: AsyncEngine, table: object) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def _one(engine: AsyncEngine, key: str, connection: str = MAIN) -> MirrorIssue:
    page = await search(engine, connection, parse(f"key = {key}"), tz=TZ)
    assert len(page.issues) == 1
    return page.issues[0]


async def test_upserting_the_same_issues_twice_changes_nothing(engine: AsyncEngine) -> None:
    assert await upsert_issues(engine, MAIN, ISSUES) == len(ISSUES)
    before = [await _one(engine, i.key) for i in ISSUES]
    await upsert_issues(engine, MAIN, ISSUES)
    after = [await _one(engine, i.key) for i in ISSUES]
    assert before == after
    assert await _rows(engine, mirror_issues) == len(ISSUES)
    assert await _rows(engine, mirror_labels) == sum(len(i.labels) for i in ISSUES)


async def test_stored_issue_reads_back_equal_to_what_was_written(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    for issue in ISSUES:
        stored = await _one(engine, issue.key)
        expected = issue.model_copy(
            update={
                "labels": tuple(sorted(issue.labels)),
                "components": tuple(sorted(issue.components, key=lambda c: c.name)),
                "fix_versions": tuple(sorted(issue.fix_versions, key=lambda v: v.name)),
            }
        )
        assert stored == expected


async def test_an_older_update_never_overwrites_a_newer_one(engine: AsyncEngine) -> None:
    newer = ISSUES[0]
    older = newer.model_copy(
        update={
            "updated": newer.updated - timedelta(minutes=5),
            "summary": "stale",
            "labels": ("stale",),
        }
    )
    await upsert_issues(engine, MAIN, [newer])
    assert await upsert_issues(engine, MAIN, [older]) == 0
    stored = await _one(engine, newer.key)
    assert stored.summary == newer.summary
    assert set(stored.labels) == set(newer.labels)


async def test_newer_update_replaces_labels_and_components_as_whole_sets(
    engine: AsyncEngine,
) -> None:
    first = ISSUES[0]
    second = first.model_copy(
        update={
            "updated": first.updated + timedelta(hours=1),
            "labels": ("fresh",),
            "components": (NamedItem(name="Web", id="200"),),
            "fix_versions": (),
        }
    )
    await upsert_issues(engine, MAIN, [first])
    await upsert_issues(engine, MAIN, [second])
    stored = await _one(engine, first.key)
    assert stored.labels == ("fresh",)
    assert [c.name for c in stored.components] == ["Web"]
    assert stored.fix_versions == ()
    assert await search_ids(engine, MAIN, parse("labels = payments-api"), tz=TZ) == []


async def test_the_newest_copy_wins_within_one_batch(engine: AsyncEngine) -> None:
    issue = ISSUES[1]
    newer = issue.model_copy(
        update={"updated": issue.updated + timedelta(days=1), "summary": "new"}
    )
    assert await upsert_issues(engine, MAIN, [newer, issue]) == 1
    assert (await _one(engine, issue.key)).summary == "new"


async def test_connections_never_see_each_others_issues(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    await upsert_issues(engine, OTHER, OTHER_ISSUES)
    assert (await _one(engine, "PAY-1", OTHER)).summary == "Login fails elsewhere"
    assert (await _one(engine, "PAY-1", MAIN)).summary == ISSUES[0].summary
    assert await count(engine, OTHER, None, tz=TZ) == 1
    assert await count(engine, MAIN, parse("labels = elsewhere"), tz=TZ) == 0
    await delete_issues(engine, OTHER, [1])
    assert await count(engine, MAIN, None, tz=TZ) == len(ISSUES)


async def test_delete_removes_the_issue_and_its_multi_valued_fields(engine: AsyncEngine) -> None:
    await upsert_issues(engine, MAIN, ISSUES)
    assert await delete_issues(engine, MAIN, ["1", 3, 999]) == 2
    assert await count(engine, MAIN, parse("key in (PAY-1, PAY-3)"), tz=TZ) == 0
    async with engine.connect() as conn:
        left = await conn.execute(
            select(func.count())
            .select_from(mirror_components)
            .where(mirror_components.c.issue_id.in_([1, 3]))
        )
        assert left.scalar_one() == 0
    assert await delete_issues(engine, MAIN, [1]) == 0


async def test_large_batches_are_written_in_one_call(engine: AsyncEngine) -> None:
    template = ISSUES[0]
    many = [
        template.model_copy(update={"id": 1000 + n, "key": f"BIG-{n}", "project_key": "BIG"})
        for n in range(4500)
    ]
    assert await upsert_issues(engine, MAIN, many) == 4500
    assert await count(engine, MAIN, parse("project = BIG AND labels = security"), tz=TZ) == 4500


async def test_recorded_priority_order_drives_priority_comparisons(engine: AsyncEngine) -> None:
    custom = [
        ISSUES[0].model_copy(
            update={
                "id": 50 + n,
                "key": f"PRI-{n}",
                "priority": name,
                "priority_id": None,
                "priority_rank": None,
            }
        )
        for n, name in enumerate(["P0", "P1", "P2"])
    ]
    await upsert_issues(engine, MAIN, custom)
    assert await count(engine, MAIN, parse("priority > P2"), tz=TZ) == 0
    await record_priorities(engine, MAIN, [("P0", "10"), ("P1", "11"), ("P2", "12")])
    # Issues keep the rank they were written with; rewrite them once the order is known.
    ranked = [i.model_copy(update={"priority_rank": n + 1}) for n, i in enumerate(custom)]
    await upsert_issues(engine, MAIN, ranked)
    ids = await search_ids(engine, MAIN, parse("priority > P2"), tz=TZ)
    assert sorted(ids) == [50, 51]
