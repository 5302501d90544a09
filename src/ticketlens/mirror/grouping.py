"""Groups of match values for ``count_by``: "entity → labels, components, projects".

A ``Grouping`` says, for each group (an entity's tag, say), which values bring an issue
into the group: a label, a component, or a project (key, name or id). For the query,
the values go into a temporary table; one statement then joins it to the indexed label,
component and project columns, so the number of statements does not grow with the
number of groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Column, MetaData, String, Subquery, Table, and_, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketlens.mirror.tables import mirror_components, mirror_issues, mirror_labels
from ticketlens.mirror.words import fold

MatchKind = Literal["label", "component", "project"]
KINDS: tuple[MatchKind, ...] = ("label", "component", "project")


@dataclass(frozen=True, slots=True)
class GroupMatch:
    """``group`` contains the issues whose ``kind`` (label/component/project) is ``value``."""

    group: str
    kind: MatchKind
    value: str


@dataclass(frozen=True, slots=True)
class Grouping:
    """A set of ``GroupMatch`` rows; a group may have any number of values."""

    matches: tuple[GroupMatch, ...]
    extra_groups: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, entries: Mapping[str, Iterable[tuple[MatchKind, str]]]) -> Grouping:
        """From ``{group: [(kind, value), …]}``; groups with no values still get a count (0)."""
        matches: list[GroupMatch] = []
        for group, values in entries.items():
            for kind, value in values:
                if kind not in KINDS:
                    raise ValueError(f"group {group!r}: match kind {kind!r} is not one of {KINDS}")
                matches.append(GroupMatch(group, kind, value))
        return cls(tuple(matches), tuple(entries))

    def groups(self) -> list[str]:
        """Every group, in first-seen order."""
        return list(dict.fromkeys([*self.extra_groups, *(m.group for m in self.matches)]))


_tmp = MetaData()
grouping_table = Table(
    "mirror_grouping",
    _tmp,
    Column("grp", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value_fold", String(255), nullable=False),
    Column("value_upper", String(255), nullable=False),
    Column("value_id", String(64), nullable=True),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


async def grouped_matches(conn: AsyncConnection, connection: str, grouping: Grouping) -> Subquery:
    """Fill a temporary table from ``grouping`` and return ``(grp, issue_id)`` pairs.

    Must run inside a transaction (PostgreSQL drops the table at commit).
    """
    await conn.run_sync(lambda sync: grouping_table.drop(sync, checkfirst=True))
    await conn.run_sync(lambda sync: grouping_table.create(sync))
    rows = [
        {
            "grp": m.group,
            "kind": m.kind,
            "value_fold": fold(m.value),
            "value_upper": m.value.upper(),
            "value_id": m.value if m.value.isdigit() else None,
        }
        for m in dict.fromkeys(grouping.matches)
    ]
    if rows:
        await conn.execute(grouping_table.insert(), rows)
    g = grouping_table.c
    labels, components = mirror_labels.c, mirror_components.c
    grouped = mirror_issues.alias("grouped")
    issues = grouped.c
    arms = [
        select(g.grp, labels.issue_id)
        .join_from(
            grouping_table,
            mirror_labels,
            and_(labels.connection == connection, labels.label_fold == g.value_fold),
        )
        .where(g.kind == "label"),
        select(g.grp, components.issue_id)
        .join_from(
            grouping_table,
            mirror_components,
            and_(components.connection == connection, components.name_fold == g.value_fold),
        )
        .where(g.kind == "component"),
    ]
    project_arms = [(issues.project_key, g.value_upper), (issues.project_name_fold, g.value_fold)]
    if any(row["value_id"] is not None for row in rows):
        # Project ids are not indexed; join on them only when some value is an id.
        project_arms.append((issues.project_id, g.value_id))
    for column, value in project_arms:
        arms.append(
            select(g.grp, issues.issue_id)
            .select_from(grouping_table)
            .join(grouped, and_(issues.connection == connection, column == value))
            .where(g.kind == "project")
        )
    return union(*arms).subquery("matched")
