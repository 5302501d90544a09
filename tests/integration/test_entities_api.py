"""The catalog REST routes, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.api.app import create_app
from ticketlens.auth import Role, create_token
from ticketlens.entities import import_paths
from ticketlens.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"

SHIPPING = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shipping-service
  annotations:
    jira/project-key: SHIP
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: shipping-team
"""


@pytest.fixture
async def client(db_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=db_url, data_dir=tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            yield c


def engine_of(client: httpx.AsyncClient) -> AsyncEngine:
    engine: AsyncEngine = client._transport.app.state.engine  # type: ignore[attr-defined]
    return engine


async def bearer(client: httpx.AsyncClient, role: Role) -> dict[str, str]:
    token = await create_token(engine_of(client), f"t-{role.value}", role)
    return {"Authorization": f"Bearer {token}"}


async def test_entities_need_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/entities")).status_code == 401
    assert (await client.get("/api/v1/entities/payments-api")).status_code == 401
    assert (await client.post("/api/v1/catalog/descriptors", content=SHIPPING)).status_code == 401


async def test_list_pages_and_filters(client: httpx.AsyncClient) -> None:
    await import_paths(engine_of(client), [EXAMPLES])
    auth = await bearer(client, Role.VIEWER)
    first = (await client.get("/api/v1/entities?limit=10", headers=auth)).json()
    second = (await client.get("/api/v1/entities?limit=10&offset=10", headers=auth)).json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (14, 10, 4)
    tags = [e["tag"] for e in first["items"] + second["items"]]
    assert tags == sorted(tags)
    assert len(set(tags)) == 14
    apis = (await client.get("/api/v1/entities?type=api", headers=auth)).json()
    assert [e["tag"] for e in apis["items"]] == ["orders-api"]
    dc = (await client.get("/api/v1/entities?group=customer-facing", headers=auth)).json()
    assert {e["tag"] for e in dc["items"]} == {"checkout-web", "mobile-app"}
    bad = await client.get("/api/v1/entities?limit=0", headers=auth)
    assert bad.status_code == 422


async def test_read_one_entity_with_normalised_jira_block(client: httpx.AsyncClient) -> None:
    await import_paths(engine_of(client), [EXAMPLES])
    auth = await bearer(client, Role.VIEWER)
    body = (await client.get("/api/v1/entities/notifications", headers=auth)).json()
    assert body["tag"] == "notifications"
    assert body["jira"] == {
        "labels": [],
        "components": [],
        "projects": [],
        "defaultJql": 'statusCategory = "To Do" AND priority in (Highest, High)',
        "hasOverride": False,
    }
    mobile = (await client.get("/api/v1/entities/mobile-app", headers=auth)).json()
    assert mobile["jira"]["projects"] == [{"name": "MOB", "alias": "dc"}]
    missing = await client.get("/api/v1/entities/nope", headers=auth)
    assert missing.status_code == 404
    assert "nope" in missing.json()["detail"]


async def test_posting_a_descriptor_needs_the_editor_role(client: httpx.AsyncClient) -> None:
    viewer = await bearer(client, Role.VIEWER)
    refused = await client.post("/api/v1/catalog/descriptors", content=SHIPPING, headers=viewer)
    assert refused.status_code == 403
    editor = await bearer(client, Role.EDITOR)
    created = await client.post(
        "/api/v1/catalog/descriptors?source=shipping/catalog-info.yaml",
        content=SHIPPING,
        headers={**editor, "Content-Type": "application/yaml"},
    )
    assert created.status_code == 200
    assert created.json()["created"] == ["shipping-service"]
    assert len(created.json()["ignored"]) == 1
    again = await client.post("/api/v1/catalog/descriptors", content=SHIPPING, headers=editor)
    assert again.json()["unchanged"] == ["shipping-service"]
    stored = (await client.get("/api/v1/entities/shipping-service", headers=editor)).json()
    assert stored["jira"]["projects"] == [{"name": "SHIP", "alias": None}]


async def test_invalid_descriptor_is_422_with_file_line_and_key_path(
    client: httpx.AsyncClient,
) -> None:
    admin = await bearer(client, Role.ADMIN)
    text = (
        "openapi: 3.0.1\ninfo:\n  x-cortex-tag: ok\n  x-cortex-issues:\n"
        "    jira:\n      labels: 5\n"
    )
    response = await client.post(
        "/api/v1/catalog/descriptors?source=svc/cortex.yaml", content=text, headers=admin
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]["errors"]
    assert (error["kind"], error["file"], error["line"], error["keyPath"]) == (
        "wrong-type",
        "svc/cortex.yaml",
        6,
        "info.x-cortex-issues.jira.labels",
    )
    listing = (await client.get("/api/v1/entities", headers=admin)).json()
    assert listing["total"] == 0


async def test_non_utf8_body_is_422(client: httpx.AsyncClient) -> None:
    admin = await bearer(client, Role.ADMIN)
    response = await client.post(
        "/api/v1/catalog/descriptors", content=b"\xff\xfe\x00x", headers=admin
    )
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"]["message"]


async def test_openapi_documents_the_catalog_routes(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert {"/api/v1/entities", "/api/v1/entities/{tag}", "/api/v1/catalog/descriptors"} <= set(
        spec["paths"]
    )
    post = spec["paths"]["/api/v1/catalog/descriptors"]["post"]
    assert "application/yaml" in post["requestBody"]["content"]
    assert (await client.get("/docs")).status_code == 200
