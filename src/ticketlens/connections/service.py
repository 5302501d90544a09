"""Entry points the API and the CLI call: a store for the settings, and validation."""

from __future__ import annotations

import dataclasses

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.connections.clients import open_client
from ticketlens.connections.crypto import SecretBox
from ticketlens.connections.models import Check, Connection, ConnectionKind, ValidationReport
from ticketlens.connections.store import ConnectionStore
from ticketlens.connections.validation import validate
from ticketlens.jira import JiraClient
from ticketlens.settings import Settings


def connection_store(engine: AsyncEngine, settings: Settings) -> ConnectionStore:
    """The connection store, sealing secrets with the settings' secret key."""
    return ConnectionStore(engine, SecretBox(settings.resolved_secret_key()))


async def validate_connection(
    store: ConnectionStore,
    settings: Settings,
    alias: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ValidationReport:
    """Test ``alias`` against its Jira and report each check in plain words."""
    connection = await store.get(alias)
    if connection.kind is ConnectionKind.DATACENTER_OAUTH and not connection.secrets.get(
        "accessToken"
    ):
        return ValidationReport(
            alias=alias,
            ok=False,
            checks=[
                Check(
                    name="credential",
                    ok=False,
                    message=f"connection {alias!r} is not authorized yet: run "
                    f"`ticketlens jira oauth {alias}` (or GET /api/v1/jira/configurations/"
                    f"{alias}/oauth/start) and approve access in Jira",
                )
            ],
        )

    def make_client(target: Connection, flavor: str) -> JiraClient:
        kind = target.kind
        if flavor != kind.flavor:
            kind = ConnectionKind.CLOUD if flavor == "cloud" else ConnectionKind.DATACENTER_BASIC
        probe = dataclasses.replace(target, kind=kind)
        # Validation answers quickly: an unreachable host is reported, not retried.
        quick = settings.model_copy(update={"jira_max_retries": 0})
        return open_client(quick, probe, store=store, transport=transport)

    return await validate(connection, make_client)
