"""API tokens: shown once at creation, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.auth.roles import Role
from ticketlens.db.tables import api_tokens

TOKEN_PREFIX = "tl_"  # noqa: S105 - a public marker that makes tokens recognisable, not a secret
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class TokenError(ValueError):
    """A token operation was refused; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A stored token, without its secret."""

    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(engine: AsyncEngine, name: str, role: Role) -> str:
    """Create a token and return its secret text; only its hash is kept."""
    if not _NAME.match(name):
        raise TokenError(
            f"token name {name!r} is invalid: use 1-100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(api_tokens).values(
                    name=name,
                    role=role.value,
                    token_hash=_hash(token),
                    prefix=token[:10],
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError as exc:
        raise TokenError(
            f"a token named {name!r} already exists; revoke it first or pick another name"
        ) from exc
    return token


async def list_tokens(engine: AsyncEngine) -> list[ApiToken]:
    """Every token, oldest first."""
    async with engine.connect() as conn:
        rows = await conn.execute(select(api_tokens).order_by(api_tokens.c.id))
        return [
            ApiToken(
                name=row.name,
                role=Role(row.role),
                prefix=row.prefix,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
            )
            for row in rows
        ]


async def revoke_token(engine: AsyncEngine, name: str) -> None:
    """Delete the token called ``name``."""
    async with engine.begin() as conn:
        result = await conn.execute(delete(api_tokens).where(api_tokens.c.name == name))
    if result.rowcount == 0:
        raise TokenError(f"no token named {name!r}; see `ticketlens tokens list`")


async def authenticate(engine: AsyncEngine, token: str) -> ApiToken | None:
    """The token's record when ``token`` is valid, else None. Records when it was used."""
    digest = _hash(token)
    async with engine.begin() as conn:
        row = (
            await conn.execute(select(api_tokens).where(api_tokens.c.token_hash == digest))
        ).first()
        if row is None:
            return None
        now = datetime.now(UTC)
        await conn.execute(
            update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now)
        )
    return ApiToken(
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=now,
    )
