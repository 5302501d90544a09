"""Webhook secrets per connection, encrypted at rest like every other secret.

Jira signs a webhook's body with HMAC-SHA256 under a secret set when the webhook is
registered; ticketlens keeps that secret per connection alias, sealed with the same
encryption as connection secrets (``ticketlens.connections.crypto.SecretBox``).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.connections.crypto import SecretBox
from ticketlens.settings import Settings
from ticketlens.sync.state import now
from ticketlens.sync.tables import webhook_secrets

MIN_SECRET_LENGTH = 16


class WebhookSecretError(ValueError):
    """A webhook secret was refused (too short)."""


def _box(settings: Settings) -> SecretBox:
    return SecretBox(settings.resolved_secret_key())


async def set_webhook_secret(
    engine: AsyncEngine, settings: Settings, alias: str, secret: str
) -> None:
    """Store (or replace) the webhook secret of connection ``alias``."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise WebhookSecretError(
            f"the webhook secret of {alias!r} is {len(secret)} characters; use at least "
            f"{MIN_SECRET_LENGTH} (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')"
        )
    sealed = _box(settings).seal({"webhookSecret": secret})
    async with engine.begin() as conn:
        result = await conn.execute(
            update(webhook_secrets)
            .where(webhook_secrets.c.connection == alias)
            .values(secret_encrypted=sealed, updated_at=now())
        )
        if result.rowcount == 0:
            await conn.execute(
                insert(webhook_secrets).values(
                    connection=alias, secret_encrypted=sealed, updated_at=now()
                )
            )


async def webhook_secret(engine: AsyncEngine, settings: Settings, alias: str) -> str | None:
    """The webhook secret of ``alias``, or None when none is set."""
    async with engine.connect() as conn:
        sealed = (
            await conn.execute(
                select(webhook_secrets.c.secret_encrypted).where(
                    webhook_secrets.c.connection == alias
                )
            )
        ).scalar_one_or_none()
    if sealed is None:
        return None
    value = _box(settings).open(sealed, alias=alias).get("webhookSecret")
    return str(value) if value else None


async def remove_webhook_secret(engine: AsyncEngine, alias: str) -> bool:
    """Forget the webhook secret of ``alias``; True when one was set."""
    async with engine.begin() as conn:
        result = await conn.execute(
            delete(webhook_secrets).where(webhook_secrets.c.connection == alias)
        )
        return bool(result.rowcount)
