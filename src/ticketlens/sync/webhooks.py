"""Applying Jira webhooks to the mirror: verified, idempotent, and safe out of order.

- The body must carry ``X-Hub-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw body
  under the connection's webhook secret; anything else is refused (401).
- ``jira:issue_created`` and ``jira:issue_updated`` upsert the issue when some entity's
  match reaches it and it is inside the mirror scope, and remove it otherwise.
- ``jira:issue_deleted`` removes the issue and leaves a tombstone.
- Events may come twice or out of order: the issue's ``updated`` decides. An event older
  than what the mirror holds (or than the deletion) changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.mirror import delete_issues, issue_from_jira, upsert_issues
from ticketlens.mirror.jira_json import JiraIssueFormatError
from ticketlens.sync import state
from ticketlens.sync.attribution import in_scope
from ticketlens.sync.errors import WebhookRejected
from ticketlens.sync.scope import zone
from ticketlens.sync.scope_check import inside_mirror_scope

log = structlog.get_logger("ticketlens.sync")

Outcome = Literal["upserted", "deleted", "removed-out-of-scope", "ignored-stale", "ignored"]
ISSUE_EVENTS = frozenset({"jira:issue_created", "jira:issue_updated", "jira:issue_deleted"})


def signature(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature`` value Jira sends for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str | None, body: bytes, header: str | None, alias: str) -> None:
    """Raise WebhookRejected (401) unless ``header`` signs ``body`` under ``secret``."""
    if not secret:
        raise WebhookRejected(
            f"connection {alias!r} has no webhook secret; set one with "
            f"`ticketlens jira webhook-secret {alias}`"
        )
    if not header or not header.startswith("sha256="):
        raise WebhookRejected("missing X-Hub-Signature: sha256=<hex> header")
    if not hmac.compare_digest(signature(secret, body), header.strip()):
        raise WebhookRejected("the X-Hub-Signature does not match the body")


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """What one webhook did to the mirror."""

    event: str
    issue_id: int | None
    key: str | None
    outcome: Outcome

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "event": self.event,
            "issueId": self.issue_id,
            "key": self.key,
            "outcome": self.outcome,
        }


def _event_time(payload: dict[str, Any]) -> datetime:
    stamp = payload.get("timestamp")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp / 1000, UTC)
    return state.now()


async def apply_event(
    engine: AsyncEngine,
    alias: str,
    payload: dict[str, Any],
    *,
    mirror_scope_text: str | None,
    time_zone: str | None,
) -> WebhookResult:
    """Apply one verified webhook payload to the mirror of connection ``alias``."""
    event = str(payload.get("webhookEvent") or "")
    issue = payload.get("issue")
    if event not in ISSUE_EVENTS:
        return WebhookResult(event, None, None, "ignored")
    if not isinstance(issue, dict) or "id" not in issue:
        raise WebhookRejected(f"{event} without an issue id", status=400)
    issue_id = int(issue["id"])
    key = str(issue.get("key") or "") or None
    if event == "jira:issue_deleted":
        at = _event_time(payload)
        await state.tombstone(engine, alias, issue_id, at)
        await delete_issues(engine, alias, [issue_id])
        log.info(
            "sync.webhook-applied",
            connection=alias,
            webhook_event=event,
            key=key,
            outcome="deleted",
        )
        return WebhookResult(event, issue_id, key, "deleted")
    try:
        incoming = issue_from_jira(issue)
    except JiraIssueFormatError as exc:
        raise WebhookRejected(f"{event}: {exc}", status=400) from exc
    gone = await state.deleted_at(engine, alias, issue_id)
    held = await state.mirrored_updated(engine, alias, issue_id)
    if (gone is not None and incoming.updated <= gone) or (
        held is not None and incoming.updated < held
    ):
        log.info(
            "sync.webhook-applied", connection=alias, webhook_event=event, key=key, outcome="stale"
        )
        return WebhookResult(event, issue_id, key, "ignored-stale")
    await upsert_issues(engine, alias, [incoming])
    reachable = await in_scope(engine, alias, issue_id) and await inside_mirror_scope(
        engine, alias, incoming.key, mirror_scope_text, zone(time_zone)
    )
    if not reachable:
        await delete_issues(engine, alias, [issue_id])
        outcome: Outcome = "removed-out-of-scope"
    else:
        outcome = "upserted"
    log.info(
        "sync.webhook-applied", connection=alias, webhook_event=event, key=key, outcome=outcome
    )
    return WebhookResult(event, issue_id, key, outcome)
