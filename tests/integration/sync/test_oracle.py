"""The oracle: for every example entity, the outstanding issues read from the mirror equal
what the sandbox returns for that entity's explained JQL, run directly."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, keys_from_sandbox

from ticketlens.settings import Settings
from ticketlens.sync import reading
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.sources import load_entities


async def test_every_example_entity_reads_from_the_mirror_what_jira_returns_for_its_jql(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    reports = await sync_connections(engine, settings)
    assert [r.error for r in reports] == [None, None]
    assert {r.kind for r in reports} == {"full"}
    checked = 0
    for entity in await load_entities(engine):
        explained = await reading.explain(engine, settings, entity.tag)
        answer = await reading.entity_issues(engine, settings, entity.tag, limit=10_000)
        for part, read in zip(explained["connections"], answer["connections"], strict=True):
            assert part["alias"] == read["alias"]
            if part["outstanding"] is None:
                assert read["issues"] == []
                continue
            assert read["source"] == "mirror"
            expected = keys_from_sandbox(world.of(part["alias"]), part["outstanding"])
            assert {i["key"] for i in read["issues"]} == expected, entity.tag
            checked += len(expected)
    assert checked > 50
