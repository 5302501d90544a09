"""The REST routes and CLI commands over the sync services: issues, explain, status."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, bearer

from ticketlens.auth import Role
from ticketlens.cli.main import main
from ticketlens.db.engine import create_engine
from ticketlens.settings import Settings
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.webhook_secrets import webhook_secret


async def test_issues_explain_and_status_routes(
    engine: AsyncEngine, settings: Settings, world: Jiras, api: httpx.AsyncClient
) -> None:
    viewer = await bearer(engine, Role.VIEWER)
    admin = await bearer(engine, Role.ADMIN)
    base = "/api/v1/entities/payments-api/jira"
    assert (await api.get(f"{base}/issues")).status_code == 401
    assert (await api.post("/api/v1/jira/sync", headers=viewer)).status_code == 403
    synced = await api.post("/api/v1/jira/sync", headers=admin)
    assert synced.status_code == 200
    assert [r["kind"] for r in synced.json()["reports"]] == ["full", "full"]

    answer = (await api.get(f"{base}/issues", headers=viewer)).json()
    assert answer["source"] == "mirror" and answer["issues"]
    issue = answer["issues"][0]
    assert set(issue) == {
        "key", "summary", "status", "statusCategory", "type", "priority", "assignee",
        "updated", "alias", "url",
    }  # fmt: skip
    assert issue["alias"] == "main"
    assert issue["url"] == f"{world.default.base_url}/browse/{issue['key']}"
    assert issue["statusCategory"] in {"To Do", "In Progress"}

    custom = await api.get(f"{base}/issues", params={"jql": "labels = security"}, headers=viewer)
    part = custom.json()["connections"][0]
    assert part["source"] == "mirror"
    assert part["jql"].startswith("labels = security AND (component = payments-api")

    remote = await api.get(f"{base}/issues", params={"jql": "assignee WAS alice"}, headers=viewer)
    part = remote.json()["connections"][0]
    assert remote.json()["source"] == "jira" and part["source"] == "jira"
    assert part["jql"].endswith(
        "AND (component = payments-api OR labels = payments-api) ORDER BY updated DESC"
    )

    bad = await api.get(f"{base}/issues", params={"jql": "status = "}, headers=viewer)
    assert bad.status_code == 400 and "jql parameter" in bad.json()["detail"]
    missing = await api.get("/api/v1/entities/nope/jira/issues", headers=viewer)
    assert missing.status_code == 404

    explained = await api.get(f"{base}/explain", params={"rule": "type = Bug"}, headers=viewer)
    [conn] = explained.json()["connections"]
    assert conn["rule"] == "type = Bug AND (component = payments-api OR labels = payments-api)"
    assert conn["outstanding"].startswith('statusCategory IN ("To Do", "In Progress") AND (')

    counts = (await api.get("/api/v1/jira/outstanding", headers=viewer)).json()["counts"]
    for tag in ("payments-api", "identity-service", "notifications", "search-indexer"):
        one = await api.get(f"/api/v1/entities/{tag}/jira/issues?limit=1000", headers=viewer)
        assert counts[tag] == len(one.json()["issues"]) > 0, tag

    status = (await api.get("/api/v1/jira/sync-status", headers=viewer)).json()
    rows = {row["alias"]: row for row in status["connections"]}
    assert set(rows) == {"main", "dc"}
    assert rows["main"]["lastSuccessAt"] and rows["main"]["requests"] > 0
    assert rows["main"]["issuesMirrored"] > 0 and rows["main"]["durationMs"] >= 0


def test_cli_sync_issues_explain_and_webhook_secret(
    settings: Settings, world: Jiras, db_url: str
) -> None:
    env = {
        "TICKETLENS_DATABASE_URL": db_url,
        "TICKETLENS_DATA_DIR": str(settings.data_dir),
        "TICKETLENS_SECRET_KEY": str(settings.secret_key),
        "TICKETLENS_LOG_LEVEL": "warning",
        "HOOK_SECRET": "a-long-enough-webhook-secret",
    }
    runner = CliRunner()
    synced = runner.invoke(main, ["sync"], env=env)
    assert synced.exit_code == 0, synced.output
    assert "main: full sync" in synced.output and "dc: full sync" in synced.output

    listed = runner.invoke(main, ["issues", "payments-api", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    answer = json.loads(listed.stdout)
    assert answer["source"] == "mirror" and answer["issues"]

    table = runner.invoke(main, ["issues", "identity-service"], env=env)
    assert table.exit_code == 0 and "dc from mirror" in table.output

    explained = runner.invoke(main, ["explain", "search-indexer"], env=env)
    assert explained.exit_code == 0, explained.output
    assert "match:        component = search-indexer OR labels = search-indexer" in explained.output
    assert "left out:     project 'search-indexer'" in explained.output
    assert "case variant: labels 'Search-Indexer' (case from 'search-indexer')" in explained.output

    unknown = runner.invoke(main, ["explain", "nope"], env=env)
    assert unknown.exit_code == 2 and "no entity is tagged 'nope'" in unknown.output

    again = runner.invoke(main, ["sync", "--alias", "dc", "--json"], env=env)
    assert again.exit_code == 0
    assert json.loads(again.stdout)[0]["kind"] == "incremental"

    secret = runner.invoke(
        main, ["jira", "webhook-secret", "main", "--secret-env", "HOOK_SECRET"], env=env
    )
    assert secret.exit_code == 0, secret.output
    assert "a-long-enough-webhook-secret" not in secret.output
    assert asyncio.run(stored_secret(db_url, settings)) == "a-long-enough-webhook-secret"


async def stored_secret(db_url: str, settings: Settings) -> str | None:
    engine = create_engine(db_url)
    try:
        return await webhook_secret(engine, settings, "main")
    finally:
        await engine.dispose()


async def test_sync_of_an_unknown_alias_says_which_exist(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    from ticketlens.sync.errors import UnknownConnection

    with pytest.raises(UnknownConnection, match="configured: main, dc"):
        await sync_connections(engine, settings, alias="nope")
