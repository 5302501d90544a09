"""Webhooks: Jira's own signed events, replayed to ticketlens, applied idempotently and
in the order of the issues' ``updated`` times, whatever order they arrive in."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, assert_mirror_equals_jira, bearer, delete_issue, edit_issue, mirrored

from sandbox_harness import ReceivedWebhook, SandboxHandle, webhook_receiver
from ticketlens.auth import Role
from ticketlens.settings import Settings
from ticketlens.sync import reading
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.webhooks import signature

SECRET = "s3cret-webhook-key-of-the-main-jira"


async def deliver(api: httpx.AsyncClient, hook: ReceivedWebhook) -> httpx.Response:
    headers = {"X-Hub-Signature": hook.headers["x-hub-signature"]}
    return await api.post("/webhooks/jira/main", content=hook.body, headers=headers)


def create_issue(jira: SandboxHandle, summary: str, labels: list[str]) -> str:
    fields: dict[str, Any] = {
        "project": {"key": "PAY"},
        "summary": summary,
        "issuetype": {"name": "Bug"},
        "labels": labels,
    }
    response = httpx.post(f"{jira.api('2')}/issue", json={"fields": fields}, auth=jira.basic_auth)
    response.raise_for_status()
    return str(response.json()["key"])


async def test_jira_events_are_verified_and_applied_idempotently_in_updated_order(
    engine: AsyncEngine, settings: Settings, world: Jiras, api: httpx.AsyncClient
) -> None:
    await sync_connections(engine, settings)
    jira = world.default
    admin = await bearer(engine, Role.ADMIN)
    viewer = await bearer(engine, Role.VIEWER)
    url = "/api/v1/jira/configurations/main/webhook-secret"
    assert (await api.put(url, json={"secret": SECRET}, headers=viewer)).status_code == 403
    assert (await api.put(url, json={"secret": SECRET}, headers=admin)).status_code == 204

    with webhook_receiver() as receiver:
        jira.add_webhook(receiver.url, SECRET)
        created = create_issue(jira, "checkout refuses cards", ["payments-api"])
        jira.advance_clock(120)
        edit_issue(jira, created, {"summary": "first rename"})
        jira.advance_clock(120)
        edit_issue(jira, created, {"summary": "second rename"})
        hooks = receiver.wait_for(3)
    made, first, second = hooks
    assert made.payload["webhookEvent"] == "jira:issue_created"

    assert (await deliver(api, made)).json()["outcome"] == "upserted"
    # Out of order: the newer update first, then the older one, which changes nothing.
    assert (await deliver(api, second)).json()["outcome"] == "upserted"
    assert (await deliver(api, first)).json()["outcome"] == "ignored-stale"
    # A duplicate of the newest is harmless.
    assert (await deliver(api, second)).json()["outcome"] == "upserted"
    assert (await mirrored(engine, "main"))[created] == "second rename"
    issues = await reading.entity_issues(engine, settings, "payments-api", limit=10_000)
    assert created in {i["key"] for i in issues["issues"]}

    with webhook_receiver() as receiver:
        jira.add_webhook(receiver.url, SECRET)
        delete_issue(jira, created)
        [gone] = receiver.wait_for(1)
    assert (await deliver(api, gone)).json()["outcome"] == "deleted"
    assert (await deliver(api, gone)).json()["outcome"] == "deleted"
    # An update that was delayed past the deletion does not bring the issue back.
    assert (await deliver(api, second)).json()["outcome"] == "ignored-stale"
    assert created not in await mirrored(engine, "main")
    await assert_mirror_equals_jira(engine, settings, jira, "main")


async def test_an_event_moving_an_issue_out_of_every_match_removes_it(
    engine: AsyncEngine, settings: Settings, world: Jiras, api: httpx.AsyncClient
) -> None:
    await sync_connections(engine, settings)
    jira = world.default
    admin = await bearer(engine, Role.ADMIN)
    url = "/api/v1/jira/configurations/main/webhook-secret"
    assert (await api.put(url, json={"secret": SECRET}, headers=admin)).status_code == 204
    key = create_issue(jira, "to be moved away", ["payments-api"])
    await sync_connections(engine, settings, alias="main")
    assert key in await mirrored(engine, "main")
    with webhook_receiver() as receiver:
        jira.add_webhook(receiver.url, SECRET)
        jira.advance_clock(60)
        edit_issue(jira, key, {"labels": ["nobody-matches-this"]})
        [moved] = receiver.wait_for(1)
    assert (await deliver(api, moved)).json()["outcome"] == "removed-out-of-scope"
    assert key not in await mirrored(engine, "main")


async def test_unsigned_or_wrongly_signed_webhooks_get_401(
    engine: AsyncEngine, api: httpx.AsyncClient
) -> None:
    admin = await bearer(engine, Role.ADMIN)
    url = "/api/v1/jira/configurations/main/webhook-secret"
    assert (await api.put(url, json={"secret": SECRET}, headers=admin)).status_code == 204
    for headers in (
        {},
        {"X-Hub-Signature": "sha256=00"},
        {"X-Hub-Signature": signature("a-different-secret-entirely", b"{}")},
        {"X-Hub-Signature": "sha1=abc"},
    ):
        response = await api.post("/webhooks/jira/main", content=b"{}", headers=headers)
        assert response.status_code == 401, headers
    # The right signature over the same body is accepted (an event it ignores).
    signed = {"X-Hub-Signature": signature(SECRET, b"{}")}
    response = await api.post("/webhooks/jira/main", content=b"{}", headers=signed)
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"


async def test_webhooks_for_an_unknown_alias_or_without_a_secret_get_401(
    engine: AsyncEngine, api: httpx.AsyncClient
) -> None:
    body = b'{"webhookEvent": "jira:issue_deleted", "issue": {"id": "1"}}'
    signed = {"X-Hub-Signature": signature(SECRET, body)}
    assert (await api.post("/webhooks/jira/nope", content=body, headers=signed)).status_code == 401
    # "dc" exists but has no webhook secret yet.
    assert (await api.post("/webhooks/jira/dc", content=body, headers=signed)).status_code == 401


async def test_a_short_webhook_secret_is_refused(
    engine: AsyncEngine, api: httpx.AsyncClient
) -> None:
    admin = await bearer(engine, Role.ADMIN)
    url = "/api/v1/jira/configurations/main/webhook-secret"
    response = await api.put(url, json={"secret": "short"}, headers=admin)
    assert response.status_code == 422
    assert "at least 16" in response.json()["detail"]
