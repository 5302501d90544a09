"""The demo's Jira half: two sandbox processes, two connections, a full sync, twice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.cli.demo_jira import connect_and_sync, running_sandboxes, tour
from ticketlens.entities import import_paths
from ticketlens.settings import Settings
from ticketlens.sync import reading

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "catalog"


async def test_demo_sandboxes_connect_sync_and_serve_every_example_entity(
    engine: AsyncEngine, settings: Settings, db_url: str
) -> None:
    await import_paths(engine, [EXAMPLES])
    for _ in range(2):  # a second demo run replaces the connections of the first
        with running_sandboxes() as jiras:
            assert [(j.alias, j.flavor) for j in jiras] == [
                ("cloud", "cloud"),
                ("dc", "datacenter"),
            ]
            reports = await connect_and_sync(db_url, settings, jiras)
            assert [(r.alias, r.kind, r.error) for r in reports] == [
                ("cloud", "full", None),
                ("dc", "full", None),
            ]
            identity = await reading.entity_issues(engine, settings, "identity-service")
            assert identity["issues"] and {i["alias"] for i in identity["issues"]} == {"dc"}
            explained = await reading.explain(engine, settings, "search-indexer")
            assert explained["connections"][0]["nearMisses"]
    assert any("explain search-indexer" in line for line in tour("http://127.0.0.1:8000"))
