"""Foundation tables: API tokens and catalog entities.

Other packages register their own tables on the same ``metadata`` (``mirror.tables``,
``connections.tables``); every schema change still goes through an Alembic migration.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from ticketlens.db.metadata import metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

entities = Table(
    "entities",
    metadata,
    Column("tag", String(200), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("type", String(100), nullable=False),
    Column("description", Text, nullable=True),
    Column("groups", JSON, nullable=False),
    Column("owners", JSON, nullable=False),
    Column("jira", JSON, nullable=False),
    Column("source_format", String(32), nullable=False),
    Column("source_path", Text, nullable=False),
    Column("source_line", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_entities_type", "type"),
)

# One row per (entity, group), so listing by group is an indexed join on both backends.
entity_groups = Table(
    "entity_groups",
    metadata,
    Column(
        "tag",
        String(200),
        ForeignKey("entities.tag", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("name", String(200), primary_key=True),
    Index("ix_entity_groups_name", "name"),
)
