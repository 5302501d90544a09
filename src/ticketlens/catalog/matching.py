"""Which Jira issues belong to an entity: match clauses, outstanding queries and rules.

Pure: no I/O. Every clause is a ``ticketlens.jql`` tree built from values, so no value
taken from a descriptor can change a query's structure (a label ``x" OR project = "y``
stays one value).

- Without an override, an entity matches on the default connection by
  ``component = T OR labels = T OR project = T`` where T is its tag.
- With overrides, only the listed values count, each on its alias's connection (items
  without an alias use the default connection):
  ``labels in (…) OR component in (…) OR project in (…)``.
- Jira rejects a whole query that names a project or component it does not know, so such
  values are left out, using the connection's cached project and component lists, and
  reported.
- Outstanding issues are ``(<Q>) AND (<match>)``; Q is the entity's ``defaultJql``, else
  the connection's default JQL, else ``statusCategory in ("To Do", "In Progress")``.
- A rule is ``(<rule>) AND (<match>)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ticketlens.jql import (
    Clause,
    JQLSyntaxError,
    Query,
    and_,
    field_eq,
    field_in,
    or_,
    parse,
    query,
    value,
)

MatchField = Literal["labels", "component", "project"]
MATCH_FIELDS: tuple[MatchField, ...] = ("labels", "component", "project")
AUTOMATIC_ORDER: tuple[MatchField, ...] = ("component", "labels", "project")

STANDARD_OUTSTANDING_JQL = 'statusCategory in ("To Do", "In Progress")'


# ---------------------------------------------------------------- inputs


class MatchItemLike(Protocol):
    """One override value: a name and the alias of its connection (None = default)."""

    @property
    def name(self) -> str: ...

    @property
    def alias(self) -> str | None: ...


class JiraBlockLike(Protocol):
    """An entity's Jira block: override lists and an optional default JQL."""

    @property
    def labels(self) -> Sequence[MatchItemLike]: ...

    @property
    def components(self) -> Sequence[MatchItemLike]: ...

    @property
    def projects(self) -> Sequence[MatchItemLike]: ...

    @property
    def default_jql(self) -> str | None: ...


class EntityLike(Protocol):
    """The part of ``ticketlens.catalog.Entity`` that matching reads."""

    @property
    def tag(self) -> str: ...

    @property
    def jira(self) -> JiraBlockLike: ...


@dataclass(frozen=True, slots=True)
class KnownValues:
    """A connection's cached project and component lists (refreshed on sync).

    ``None`` means the list was never fetched: nothing can be judged unknown yet, so
    nothing is left out. Comparison is case-insensitive, as Jira resolves project keys,
    project names and component names case-insensitively.
    """

    projects: frozenset[str] | None = None
    components: frozenset[str] | None = None

    @classmethod
    def of(cls, projects: Iterable[str] | None, components: Iterable[str] | None) -> KnownValues:
        """Build from raw names (keys, names and ids of projects; component names)."""
        return cls(
            projects=None if projects is None else frozenset(p.casefold() for p in projects),
            components=None if components is None else frozenset(c.casefold() for c in components),
        )

    def knows(self, match_field: MatchField, text: str) -> bool:
        """True unless the cached list exists and lacks ``text``. Labels always exist."""
        if match_field == "project":
            return self.projects is None or text.casefold() in self.projects
        if match_field == "component":
            return self.components is None or text.casefold() in self.components
        return True


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """What matching needs to know about one configured Jira connection."""

    alias: str
    is_default: bool = False
    default_jql: str | None = None
    known: KnownValues = field(default_factory=KnownValues)


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class MatchValue:
    """One value an entity matches on: ``labels = billing``."""

    field: MatchField
    value: str


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A value kept out of the JQL, and why."""

    field: MatchField
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchProblem:
    """A descriptor problem that stops part of an entity's match, with how to fix it."""

    tag: str
    message: str


@dataclass(frozen=True, slots=True)
class ConnectionMatch:
    """An entity's match on one connection. ``clause`` is None when no value is left."""

    alias: str
    automatic: bool
    values: tuple[MatchValue, ...]
    left_out: tuple[LeftOut, ...]
    clause: Clause | None


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """An entity's matches, one per connection it reaches, and any problems found."""

    tag: str
    connections: tuple[ConnectionMatch, ...]
    problems: tuple[MatchProblem, ...] = ()

    def on(self, alias: str) -> ConnectionMatch | None:
        """The match on connection ``alias``, or None when the entity has none there."""
        for match in self.connections:
            if match.alias == alias:
                return match
        return None


class MatchingError(ValueError):
    """Matching cannot start: for example, no Jira connection is configured."""


# ---------------------------------------------------------------- matching


def has_override(entity: EntityLike) -> bool:
    """True when the descriptor lists any label, component or project."""
    block = entity.jira
    return bool(block.labels or block.components or block.projects)


def default_connection(connections: Sequence[ConnectionInfo]) -> ConnectionInfo:
    """The default connection; MatchingError when none is configured."""
    for connection in connections:
        if connection.is_default:
            return connection
    if not connections:
        raise MatchingError(
            "no Jira connection is configured; add one with `ticketlens jira add ALIAS`"
        )
    raise MatchingError(
        "no Jira connection is marked as default; set one with `ticketlens jira set-default`"
    )


