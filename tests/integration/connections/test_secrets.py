"""Planted secrets never appear in API responses, CLI output, logs, or the database's bytes."""

from __future__ import annotations

import asyncio
import base64
import io
import logging
from pathlib import Path

import psycopg
import pytest
import structlog
from click.testing import CliRunner
from connections_support import SECRET_KEY, Api
from sqlalchemy import select

from sandbox_harness import SandboxHandle, running_sandbox
from ticketlens.cli.main import main
from ticketlens.connections import (
    ConnectionStore,
    SecretBox,
    SecretsUnreadable,
    connection_store,
    rotate_secrets,
)
from ticketlens.connections.tables import jira_connections
from ticketlens.jira import OAuthTokens
from ticketlens.settings import Settings

PLANTED = {
    "apiToken": "PLANTED-api-token-9c1e",
    "password": "PLANTED-password-44ab",
    "personalAccessToken": "PLANTED-pat-07d2",
    "clientSecret": "PLANTED-client-secret-5f5f",
    "proxyPassword": "PLANTED-proxy-pw-e1e1",
    "accessToken": "PLANTED-access-token-aa11",
    "refreshToken": "PLANTED-refresh-token-bb22",
}


def bodies(jira: SandboxHandle) -> list[dict[str, object]]:
    proxy = f"http://corp:{PLANTED['proxyPassword']}@127.0.0.1:9"
    return [
        {
            "alias": "cloud",
            "kind": "cloud",
            "url": jira.base_url,
            "email": "a@b.example",
            "apiToken": PLANTED["apiToken"],
            "proxy": proxy,
        },
        {
            "alias": "basic",
            "kind": "datacenter-basic",
            "url": jira.base_url,
            "username": "admin",
            "password": PLANTED["password"],
        },
        {
            "alias": "pat",
            "kind": "datacenter-pat",
            "url": jira.base_url,
            "personalAccessToken": PLANTED["personalAccessToken"],
        },
        {
            "alias": "oauth",
            "kind": "datacenter-oauth",
            "url": jira.base_url,
            "clientId": "cid",
            "clientSecret": PLANTED["clientSecret"],
        },
    ]


def forms(secret: str) -> list[str]:
    """The secret as-is, and as it would look inside a Basic header."""
    found = [secret]
    for user in ("admin", "a@b.example"):
        found.append(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return found


def assert_clean(text: str, where: str) -> None:
    for name, secret in PLANTED.items():
        for form in forms(secret):
            assert form not in text, f"{name} leaked into {where}"


async def database_text(db_url: str, store: ConnectionStore) -> str:
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        await store.engine.dispose()  # checkpoint nothing away: read the WAL too
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        return raw.decode("latin-1")
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT row_to_json(c)::text FROM jira_connections c "
            "UNION ALL SELECT row_to_json(s)::text FROM jira_oauth_states s"
        ).fetchall()
    return "\n".join(r[0] for r in rows)


async def test_planted_secrets_never_leak(
    api: Api,
    settings: Settings,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    logs = io.StringIO()
    structlog.configure(
        processors=[structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=structlog.PrintLoggerFactory(file=logs),
    )
    seen: list[str] = []
    with running_sandbox(flavor="datacenter", issues=3) as jira:
        for body in bodies(jira):
            response = await api.request("POST", "/api/v1/jira/configurations", json=body)
            assert response.status_code == 201, response.text
            seen.append(response.text)
        store = connection_store(api.app.state.engine, settings)
        await store.save_oauth_tokens(
            "oauth",
            OAuthTokens(
                access_token=PLANTED["accessToken"],
                refresh_token=PLANTED["refreshToken"],
                expires_at=0,  # expired: validation will try (and fail) to refresh it
            ),
        )
        for method, path, payload in [
            ("GET", "/api/v1/jira/configurations", None),
            ("GET", "/api/v1/jira/default-configuration", None),
            ("PUT", "/api/v1/jira/configurations/pat", {"timeoutSeconds": 7}),
            ("POST", "/api/v1/jira/configurations/basic/default", None),
            ("GET", "/api/v1/jira/configurations/oauth/oauth/start", None),
        ] + [
            (m, f"/api/v1/jira/configurations/{b['alias']}{suffix}", None)
            for b in bodies(jira)
            for m, suffix in (("GET", ""), ("POST", "/validate"))
        ]:
            response = await api.request(method, path, json=payload)
            assert response.status_code < 500, (path, response.text)
            seen.append(response.text + str(response.headers))
        runner = CliRunner()
        env = {
            "TICKETLENS_DATABASE_URL": db_url,
            "TICKETLENS_DATA_DIR": str(tmp_path),
            "TICKETLENS_SECRET_KEY": SECRET_KEY,
            "TICKETLENS_LOG_LEVEL": "debug",
        }
        for args in (
            ["jira", "list"],
            ["jira", "list", "--json"],
            *[["jira", "show", b["alias"], "--json"] for b in bodies(jira)],
            *[["jira", "show", b["alias"]] for b in bodies(jira)],
            *[["jira", "validate", b["alias"]] for b in bodies(jira)],
        ):
            result = await asyncio.to_thread(runner.invoke, main, args, env=env)
            seen.append(result.output)
    for n, text in enumerate(seen):
        assert_clean(text, f"output {n}")
    structlog.reset_defaults()
    captured = capsys.readouterr()
    assert_clean(captured.out + captured.err, "printed output")
    assert_clean("\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records), "logs")
    assert "connections.validated" in logs.getvalue()
    assert_clean(logs.getvalue(), "structured logs")
    assert_clean(await database_text(db_url, store), "the database")


async def test_secrets_rotate_to_a_new_key_in_one_transaction(
    store: ConnectionStore, engine, settings: Settings
) -> None:
    from ticketlens.connections import ConnectionCreate

    for alias in ("a", "b"):
        await store.create(
            ConnectionCreate.model_validate(
                {
                    "alias": alias,
                    "kind": "datacenter-pat",
                    "url": "https://j",
                    "personalAccessToken": f"pat-{alias}",
                }
            ),
            default_timeout=5,
        )
    async with engine.connect() as conn:
        before = {r.alias: r.secrets for r in await conn.execute(select(jira_connections))}
    new = SecretBox(b"n" * 48)
    assert await rotate_secrets(engine, store.box, new) == 2
    with pytest.raises(SecretsUnreadable, match="secrets rotate"):
        await store.list()
    rotated = ConnectionStore(engine, new)
    assert [c.secrets.get("personalAccessToken") for c in await rotated.list()] == [
        "pat-a",
        "pat-b",
    ]
    async with engine.connect() as conn:
        after = {r.alias: r.secrets for r in await conn.execute(select(jira_connections))}
    assert all(after[a] != before[a] for a in before)
    # a value sealed with some other key aborts the rotation: nothing changes
    with pytest.raises(SecretsUnreadable):
        await rotate_secrets(engine, store.box, SecretBox(b"x" * 48))
    assert [c.alias for c in await rotated.list()] == ["a", "b"]
