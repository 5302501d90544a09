"""The sync scope of one connection: the union of every entity's match values, limited
by the connection's mirror scope, split into chunks of safe JQL length.

Pure: no I/O. The scope is what ticketlens asks Jira for, once per page of issues, no
matter how many entities share it. Which entity an issue belongs to is then worked out
locally (``ticketlens.sync.attribution``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ticketlens.catalog.matching import MATCH_FIELDS, MatchValue
from ticketlens.jql import (
    Clause,
    Field,
    JQLSyntaxError,
    Operator,
    OrderItem,
    Query,
    Terminal,
    and_,
    field_eq,
    field_in,
    or_,
    parse,
    query,
    to_jql,
    value,
)
from ticketlens.sync.errors import ScopeError

DEFAULT_MIRROR_SCOPE = "statusCategory != Done OR updated >= -180d"
ORDER = (OrderItem(Field("created"), "ASC"),)

# Fields the mirror stores (see ticketlens.mirror.issue_from_jira).
ISSUE_FIELDS: tuple[str, ...] = (
    "summary",
    "description",
    "project",
    "issuetype",
    "status",
    "priority",
    "resolution",
    "assignee",
    "reporter",
    "created",
    "updated",
    "resolutiondate",
    "duedate",
    "labels",
    "components",
    "fixVersions",
    "parent",
)
# Ids-only pages for reconcile. ``key`` rather than ``id``: Cloud answers ``fields: [id]``
# with bare ``{"id"}`` objects, which ticketlens.jira's issue model does not accept; a
# key-only request is just as small and gets the same 5,000-issue page.
ID_FIELDS: tuple[str, ...] = ("key",)


def mirror_scope(text: str | None, alias: str) -> Clause:
    """The connection's mirror scope as a clause (its own text, or the default)."""
    source = text if text and text.strip() else DEFAULT_MIRROR_SCOPE
    try:
        parsed = parse(source)
    except JQLSyntaxError as exc:
        raise ScopeError(
            f"connection {alias!r}: the mirror scope {source!r} is not valid JQL ({exc}); "
            "fix it in the connection's settings"
        ) from exc
    if parsed.where is None:
        raise ScopeError(f"connection {alias!r}: the mirror scope {source!r} has no condition")
    return parsed.where


def _value_length(match_field: str, text: str) -> int:
    """Characters ``text`` takes inside ``field IN (…)``, separator included."""
    prefix = f"{match_field} = "
    return len(to_jql(field_eq(match_field, value(text)))) - len(prefix) + 2


def _clause(values: Sequence[MatchValue]) -> Clause:
    terms: list[Clause] = []
    for match_field in MATCH_FIELDS:
        items = sorted(v.value for v in values if v.field == match_field)
        if items:
            terms.append(field_in(match_field, [value(i) for i in items]))
    return terms[0] if len(terms) == 1 else or_(*terms)


def chunk_values(
    values: Iterable[MatchValue], max_length: int, max_values: int
) -> list[list[MatchValue]]:
    """Split match values into groups whose JQL stays under ``max_length`` characters.

    Values are sorted so the same scope always gives the same chunks (checkpoints rely
    on it). ``max_length`` counts only the values; the caller leaves room for the rest.
    """
    ordered = sorted(set(values), key=lambda v: (MATCH_FIELDS.index(v.field), v.value))
    chunks: list[list[MatchValue]] = []
    current: list[MatchValue] = []
    used = 0
    for item in ordered:
        size = _value_length(item.field, item.value)
        if current and (used + size > max_length or len(current) >= max_values):
            chunks.append(current)
            current, used = [], 0
        current.append(item)
        used += size
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True, slots=True)
class Scope:
    """One connection's scope: its chunks of match values and its mirror scope."""

    alias: str
    chunks: tuple[tuple[MatchValue, ...], ...]
    limit: Clause

    @property
    def values(self) -> frozenset[MatchValue]:
        """Every match value in the scope."""
        return frozenset(v for chunk in self.chunks for v in chunk)

    def digest(self) -> str:
        """A stable hash of the scope: equal digests mean the same queries, chunk for
        chunk (a checkpoint names a chunk by its position)."""
        text = "\n\f\n".join(
            [to_jql(query(self.limit))]
            + ["\n".join(f"{v.field}\t{v.value}" for v in chunk) for chunk in self.chunks]
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def chunk_query(self, index: int, since: Clause | None = None) -> Query:
        """``(<chunk>) AND (<mirror scope>) [AND <since>] ORDER BY created ASC``."""
        parts = [_clause(self.chunks[index]), self.limit]
        if since is not None:
            parts.append(since)
        return query(and_(*parts), order_by=ORDER)

    def queries(self, since: Clause | None = None) -> list[Query]:
        """One query per chunk."""
        return [self.chunk_query(i, since) for i in range(len(self.chunks))]


def build_scope(
    alias: str,
    values: Iterable[MatchValue],
    mirror_scope_text: str | None,
    *,
    max_length: int,
    max_values: int = 1000,
    min_chunks: int = 1,
) -> Scope:
    """The scope of connection ``alias`` over ``values``, in chunks of at most
    ``max_values`` values and as many as ``min_chunks`` chunks when there are values
    enough (chunks are fetched in parallel; pages within one chunk may not be)."""
    limit = mirror_scope(mirror_scope_text, alias)
    room = max(200, max_length - len(to_jql(query(limit))) - 100)
    distinct = set(values)
    per_chunk = max(1, min(max_values, -(-len(distinct) // max(1, min_chunks))))
    chunks = chunk_values(distinct, room, per_chunk)
    return Scope(alias, tuple(tuple(c) for c in chunks), limit)


def zone(name: str | None) -> ZoneInfo:
    """The Jira user's time zone, UTC when unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def jira_minute(moment: datetime, tz: ZoneInfo) -> str:
    """``moment`` as a JQL date: minute precision, in the Jira user's time zone, rounded down.

    JQL dates are local times of the user running the search; a value written in UTC
    would be off by the zone's offset.
    """
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def updated_since(watermark: datetime, overlap: timedelta, tz: ZoneInfo) -> Clause:
    """``updated >= "<watermark - overlap>"`` in the user's time zone."""
    return Terminal(Field("updated"), Operator.GE, value(jira_minute(watermark - overlap, tz)))
