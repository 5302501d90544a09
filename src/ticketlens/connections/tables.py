"""Tables for Jira connections and in-flight OAuth grants.

Secrets (API tokens, passwords, PATs, OAuth client secrets and tokens, and the proxy
URL, which may hold a password) live only in ``jira_connections.secrets``, encrypted
as one Fernet token. A partial unique index allows at most one default connection.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from ticketlens.db.metadata import metadata

jira_connections = Table(
    "jira_connections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alias", String(64), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("url", Text, nullable=False),
    Column("username", String(255), nullable=True),
    Column("client_id", String(255), nullable=True),
    Column("ca_bundle", Text, nullable=True),
    Column("timeout_seconds", Float, nullable=False),
    Column("mirror_scope", Text, nullable=True),
    Column("default_jql", Text, nullable=True),
    Column("is_default", Boolean, nullable=False),
    Column("secrets", Text, nullable=False),
    Column("oauth_expires_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

Index(
    "uq_jira_connections_one_default",
    jira_connections.c.is_default,
    unique=True,
    sqlite_where=text("is_default"),
    postgresql_where=text("is_default"),
)

jira_oauth_states = Table(
    "jira_oauth_states",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column(
        "connection_id",
        Integer,
        ForeignKey("jira_connections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("principal", String(100), nullable=False),
    Column("binding_hash", String(64), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("verifier", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)
