"""Reading an entity's Jira issues, and explaining how they are found.

Issues are answered from the mirror: the JQL (the outstanding-issues query, or a custom
one restricted by the entity's match) is compiled to SQL. JQL outside the mirror's
subset is sent to that connection's Jira with the match appended, and the answer says
which of the two happened. If Jira is down, the mirror's last good data is still
answered, marked with its age.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from ticketlens.catalog.matching import (
    ConnectionInfo,
    ConnectionMatch,
    EntityMatch,
    MatchValue,
    match_entity,
    outstanding_base,
    parse_jql,
    restrict,
)
from ticketlens.catalog.nearmiss import find_near_misses
from ticketlens.connections import connection_store
from ticketlens.connections.clients import open_client
from ticketlens.connections.models import Connection
from ticketlens.jira import JiraError
from ticketlens.jql import Field, OrderItem, Query, to_jql
from ticketlens.mirror import Grouping, UnsupportedJQL, compile, count_by, issue_from_jira
from ticketlens.mirror.grouping import MatchKind
from ticketlens.mirror.tables import mirror_components, mirror_issues, mirror_labels
from ticketlens.settings import Settings
from ticketlens.sync import state
from ticketlens.sync.errors import EntityNotFound
from ticketlens.sync.scope import ISSUE_FIELDS, zone
from ticketlens.sync.sources import (
    StoredEntity,
    infos,
    load_connections,
    load_entities,
)

log = structlog.get_logger("ticketlens.sync")

DEFAULT_LIMIT = 200
NEWEST_FIRST = (OrderItem(Field("updated"), "DESC"),)
NEAR_MISS_KEYS = 10


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a read needs: the entity, its match, the connections and their status."""

    entity: StoredEntity
    match: EntityMatch
    connections: Mapping[str, Connection]
    infos: Mapping[str, ConnectionInfo]
    statuses: Mapping[str, state.SyncStatus]


async def context(engine: AsyncEngine, settings: Settings, tag: str) -> Context:
    """Load entity ``tag`` with its match on every connection; EntityNotFound if unknown."""
    found = await load_entities(engine, tag)
    if not found:
        raise EntityNotFound(
            f"no entity is tagged {tag!r}; list them with `ticketlens catalog list`"
        )
    connections = await load_connections(engine, settings)
    filled = [replace(i, known=await state.read_known(engine, i.alias)) for i in infos(connections)]
    statuses = {s.connection: s for s in await state.all_statuses(engine)}
    return Context(
        entity=found[0],
        match=match_entity(found[0], filled),
        connections={c.alias: c for c in connections},
        infos={i.alias: i for i in filled},
        statuses=statuses,
    )


def browse_url(connection: Connection, key: str) -> str:
    """The issue's page on its Jira."""
    return f"{connection.url.rstrip('/')}/browse/{key}"


def _view_from_row(row: RowMapping, connection: Connection) -> dict[str, Any]:
    updated = state.aware(row["updated"])
    return {
        "key": row["key"],
        "summary": row["summary"],
        "status": row["status_name"],
        "statusCategory": row["status_category_name"],
        "type": row["issuetype_name"],
        "priority": row["priority_name"],
        "assignee": row["assignee_display_name"] or row["assignee_name"],
        "updated": updated.isoformat() if updated else None,
        "alias": connection.alias,
        "url": browse_url(connection, row["key"]),
    }


def _view_from_jira(raw: dict[str, Any], connection: Connection) -> dict[str, Any]:
    issue = issue_from_jira(raw)
    category = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
    assignee = issue.assignee
    return {
        "key": issue.key,
        "summary": issue.summary,
        "status": issue.status,
        "statusCategory": category.get(issue.status_category, "No Category"),
        "type": issue.issuetype,
        "priority": issue.priority,
        "assignee": (assignee.display_name or assignee.name) if assignee else None,
        "updated": issue.updated.isoformat(),
        "alias": connection.alias,
        "url": browse_url(connection, issue.key),
    }


def _freshness(status: state.SyncStatus | None) -> dict[str, Any]:
    if status is None:
        return {"syncedAt": None, "ageSeconds": None, "lastError": None, "stale": True}
    age = status.age_seconds()
    failing = status.status == "failed"
    return {
        "syncedAt": status.last_success_at.isoformat() if status.last_success_at else None,
        "ageSeconds": None if age is None else round(age, 1),
        "lastError": status.last_error if failing else None,
        "stale": failing or status.last_success_at is None,
    }


