"""Helpers for sync tests: ask a sandbox directly, edit its issues, compare with the mirror."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from sandbox_harness import SandboxHandle
from ticketlens.auth import Role, create_token
from ticketlens.connections import ConnectionCreate, ConnectionKind
from ticketlens.jql import to_jql
from ticketlens.mirror.tables import mirror_issues
from ticketlens.settings import Settings
from ticketlens.sync import state
from ticketlens.sync.engine import connection_infos, values_per_entity
from ticketlens.sync.scope import build_scope
from ticketlens.sync.sources import infos, load_connections, load_entities


@dataclass
class Jiras:
    """The default connection's sandbox and the ``dc`` sandbox."""

    default: SandboxHandle
    dc: SandboxHandle

    def of(self, alias: str) -> SandboxHandle:
        return self.default if alias == "main" else self.dc


def connection_for(alias: str, jira: SandboxHandle, *, default: bool) -> ConnectionCreate:
    """A connection to ``jira`` with its admin credentials."""
    if jira.flavor == "cloud":
        return ConnectionCreate(
            alias=alias,
            kind=ConnectionKind.CLOUD,
            url=jira.base_url,
            email=jira.email,
            api_token=SecretStr(jira.api_token),
            is_default=default,
        )
    return ConnectionCreate(
        alias=alias,
        kind=ConnectionKind.DATACENTER_PAT,
        url=jira.base_url,
        personal_access_token=SecretStr(jira.pat),
        is_default=default,
    )


def search_sandbox(
    jira: SandboxHandle, jql: str, fields: tuple[str, ...] = ("updated",)
) -> dict[str, dict[str, Any]]:
    """Every issue the sandbox returns for ``jql`` (key → fields), paging as its flavor does."""
    found: dict[str, dict[str, Any]] = {}
    if jira.flavor == "cloud":
        token: str | None = None
        while True:
            body: dict[str, object] = {"jql": jql, "fields": list(fields), "maxResults": 1000}
            if token:
                body["nextPageToken"] = token
            response = httpx.post(f"{jira.api()}/search/jql", json=body, auth=jira.basic_auth)
            response.raise_for_status()
            data = response.json()
            found.update({i["key"]: i.get("fields", {}) for i in data["issues"]})
            token = data.get("nextPageToken")
            if data.get("isLast", True) or not token:
                return found
    start = 0
    while True:
        body = {"jql": jql, "fields": list(fields), "maxResults": 1000, "startAt": start}
        response = httpx.post(f"{jira.api()}/search", json=body, auth=jira.basic_auth)
        response.raise_for_status()
        data = response.json()
        found.update({i["key"]: i.get("fields", {}) for i in data["issues"]})
        start += len(data["issues"])
        if not data["issues"] or start >= data["total"]:
            return found


def keys_from_sandbox(jira: SandboxHandle, jql: str) -> set[str]:
    """Every issue key the sandbox returns for ``jql``."""
    return set(search_sandbox(jira, jql, ("key",)))


def edit_issue(jira: SandboxHandle, key: str, fields: dict[str, Any]) -> None:
    """Change an issue through Jira's own endpoint (fires webhooks, bumps updated)."""
    response = httpx.put(
        f"{jira.api('2')}/issue/{key}", json={"fields": fields}, auth=jira.basic_auth
    )
    response.raise_for_status()


def delete_issue(jira: SandboxHandle, key: str) -> None:
    """Delete an issue through Jira's own endpoint."""
    response = httpx.delete(f"{jira.api('2')}/issue/{key}", auth=jira.basic_auth)
    response.raise_for_status()


async def mirrored(engine: AsyncEngine, alias: str) -> dict[str, str]:
    """key → summary of every mirrored issue of ``alias``."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(mirror_issues.c.key, mirror_issues.c.summary).where(
                mirror_issues.c.connection == alias
            )
        )
        return {k: s for k, s in rows}


async def scope_keys(
    engine: AsyncEngine, settings: Settings, jira: SandboxHandle, alias: str
) -> dict[str, str]:
    """key → summary of every issue the sandbox holds inside ``alias``'s sync scope."""
    connections = await load_connections(engine, settings)
    filled = await connection_infos(engine, infos(connections))
    per_entity = values_per_entity(alias, await load_entities(engine), filled)
    union = {v for values in per_entity.values() for v in values}
    scope_text = next(c.mirror_scope for c in connections if c.alias == alias)
    scope = build_scope(alias, union, scope_text, max_length=settings.sync_max_jql_length)
    found: dict[str, str] = {}
    for query in scope.queries():
        found.update(
            {k: f["summary"] for k, f in search_sandbox(jira, to_jql(query), ("summary",)).items()}
        )
    return found


async def assert_mirror_equals_jira(
    engine: AsyncEngine, settings: Settings, jira: SandboxHandle, alias: str
) -> int:
    """The mirror of ``alias`` holds exactly the issues of its scope in Jira, up to date."""
    expected = await scope_keys(engine, settings, jira, alias)
    actual = await mirrored(engine, alias)
    missing = sorted(set(expected) - set(actual))[:10]
    extra = sorted(set(actual) - set(expected))[:10]
    changed = sorted(k for k in set(actual) & set(expected) if actual[k] != expected[k])[:10]
    assert actual == expected, f"missing {missing}, extra {extra}, stale {changed}"
    status = await state.read_status(engine, alias)
    assert status is not None and status.issues_mirrored == len(expected)
    return len(expected)


async def bearer(engine: AsyncEngine, role: Role) -> dict[str, str]:
    """An Authorization header with a new token of ``role``."""
    token = await create_token(engine, f"t-{role.value}", role)
    return {"Authorization": f"Bearer {token}"}
