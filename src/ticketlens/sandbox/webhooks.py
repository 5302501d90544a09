"""Webhook delivery: Jira's issue events, signed with HMAC-SHA256 when a secret is set.

The payload is ``{timestamp, webhookEvent, issue_event_type_name, user, issue, changelog}``;
the signature header is ``X-Hub-Signature: sha256=<hex>`` over the exact body bytes, as
Jira's webhooks with a secret send it. Deliveries run in the background and never delay
the request that caused them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import structlog

from ticketlens.sandbox.options import WebhookTarget

log = structlog.get_logger("ticketlens.sandbox.webhooks")

EVENT_TYPES = {
    "jira:issue_created": "issue_created",
    "jira:issue_updated": "issue_updated",
    "jira:issue_deleted": "issue_deleted",
}


@dataclass(slots=True)
class Delivery:
    """One attempted delivery, as ``GET /_sandbox/webhooks`` lists it."""

    url: str
    event: str
    issue_key: str
    status: int | None
    error: str | None = None


def sign(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature`` value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookDispatcher:
    """Registered targets and the deliveries made to them."""

    def __init__(self, targets: tuple[WebhookTarget, ...]) -> None:
        self.targets: list[WebhookTarget] = list(targets)
        self.deliveries: list[Delivery] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None

    def fire(
        self,
        event: str,
        issue: dict[str, Any],
        user: dict[str, Any],
        timestamp_ms: int,
        changelog: dict[str, Any] | None = None,
    ) -> None:
        """Send ``event`` to every target, in the background."""
        if not self.targets:
            return
        payload: dict[str, Any] = {
            "timestamp": timestamp_ms,
            "webhookEvent": event,
            "issue_event_type_name": EVENT_TYPES[event],
            "user": user,
            "issue": issue,
        }
        if changelog is not None:
            payload["changelog"] = changelog
        body = json.dumps(payload, separators=(",", ":")).encode()
        for target in list(self.targets):
            task = asyncio.get_running_loop().create_task(
                self._deliver(target, event, str(issue.get("key")), body)
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, target: WebhookTarget, event: str, key: str, body: bytes) -> None:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Atlassian Webhook HTTP Client",
        }
        headers["X-Atlassian-Webhook-Identifier"] = str(uuid.uuid4())
        headers["X-Atlassian-Webhook-Flow"] = "Primary"
        if target.secret:
            headers["X-Hub-Signature"] = sign(target.secret, body)
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0)
        try:
            response = await self._client.post(target.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            self.deliveries.append(Delivery(target.url, event, key, None, type(exc).__name__))
            log.warning(
                "sandbox.webhook.failed",
                url=target.url,
                webhook_event=event,
                error=type(exc).__name__,
            )
            return
        self.deliveries.append(Delivery(target.url, event, key, response.status_code))
        log.debug(
            "sandbox.webhook.delivered",
            url=target.url,
            webhook_event=event,
            status=response.status_code,
        )

    async def drain(self) -> None:
        """Wait for in-flight deliveries (used by reset and shutdown)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Finish deliveries and close the HTTP client."""
        await self.drain()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