async def _from_mirror(
    engine: AsyncEngine, jql: Query, alias: str, tz: str | None, limit: int
) -> tuple[list[RowMapping], int]:
    stmt = compile(jql, alias, tz=zone(tz))
    async with engine.connect() as conn:
        total = (await conn.execute(select(func.count()).select_from(stmt.subquery()))).scalar()
        rows = list((await conn.execute(stmt.limit(limit))).mappings().all())
    return rows, int(total or 0)


async def _from_jira(
    engine: AsyncEngine, settings: Settings, connection: Connection, jql: Query, limit: int
) -> list[dict[str, Any]]:
    client = open_client(settings, connection, store=connection_store(engine, settings))
    views: list[dict[str, Any]] = []
    async with client:
        async for page in client.search(jql, ISSUE_FIELDS):
            views.extend(_view_from_jira(i.as_raw(), connection) for i in page.issues)
            if len(views) >= limit:
                break
    return views[:limit]


async def entity_issues(
    engine: AsyncEngine,
    settings: Settings,
    tag: str,
    jql: str | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The entity's outstanding issues (or those matching ``jql``), per connection."""
    ctx = await context(engine, settings, tag)
    custom = parse_jql(jql, "the jql parameter") if jql else None
    answers: list[dict[str, Any]] = []
    for match in ctx.match.connections:
        connection = ctx.connections[match.alias]
        status = ctx.statuses.get(match.alias)
        base = (
            custom
            if custom is not None
            else outstanding_base(ctx.entity, ctx.infos[match.alias])[0]
        )
        if not base.order_by:  # newest first, so a limit keeps the most recent issues
            base = replace(base, order_by=NEWEST_FIRST)
        query = restrict(base, match)
        answer: dict[str, Any] = {
            "alias": match.alias,
            "jql": to_jql(query) if query is not None else None,
            **_freshness(status),
        }
        if query is None:
            answers.append({**answer, "source": "none", "issues": [], "total": 0})
            continue
        try:
            rows, total = await _from_mirror(
                engine, query, match.alias, status.time_zone if status else None, limit
            )
            views = [_view_from_row(r, connection) for r in rows]
            answers.append({**answer, "source": "mirror", "issues": views, "total": total})
        except UnsupportedJQL as unsupported:
            try:
                views = await _from_jira(engine, settings, connection, query, limit)
                answers.append(
                    {
                        **answer,
                        "source": "jira",
                        "reason": str(unsupported),
                        "issues": views,
                        "total": len(views),
                    }
                )
            except JiraError as exc:
                log.warning("sync.remote-read-failed", connection=match.alias, error=str(exc))
                answers.append(
                    {**answer, "source": "jira", "error": str(exc), "issues": [], "total": 0}
                )
    sources = {a["source"] for a in answers} - {"none"}
    issues = sorted(
        (i for a in answers for i in a["issues"]), key=lambda i: i["updated"] or "", reverse=True
    )
    return {
        "tag": tag,
        "jql": jql,
        "source": sources.pop() if len(sources) == 1 else ("mixed" if sources else "none"),
        "connections": answers,
        "issues": issues,
        "problems": [p.message for p in ctx.match.problems],
    }


async def _distinct_values(engine: AsyncEngine, alias: str) -> dict[str, list[str]]:
    async with engine.connect() as conn:
        labels = (
            await conn.execute(
                select(mirror_labels.c.label).where(mirror_labels.c.connection == alias).distinct()
            )
        ).scalars()
        components = (
            await conn.execute(
                select(mirror_components.c.name)
                .where(mirror_components.c.connection == alias)
                .distinct()
            )
        ).scalars()
        projects = (
            await conn.execute(
                select(mirror_issues.c.project_key)
                .where(mirror_issues.c.connection == alias)
                .distinct()
            )
        ).scalars()
        return {
            "labels": list(labels),
            "component": list(components),
            "project": list(projects),
        }


async def _keys_with(engine: AsyncEngine, alias: str, field: str, found: str) -> list[str]:
    cond: ColumnElement[bool]
    if field == "labels":
        ids = select(mirror_labels.c.issue_id).where(
            (mirror_labels.c.connection == alias) & (mirror_labels.c.label == found)
        )
        cond = mirror_issues.c.issue_id.in_(ids)
    elif field == "component":
        ids = select(mirror_components.c.issue_id).where(
            (mirror_components.c.connection == alias) & (mirror_components.c.name == found)
        )
        cond = mirror_issues.c.issue_id.in_(ids)
    else:
        cond = mirror_issues.c.project_key == found
    stmt = (
        select(mirror_issues.c.key)
        .where((mirror_issues.c.connection == alias) & cond)
        .order_by(mirror_issues.c.key)
        .limit(NEAR_MISS_KEYS)
    )
    async with engine.connect() as conn:
        return list((await conn.execute(stmt)).scalars())


async def _near_misses(engine: AsyncEngine, match: ConnectionMatch) -> list[dict[str, Any]]:
    # Values left out (an unknown component, say) are near-misses' best source too.
    wanted = list(match.values) + [MatchValue(lo.field, lo.value) for lo in match.left_out]
    found = await _distinct_values(engine, match.alias)
    misses = find_near_misses(wanted, found)  # type: ignore[arg-type]
    return [
        {
            "field": m.field,
            "wanted": m.wanted,
            "found": m.found,
            "difference": m.difference,
            "matches": m.matches,
            "issues": await _keys_with(engine, match.alias, m.field, m.found),
            "remedy": m.remedy(),
        }
        for m in misses
    ]


async def explain(
    engine: AsyncEngine, settings: Settings, tag: str, rule: str | None = None
) -> dict[str, Any]:
    """How entity ``tag``'s issues are found, per connection: the exact JQL sent to Jira
    for its outstanding issues (and for ``rule``), values left out, and near-misses."""
    ctx = await context(engine, settings, tag)
    rule_query = parse_jql(rule, "the rule") if rule else None
    parts: list[dict[str, Any]] = []
    for match in ctx.match.connections:
        info = ctx.infos[match.alias]
        base, origin = outstanding_base(ctx.entity, info)
        outstanding = restrict(base, match)
        ruled = restrict(rule_query, match) if rule_query is not None else None
        parts.append(
            {
                "alias": match.alias,
                "isDefault": info.is_default,
                "automatic": match.automatic,
                "match": to_jql(match.clause) if match.clause is not None else None,
                "values": [{"field": v.field, "value": v.value} for v in match.values],
                "leftOut": [
                    {"field": lo.field, "value": lo.value, "reason": lo.reason}
                    for lo in match.left_out
                ],
                "outstanding": to_jql(outstanding) if outstanding is not None else None,
                "outstandingFrom": origin,
                "rule": to_jql(ruled) if ruled is not None else None,
                "nearMisses": await _near_misses(engine, match),
                **_freshness(ctx.statuses.get(match.alias)),
            }
        )
    return {
        "tag": tag,
        "automatic": not ctx.entity.jira.has_override,
        "defaultJql": ctx.entity.jira.default_jql,
        "connections": parts,
        "problems": [p.message for p in ctx.match.problems],
    }


_GROUP_KIND: dict[str, MatchKind] = {
    "labels": "label",
    "component": "component",
    "project": "project",
}


async def outstanding_counts(engine: AsyncEngine, settings: Settings) -> dict[str, int]:
    """Every entity's number of outstanding issues, across its connections.

    One statement per connection and distinct outstanding query (usually one: the
    standard query), however many entities there are: the mirror's ``count_by``.
    """
    connections = await load_connections(engine, settings)
    filled = [replace(i, known=await state.read_known(engine, i.alias)) for i in infos(connections)]
    statuses = {s.connection: s for s in await state.all_statuses(engine)}
    entities = await load_entities(engine)
    totals = dict.fromkeys((e.tag for e in entities), 0)
    if not filled:
        return totals
    by_alias = {i.alias: i for i in filled}
    # (alias, outstanding JQL) → {tag: [(kind, value), …]}
    batches: dict[tuple[str, str], tuple[Query, dict[str, list[tuple[MatchKind, str]]]]] = {}
    for entity in entities:
        for match in match_entity(entity, filled).connections:
            if not match.values:
                continue
            base, _ = outstanding_base(entity, by_alias[match.alias])
            key = (match.alias, to_jql(base))
            _, groups = batches.setdefault(key, (base, {}))
            groups[entity.tag] = [(_GROUP_KIND[v.field], v.value) for v in match.values]
    for (alias, _), (base, groups) in batches.items():
        status = statuses.get(alias)
        counts = await count_by(
            engine,
            alias,
            base,
            Grouping.from_mapping(groups),
            tz=zone(status.time_zone if status else None),
        )
        for tag, number in counts.items():
            totals[tag] += number
    return totals
