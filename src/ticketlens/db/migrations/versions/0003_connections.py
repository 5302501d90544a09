"""Jira connections, encrypted secrets and OAuth state.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jira_connections",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("alias", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("username", sa.String(255), nullable=True),
        sa.Column("client_id", sa.String(255), nullable=True),
        sa.Column("ca_bundle", sa.Text, nullable=True),
        sa.Column("timeout_seconds", sa.Float, nullable=False),
        sa.Column("mirror_scope", sa.Text, nullable=True),
        sa.Column("default_jql", sa.Text, nullable=True),
        sa.Column("is_default", sa.Boolean, nullable=False),
        sa.Column("secrets", sa.Text, nullable=False),
        sa.Column("oauth_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jira_connections"),
        sa.UniqueConstraint("alias", name="uq_jira_connections_alias"),
    )
    op.create_index(
        "uq_jira_connections_one_default",
        "jira_connections",
        ["is_default"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "jira_oauth_states",
        sa.Column("state_hash", sa.String(64), nullable=False),
        sa.Column("connection_id", sa.Integer, nullable=False),
        sa.Column("principal", sa.String(100), nullable=False),
        sa.Column("binding_hash", sa.String(64), nullable=False),
        sa.Column("redirect_uri", sa.Text, nullable=False),
        sa.Column("verifier", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("state_hash", name="pk_jira_oauth_states"),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["jira_connections.id"],
            name="fk_jira_oauth_states_connection_id_jira_connections",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("jira_oauth_states")
    op.drop_index("uq_jira_connections_one_default", table_name="jira_connections")
    op.drop_table("jira_connections")
