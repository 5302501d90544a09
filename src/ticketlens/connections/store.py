"""Stored connections: create, read, change, delete, and the default-connection rules.

Rules: the first connection becomes the default by itself; while any exist exactly one
is the default (a partial unique index enforces "at most one"; these functions keep
"at least one"); moving the default is one transaction; the default cannot be deleted
while others exist. Aliases never change: the mirror keys issues on them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ticketlens.connections import fields
from ticketlens.connections.crypto import SecretBox
from ticketlens.connections.errors import (
    ConnectionExists,
    ConnectionNotFound,
    ConnectionsError,
    DefaultRequired,
    InvalidConnection,
)
from ticketlens.connections.models import (
    MASK,
    SECRET_OF_KIND,
    Connection,
    ConnectionCreate,
    ConnectionKind,
    ConnectionUpdate,
    Secrets,
)
from ticketlens.connections.tables import jira_connections
from ticketlens.jira import OAuthTokens

OAUTH_SECRETS = ("accessToken", "refreshToken")


def _now() -> datetime:
    return datetime.now(UTC)


def _secret(value: SecretStr | None) -> str | None:
    """A secret from a request; ``********`` (the masked value echoed back) means unchanged."""
    if value is None:
        return None
    plain = value.get_secret_value().strip()
    return None if plain in ("", MASK) else plain


def _not_found(alias: str) -> ConnectionNotFound:
    return ConnectionNotFound(
        f"no Jira connection has the alias {alias!r}; see `ticketlens jira list`"
    )


class ConnectionStore:
    """Connections in the database, with their secrets sealed by ``box``."""

    def __init__(self, engine: AsyncEngine, box: SecretBox) -> None:
        self.engine = engine
        self.box = box

    # --- reading ------------------------------------------------------------------

    def _from_row(self, row: Row[Any]) -> Connection:
        plain = self.box.open(row.secrets, alias=row.alias)
        return Connection(
            id=row.id,
            alias=row.alias,
            kind=ConnectionKind(row.kind),
            url=row.url,
            username=row.username,
            client_id=row.client_id,
            ca_bundle=row.ca_bundle,
            timeout_seconds=row.timeout_seconds,
            mirror_scope=row.mirror_scope,
            default_jql=row.default_jql,
            is_default=bool(row.is_default),
            oauth_expires_at=_aware(row.oauth_expires_at),
            created_at=_aware(row.created_at) or _now(),
            updated_at=_aware(row.updated_at) or _now(),
            secrets=Secrets({k: SecretStr(str(v)) for k, v in plain.items()}),
        )

    async def list(self) -> list[Connection]:
        """Every connection, the default first, then by alias."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(jira_connections).order_by(
                    jira_connections.c.is_default.desc(), jira_connections.c.alias
                )
            )
            return [self._from_row(r) for r in rows]

    async def get(self, alias: str) -> Connection:
        """The connection called ``alias``; ConnectionNotFound otherwise."""
        async with self.engine.connect() as conn:
            return await self._get(conn, alias)

    async def _get(self, conn: AsyncConnection, alias: str) -> Connection:
        row = (
            await conn.execute(select(jira_connections).where(jira_connections.c.alias == alias))
        ).first()
        if row is None:
            raise _not_found(alias)
        return self._from_row(row)

    async def default(self) -> Connection:
        """The default connection; ConnectionNotFound when there is none."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(jira_connections).where(jira_connections.c.is_default))
            ).first()
        if row is None:
            raise ConnectionNotFound(
                "there is no Jira connection yet; add one with `ticketlens jira add` or "
                "POST /api/v1/jira/configurations"
            )
        return self._from_row(row)

    # --- writing ------------------------------------------------------------------

    async def create(self, data: ConnectionCreate, *, default_timeout: float) -> Connection:
        """Store a new connection; the first one becomes the default."""
        alias = fields.check_alias(data.alias)
        kind = data.kind
        username = data.email if kind is ConnectionKind.CLOUD else data.username
        if kind is ConnectionKind.CLOUD and data.username and not data.email:
            username = data.username
        secret_name = SECRET_OF_KIND[kind]
        secret = _secret(
            {
                "apiToken": data.api_token,
                "password": data.password,
                "personalAccessToken": data.personal_access_token,
                "clientSecret": data.client_secret,
            }[secret_name]
        )
        fields.check_kind_fields(kind, username=username, client_id=data.client_id, secret=secret)
        assert secret is not None
        secrets = Secrets().with_values(
            **{secret_name: secret, "proxy": fields.check_proxy(data.proxy)}
        )
        now = _now()
        values: dict[str, Any] = {
            "alias": alias,
            "kind": kind.value,
            "url": fields.check_url(data.url),
            "username": username if kind is not ConnectionKind.DATACENTER_PAT else None,
            "client_id": data.client_id if kind is ConnectionKind.DATACENTER_OAUTH else None,
            "ca_bundle": fields.check_ca_bundle(data.ca_bundle),
            "timeout_seconds": fields.check_timeout(
                default_timeout if data.timeout_seconds is None else data.timeout_seconds
            ),
            "mirror_scope": data.mirror_scope or None,
            "default_jql": data.default_jql or None,
            "secrets": self.box.seal(secrets.plain()),
            "oauth_expires_at": None,
            "created_at": now,
            "updated_at": now,
        }
        try:
            async with self.engine.begin() as conn:
                taken = await conn.scalar(
                    select(func.count()).where(jira_connections.c.alias == alias)
                )
                if taken:
                    raise ConnectionExists(
                        f"a Jira connection with alias {alias!r} already exists; aliases "
                        "cannot be reused or renamed, pick another"
                    )
                existing = await conn.scalar(select(func.count()).select_from(jira_connections))
                values["is_default"] = bool(data.is_default or not existing)
                if values["is_default"]:
                    await conn.execute(
                        update(jira_connections)
                        .where(jira_connections.c.is_default)
                        .values(is_default=False)
                    )
                await conn.execute(insert(jira_connections).values(**values))
                return await self._get(conn, alias)
        except IntegrityError:
            raise ConnectionsError(
                f"another change to Jira connections happened while adding {alias!r}; try again"
            ) from None

    async def update(self, alias: str, data: ConnectionUpdate) -> Connection:
        """Change a connection's fields; secrets left out (or ``********``) stay."""
        if data.alias is not None and data.alias != alias:
            raise InvalidConnection(
                f"aliases are immutable (the mirror keys issues on them): {alias!r} cannot "
                f"become {data.alias!r}. Add a new connection instead"
            )
        async with self.engine.begin() as conn:
            current = await self._get(conn, alias)
            kind = data.kind or current.kind
            username = current.username
            if data.email is not None and kind is ConnectionKind.CLOUD:
                username = data.email or None
            elif data.username is not None:
                username = data.username or None
            client_id = data.client_id if data.client_id is not None else current.client_id
            url = fields.check_url(data.url) if data.url is not None else current.url
            given = {
                "apiToken": _secret(data.api_token),
                "password": _secret(data.password),
                "personalAccessToken": _secret(data.personal_access_token),
                "clientSecret": _secret(data.client_secret),
            }
            secrets = current.secrets.with_values(**{k: v for k, v in given.items() if v})
            if data.proxy is not None:
                secrets = secrets.with_values(proxy=fields.check_proxy(data.proxy))
            secret_name = SECRET_OF_KIND[kind]
            fields.check_kind_fields(
                kind, username=username, client_id=client_id, secret=secrets.get(secret_name)
            )
            reauthorize = kind is not ConnectionKind.DATACENTER_OAUTH or (
                url != current.url
                or client_id != current.client_id
                or given["clientSecret"] is not None
            )
            expires = current.oauth_expires_at
            if reauthorize:
                secrets = secrets.with_values(accessToken=None, refreshToken=None)
                expires = None
            # keep only what this kind uses, so a kind change leaves no stale secret behind
            keep = {secret_name, "proxy", *OAUTH_SECRETS}
            secrets = Secrets({k: v for k, v in secrets.values.items() if k in keep})
            values: dict[str, Any] = {
                "kind": kind.value,
                "url": url,
                "username": username if kind is not ConnectionKind.DATACENTER_PAT else None,
                "client_id": client_id if kind is ConnectionKind.DATACENTER_OAUTH else None,
                "secrets": self.box.seal(secrets.plain()),
                "oauth_expires_at": expires,
                "updated_at": _now(),
            }
            if data.ca_bundle is not None:
                values["ca_bundle"] = fields.check_ca_bundle(data.ca_bundle)
            if data.timeout_seconds is not None:
                values["timeout_seconds"] = fields.check_timeout(data.timeout_seconds)
            if data.mirror_scope is not None:
                values["mirror_scope"] = data.mirror_scope or None
            if data.default_jql is not None:
                values["default_jql"] = data.default_jql or None
            if data.is_default is False and current.is_default:
                raise DefaultRequired(
                    f"{alias!r} is the default connection; make another one the default "
                    "instead (POST /api/v1/jira/configurations/OTHER/default)"
                )
            await conn.execute(
                update(jira_connections).where(jira_connections.c.id == current.id).values(**values)
            )
            if data.is_default:
                await self._move_default(conn, alias)
            return await self._get(conn, alias)

    async def set_default(self, alias: str) -> Connection:
        """Make ``alias`` the default, in one transaction."""
        async with self.engine.begin() as conn:
            await self._get(conn, alias)
            await self._move_default(conn, alias)
            return await self._get(conn, alias)

    async def _move_default(self, conn: AsyncConnection, alias: str) -> None:
        await conn.execute(
            update(jira_connections)
            .where(jira_connections.c.is_default, jira_connections.c.alias != alias)
            .values(is_default=False)
        )
        await conn.execute(
            update(jira_connections)
            .where(jira_connections.c.alias == alias)
            .values(is_default=True, updated_at=_now())
        )

    async def delete(self, alias: str) -> None:
        """Remove ``alias``; the default only when it is the last connection."""
        async with self.engine.begin() as conn:
            current = await self._get(conn, alias)
            others = await conn.scalar(
                select(func.count()).where(jira_connections.c.alias != alias)
            )
            if current.is_default and others:
                raise DefaultRequired(
                    f"{alias!r} is the default connection and {others} other(s) exist; make "
                    "another one the default first (`ticketlens jira set-default OTHER`), "
                    "then remove it"
                )
            await conn.execute(delete(jira_connections).where(jira_connections.c.id == current.id))

    async def save_oauth_tokens(self, alias: str, tokens: OAuthTokens) -> None:
        """Store a new OAuth token pair for ``alias``, encrypted."""
        async with self.engine.begin() as conn:
            query = select(jira_connections).where(jira_connections.c.alias == alias)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = (await conn.execute(query)).first()
            if row is None:
                raise _not_found(alias)
            current = self._from_row(row)
            secrets = current.secrets.with_values(
                accessToken=tokens.access_token, refreshToken=tokens.refresh_token
            )
            await conn.execute(
                update(jira_connections)
                .where(jira_connections.c.id == current.id)
                .values(
                    secrets=self.box.seal(secrets.plain()),
                    oauth_expires_at=datetime.fromtimestamp(tokens.expires_at, UTC),
                    updated_at=_now(),
                )
            )


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
