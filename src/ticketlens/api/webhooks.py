"""``POST /webhooks/jira/{alias}``: Jira's issue webhooks, verified by HMAC-SHA256.

No bearer token here: Jira cannot send one. The body must be signed with the
connection's webhook secret (``X-Hub-Signature: sha256=<hex>``); anything else is 401,
including an unknown alias, so aliases cannot be probed.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from ticketlens.api.deps import EngineDep, SettingsDep
from ticketlens.connections import ConnectionsError
from ticketlens.sync import state
from ticketlens.sync.errors import UnknownConnection, WebhookRejected
from ticketlens.sync.sources import load_connections, pick
from ticketlens.sync.webhook_secrets import webhook_secret
from ticketlens.sync.webhooks import apply_event, verify

router = APIRouter(tags=["webhooks"])

MAX_BODY = 5_000_000


@router.post("/webhooks/jira/{alias}")
async def jira_webhook(
    alias: str, request: Request, engine: EngineDep, settings: SettingsDep
) -> dict[str, Any]:
    """Apply one Jira issue event to the mirror (idempotent; the issue's updated decides)."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail="body too large")
    try:
        connection = pick(await load_connections(engine, settings), alias)
        verify(
            await webhook_secret(engine, settings, alias),
            body,
            request.headers.get("x-hub-signature"),
            alias,
        )
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookRejected("the body is not JSON", status=400) from exc
        if not isinstance(payload, dict):
            raise WebhookRejected("the body is not a JSON object", status=400)
        status_row = await state.read_status(engine, alias)
        result = await apply_event(
            engine,
            alias,
            payload,
            mirror_scope_text=connection.mirror_scope,
            time_zone=status_row.time_zone if status_row else None,
        )
    except UnknownConnection as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="unknown webhook") from exc
    except WebhookRejected as exc:
        raise HTTPException(exc.status, detail=str(exc)) from exc
    except ConnectionsError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(exc)) from exc
    return result.to_json()