def match_entity(entity: EntityLike, connections: Sequence[ConnectionInfo]) -> EntityMatch:
    """Build ``entity``'s match clause on every connection it reaches."""
    default = default_connection(connections)
    by_alias = {c.alias: c for c in connections}
    if not has_override(entity):
        wanted = [MatchValue(f, entity.tag) for f in AUTOMATIC_ORDER]
        return EntityMatch(entity.tag, (_connection_match(default, wanted, automatic=True),))

    problems: list[MatchProblem] = []
    wanted_by_alias: dict[str, list[MatchValue]] = {}
    lists: tuple[tuple[MatchField, str, Sequence[MatchItemLike]], ...] = (
        ("labels", "labels", entity.jira.labels),
        ("component", "components", entity.jira.components),
        ("project", "projects", entity.jira.projects),
    )
    for match_field, list_name, items in lists:
        for item in items:
            alias = default.alias if item.alias is None else item.alias
            if alias not in by_alias:
                problems.append(
                    MatchProblem(
                        entity.tag,
                        f"{list_name} item {item.name!r} names Jira connection alias "
                        f"{alias!r}, which is not configured (configured: "
                        f"{', '.join(sorted(by_alias))}); add it with `ticketlens jira add "
                        f"{alias}` or fix the alias in the descriptor",
                    )
                )
                continue
            bucket = wanted_by_alias.setdefault(alias, [])
            candidate = MatchValue(match_field, item.name)
            if candidate not in bucket:
                bucket.append(candidate)
    ordered = sorted(wanted_by_alias, key=lambda a: (not by_alias[a].is_default, a))
    matches = tuple(
        _connection_match(by_alias[a], wanted_by_alias[a], automatic=False) for a in ordered
    )
    return EntityMatch(entity.tag, matches, tuple(problems))


def _connection_match(
    connection: ConnectionInfo, wanted: Sequence[MatchValue], *, automatic: bool
) -> ConnectionMatch:
    kept: list[MatchValue] = []
    left_out: list[LeftOut] = []
    for item in wanted:
        if not item.value.strip():
            left_out.append(LeftOut(item.field, item.value, "the value is empty"))
        elif connection.known.knows(item.field, item.value):
            kept.append(item)
        else:
            noun = "project" if item.field == "project" else "component"
            left_out.append(
                LeftOut(
                    item.field,
                    item.value,
                    f"no {noun} {item.value!r} exists on connection {connection.alias!r}; "
                    f"Jira would reject the whole query",
                )
            )
    clause = _automatic_clause(kept) if automatic else _override_clause(kept)
    return ConnectionMatch(connection.alias, automatic, tuple(kept), tuple(left_out), clause)


def _automatic_clause(kept: Sequence[MatchValue]) -> Clause | None:
    terms = [field_eq(item.field, value(item.value)) for item in kept]
    return _any_of(terms)


def _override_clause(kept: Sequence[MatchValue]) -> Clause | None:
    terms: list[Clause] = []
    for match_field in MATCH_FIELDS:
        values = [value(item.value) for item in kept if item.field == match_field]
        if values:
            terms.append(field_in(match_field, values))
    return _any_of(terms)


def _any_of(terms: Sequence[Clause]) -> Clause | None:
    if not terms:
        return None
    if len(terms) == 1:
        return terms[0]
    return or_(*terms)


# ---------------------------------------------------------------- queries


class QueryProblem(ValueError):
    """A JQL text from a descriptor, a connection or a request does not parse."""

    def __init__(self, message: str, source: str, error: JQLSyntaxError | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.error = error


def parse_jql(text: str, source: str) -> Query:
    """Parse ``text``, turning a syntax error into a QueryProblem that names ``source``."""
    try:
        return parse(text)
    except JQLSyntaxError as exc:
        raise QueryProblem(f"{source}: {exc}", source, exc) from exc


def outstanding_base(entity: EntityLike, connection: ConnectionInfo) -> tuple[Query, str]:
    """Q and where it came from: the entity's defaultJql, the connection's, or the standard."""
    if entity.jira.default_jql and entity.jira.default_jql.strip():
        source = f"entity {entity.tag!r} defaultJql"
        return parse_jql(entity.jira.default_jql, source), "entity"
    if connection.default_jql and connection.default_jql.strip():
        source = f"connection {connection.alias!r} default JQL"
        return parse_jql(connection.default_jql, source), "connection"
    return parse_jql(STANDARD_OUTSTANDING_JQL, "standard outstanding JQL"), "standard"


def restrict(base: Query, match: ConnectionMatch) -> Query | None:
    """``(<base>) AND (<match>)``, keeping base's ORDER BY; None when nothing can match."""
    if match.clause is None:
        return None
    if base.where is None:
        return query(match.clause, order_by=base.order_by)
    return query(and_(base.where, match.clause), order_by=base.order_by)


def outstanding_query(
    entity: EntityLike, match: ConnectionMatch, connection: ConnectionInfo
) -> Query | None:
    """The outstanding-issues query for ``entity`` on ``connection``."""
    base, _ = outstanding_base(entity, connection)
    return restrict(base, match)


def match_values(matches: Iterable[EntityMatch]) -> Mapping[str, set[MatchValue]]:
    """Every value any entity matches on, per connection alias: the sync scope's input."""
    scope: dict[str, set[MatchValue]] = {}
    for entity_match in matches:
        for connection_match in entity_match.connections:
            scope.setdefault(connection_match.alias, set()).update(connection_match.values)
    return scope
