"""Sync tables: per-connection state, resumable checkpoints, known values, match values,
pages seen by a running full sync, deletion tombstones, webhook secrets, and the lease
that lets one process at a time sync a connection.

Every row is keyed by the connection's alias (aliases are immutable).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from ticketlens.db.metadata import metadata

ALIAS = 100
NAME = 255

sync_state = Table(
    "sync_state",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("last_kind", String(16), nullable=True),
    Column("last_started_at", DateTime(timezone=True), nullable=True),
    Column("last_success_at", DateTime(timezone=True), nullable=True),
    Column("last_full_at", DateTime(timezone=True), nullable=True),
    Column("last_reconcile_at", DateTime(timezone=True), nullable=True),
    Column("last_error_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("issues_mirrored", Integer, nullable=False),
    Column("issues_fetched", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("watermark", DateTime(timezone=True), nullable=True),
    Column("scope_hash", String(64), nullable=True),
    Column("time_zone", String(64), nullable=True),
    Column("known_values_at", DateTime(timezone=True), nullable=True),
)

sync_checkpoints = Table(
    "sync_checkpoints",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("scope_hash", String(64), nullable=False),
    Column("since", DateTime(timezone=True), nullable=True),
    Column("chunk_index", Integer, nullable=False),
    Column("pages_done", Integer, nullable=False),
    Column("max_updated", DateTime(timezone=True), nullable=True),
    Column("issues_fetched", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
)

sync_seen = Table(
    "sync_seen",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
)

sync_known_values = Table(
    "sync_known_values",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("value", String(NAME), primary_key=True),
)

sync_match_values = Table(
    "sync_match_values",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("entity_tag", String(200), primary_key=True),
    Column("field", String(16), primary_key=True),
    Column("value", String(NAME), primary_key=True),
    Column("value_fold", String(NAME), nullable=False),
    Index("ix_sync_match_values_connection_field_value_fold", "connection", "field", "value_fold"),
)

sync_tombstones = Table(
    "sync_tombstones",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("issue_id", BigInteger, primary_key=True, autoincrement=False),
    Column("deleted_at", DateTime(timezone=True), nullable=False),
)

webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("secret_encrypted", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

sync_leases = Table(
    "sync_leases",
    metadata,
    Column("connection", String(ALIAS), primary_key=True),
    Column("holder", String(NAME), nullable=False),
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
