"""API tokens, roles and health probes, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.api.app import create_app
from ticketlens.api.deps import Admin, Editor, Viewer
from ticketlens.auth import Role, TokenError, create_token, list_tokens, revoke_token
from ticketlens.db.tables import api_tokens
from ticketlens.settings import Settings


@pytest.fixture
async def client(db_url: str, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=db_url, data_dir=tmp_path))
    probe = APIRouter()

    @probe.get("/api/v1/_probe/viewer")
    async def viewer(p: Viewer) -> dict[str, str]:
        return {"name": p.name}

    @probe.get("/api/v1/_probe/editor")
    async def editor(p: Editor) -> dict[str, str]:
        return {"name": p.name}

    @probe.get("/api/v1/_probe/admin")
    async def admin(p: Admin) -> dict[str, str]:
        return {"name": p.name}

    app.include_router(probe)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            yield c


async def test_token_is_stored_only_as_hash(engine: AsyncEngine) -> None:
    token = await create_token(engine, "ci", Role.VIEWER)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(api_tokens))).all()
    assert len(rows) == 1
    assert token not in repr(tuple(rows[0]))
    assert rows[0].prefix == token[:10]


async def test_duplicate_token_name_is_refused(engine: AsyncEngine) -> None:
    await create_token(engine, "ci", Role.VIEWER)
    with pytest.raises(TokenError, match="already exists"):
        await create_token(engine, "ci", Role.ADMIN)


async def test_revoke_unknown_token_says_so(engine: AsyncEngine) -> None:
    with pytest.raises(TokenError, match="no token named 'ghost'"):
        await revoke_token(engine, "ghost")


async def test_invalid_token_name_is_refused(engine: AsyncEngine) -> None:
    with pytest.raises(TokenError, match="invalid"):
        await create_token(engine, "bad name!", Role.VIEWER)


async def test_missing_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/_probe/viewer")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


async def test_revoked_token_is_401(client: httpx.AsyncClient, db_url: str) -> None:
    engine = client._transport.app.state.engine  # type: ignore[attr-defined]
    token = await create_token(engine, "temp", Role.ADMIN)
    ok = await client.get("/api/v1/_probe/admin", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    await revoke_token(engine, "temp")
    gone = await client.get("/api/v1/_probe/admin", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401
    assert await list_tokens(engine) == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.VIEWER, {"viewer": 200, "editor": 403, "admin": 403}),
        (Role.EDITOR, {"viewer": 200, "editor": 200, "admin": 403}),
        (Role.ADMIN, {"viewer": 200, "editor": 200, "admin": 200}),
    ],
)
async def test_role_matrix(client: httpx.AsyncClient, role: Role, expected: dict[str, int]) -> None:
    engine = client._transport.app.state.engine  # type: ignore[attr-defined]
    token = await create_token(engine, f"t-{role.value}", role)
    for route, status in expected.items():
        response = await client.get(
            f"/api/v1/_probe/{route}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == status, route


async def test_health_and_ready_need_no_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200


async def test_readyz_fails_on_unmigrated_database(tmp_path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/empty.db", data_dir=tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            response = await c.get("/readyz")
    assert response.status_code == 503
    assert "ticketlens db upgrade" in response.json()["reason"]
