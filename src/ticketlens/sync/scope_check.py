"""Whether one mirrored issue is inside its connection's mirror scope, decided by the
mirror's own JQL engine (so a webhook and a sync agree exactly)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.jql import and_, field_eq, query, value
from ticketlens.mirror import compile
from ticketlens.sync.scope import mirror_scope


async def inside_mirror_scope(
    engine: AsyncEngine, alias: str, key: str, scope_text: str | None, tz: ZoneInfo
) -> bool:
    """True when mirrored issue ``key`` satisfies the mirror scope of ``alias``."""
    limit = mirror_scope(scope_text, alias)
    stmt = compile(query(and_(field_eq("key", value(key)), limit)), alias, tz=tz)
    async with engine.connect() as conn:
        return bool((await conn.execute(select(exists(stmt.subquery().select())))).scalar())
