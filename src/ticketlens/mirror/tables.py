"""Mirror tables: one row per Jira issue per connection, plus its multi-valued fields.

Every row is keyed on ``(connection, issue_id)``; ``connection`` is the connection's
alias (the sandbox uses its own fixed string). Values that JQL compares without regard
to case are stored twice: as Jira returned them, and folded (``*_fold``) by Python's
``str.casefold``, so SQLite and PostgreSQL compare exactly the same bytes and the
lookups stay index lookups. ``*_words`` hold the summary and description as folded
words separated by single spaces, with a space at each end, for ``~`` word matching.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from ticketlens.db.metadata import metadata

CONNECTION = 100
NAME = 255
ID = 64


def _user_columns(prefix: str) -> list[Column[object]]:
    return [
        Column(f"{prefix}_account_id", String(NAME), nullable=True),
        Column(f"{prefix}_name", String(NAME), nullable=True),
        Column(f"{prefix}_display_name", String(NAME), nullable=True),
        Column(f"{prefix}_name_fold", String(NAME), nullable=True),
        Column(f"{prefix}_display_fold", String(NAME), nullable=True),
    ]


mirror_issues = Table(
    "mirror_issues",
    metadata,
    Column("connection", String(CONNECTION), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
    Column("key", String(NAME), nullable=False),
    Column("key_num", BigInteger, nullable=False),
    Column("project_id", String(ID), nullable=False),
    Column("project_key", String(NAME), nullable=False),
    Column("project_name", String(NAME), nullable=False),
    Column("project_name_fold", String(NAME), nullable=False),
    Column("issuetype_id", String(ID), nullable=True),
    Column("issuetype_name", String(NAME), nullable=False),
    Column("issuetype_fold", String(NAME), nullable=False),
    Column("status_id", String(ID), nullable=True),
    Column("status_name", String(NAME), nullable=False),
    Column("status_fold", String(NAME), nullable=False),
    Column("status_category_id", Integer, nullable=False),
    Column("status_category_key", String(32), nullable=False),
    Column("status_category_name", String(64), nullable=False),
    Column("priority_id", String(ID), nullable=True),
    Column("priority_name", String(NAME), nullable=True),
    Column("priority_fold", String(NAME), nullable=True),
    Column("priority_rank", Integer, nullable=True),
    Column("resolution_id", String(ID), nullable=True),
    Column("resolution_name", String(NAME), nullable=True),
    Column("resolution_fold", String(NAME), nullable=True),
    *_user_columns("assignee"),
    *_user_columns("reporter"),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Column("resolutiondate", DateTime(timezone=True), nullable=True),
    Column("duedate", Date, nullable=True),
    Column("summary", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("summary_words", Text, nullable=False),
    Column("description_words", Text, nullable=True),
    Column("parent_id", BigInteger, nullable=True),
    Column("parent_key", String(NAME), nullable=True),
    Index("ix_mirror_issues_connection_key", "connection", "key"),
    Index("ix_mirror_issues_connection_project_key", "connection", "project_key"),
    Index("ix_mirror_issues_connection_project_name_fold", "connection", "project_name_fold"),
    Index("ix_mirror_issues_connection_updated", "connection", "updated"),
)

mirror_labels = Table(
    "mirror_labels",
    metadata,
    Column("connection", String(CONNECTION), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
    Column("label", String(NAME), primary_key=True),
    Column("label_fold", String(NAME), nullable=False),
    Index("ix_mirror_labels_connection_label_fold", "connection", "label_fold", "issue_id"),
)

mirror_components = Table(
    "mirror_components",
    metadata,
    Column("connection", String(CONNECTION), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(NAME), primary_key=True),
    Column("name_fold", String(NAME), nullable=False),
    Column("component_id", String(ID), nullable=True),
    Index("ix_mirror_components_connection_name_fold", "connection", "name_fold", "issue_id"),
    Index("ix_mirror_components_connection_component_id", "connection", "component_id"),
)

mirror_fix_versions = Table(
    "mirror_fix_versions",
    metadata,
    Column("connection", String(CONNECTION), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(NAME), primary_key=True),
    Column("name_fold", String(NAME), nullable=False),
    Column("version_id", String(ID), nullable=True),
    Index("ix_mirror_fix_versions_connection_name_fold", "connection", "name_fold", "issue_id"),
)

mirror_priorities = Table(
    "mirror_priorities",
    metadata,
    Column("connection", String(CONNECTION), primary_key=True),
    Column("name_fold", String(NAME), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("priority_id", String(ID), nullable=True),
    Column("rank", Integer, nullable=False),
)

CHILD_TABLES = (mirror_labels, mirror_components, mirror_fix_versions)
