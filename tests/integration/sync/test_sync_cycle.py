"""Full, incremental and reconcile syncs against both sandbox flavors."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import (
    Jiras,
    assert_mirror_equals_jira,
    delete_issue,
    edit_issue,
    keys_from_sandbox,
    mirrored,
)

from ticketlens.entities import import_paths
from ticketlens.settings import Settings
from ticketlens.sync import reading
from ticketlens.sync.attribution import attributions
from ticketlens.sync.runner import sync_connections


async def outstanding_keys(engine: AsyncEngine, settings: Settings, tag: str) -> list[str]:
    answer = await reading.entity_issues(engine, settings, tag, limit=10_000)
    return [i["key"] for i in answer["issues"]]


async def test_a_full_sync_mirrors_exactly_the_scope_of_each_connection(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    reports = await sync_connections(engine, settings)
    assert [(r.alias, r.kind, r.error) for r in reports] == [
        ("main", "full", None),
        ("dc", "full", None),
    ]
    assert await assert_mirror_equals_jira(engine, settings, world.default, "main") > 50
    assert await assert_mirror_equals_jira(engine, settings, world.dc, "dc") > 5


async def test_incremental_sync_fetches_changes_in_the_users_time_zone_with_few_requests(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    await sync_connections(engine, settings)
    jira = world.default
    key = (await outstanding_keys(engine, settings, "payments-api"))[0]
    edit_issue(jira, key, {"summary": "renamed while ticketlens was away"})
    created = jira.load_issues(
        [{"project": "PAY", "summary": "a brand new payments bug", "labels": ["payments-api"]}]
    )
    [report] = await sync_connections(engine, settings, alias="main")
    assert report.kind == "incremental"
    # One search request; known values are fresh and the time zone is cached.
    assert report.requests <= 2
    assert report.issues_fetched < 10
    mirror = await mirrored(engine, "main")
    assert mirror[key] == "renamed while ticketlens was away"
    assert created["keys"][0] in mirror
    # The watermark is now minutes old; a date written in the wrong zone would miss this.
    edit_issue(jira, key, {"summary": "renamed again"})
    [again] = await sync_connections(engine, settings, alias="main")
    assert again.kind == "incremental" and again.issues_fetched < 10
    assert (await mirrored(engine, "main"))[key] == "renamed again"
    await assert_mirror_equals_jira(engine, settings, jira, "main")


async def test_reconcile_removes_issues_deleted_in_jira_and_issues_that_left_the_scope(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    await sync_connections(engine, settings)
    jira = world.default
    links = await attributions(engine, "main")
    by_key: dict[str, set[tuple[str, str]]] = {}
    for link in links:
        by_key.setdefault(link.key, set()).add((link.field, link.value))
    label_only = sorted(k for k, vs in by_key.items() if {f for f, _ in vs} == {"labels"})
    doomed, leaving = label_only[0], label_only[1]
    delete_issue(jira, doomed)
    edit_issue(jira, leaving, {"labels": ["unrelated-label"]})
    [report] = await sync_connections(engine, settings, alias="main", mode="reconcile")
    assert report.kind == "reconcile"
    assert report.issues_deleted == 2
    mirror = await mirrored(engine, "main")
    assert doomed not in mirror and leaving not in mirror
    await assert_mirror_equals_jira(engine, settings, jira, "main")


async def test_an_entity_added_after_a_full_sync_gets_its_older_issues_on_the_next_sync(
    engine: AsyncEngine, settings: Settings, world: Jiras, tmp_path: Path
) -> None:
    await sync_connections(engine, settings)
    descriptor = tmp_path / "cortex.yaml"
    descriptor.write_text(
        "openapi: 3.0.1\ninfo:\n  title: Tech debt\n  x-cortex-tag: tech-debt-tracker\n"
        "  x-cortex-issues:\n    jira:\n      labels: [tech-debt]\n"
    )
    await import_paths(engine, [descriptor])
    expected = keys_from_sandbox(
        world.default, 'statusCategory IN ("To Do", "In Progress") AND labels IN (tech-debt)'
    )
    assert expected
    [report] = await sync_connections(engine, settings, alias="main")
    assert report.kind == "incremental"
    assert set(await outstanding_keys(engine, settings, "tech-debt-tracker")) == expected
    await assert_mirror_equals_jira(engine, settings, world.default, "main")
