"""Sync: per-connection state, checkpoints, known and match values, tombstones, webhook secrets.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_kind", sa.String(16), nullable=True),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_full_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reconcile_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("issues_mirrored", sa.Integer, nullable=False),
        sa.Column("issues_fetched", sa.Integer, nullable=False),
        sa.Column("requests", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("watermark", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scope_hash", sa.String(64), nullable=True),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("known_values_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("connection", name="pk_sync_state"),
    )
    op.create_table(
        "sync_checkpoints",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope_hash", sa.String(64), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chunk_index", sa.Integer, nullable=False),
        sa.Column("pages_done", sa.Integer, nullable=False),
        sa.Column("max_updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issues_fetched", sa.Integer, nullable=False),
        sa.Column("requests", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connection", name="pk_sync_checkpoints"),
    )
    op.create_table(
        "sync_seen",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("connection", "issue_id", name="pk_sync_seen"),
    )
    op.create_table(
        "sync_known_values",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("connection", "kind", "value", name="pk_sync_known_values"),
    )
    op.create_table(
        "sync_match_values",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("entity_tag", sa.String(200), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("value_fold", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint(
            "connection", "entity_tag", "field", "value", name="pk_sync_match_values"
        ),
    )
    op.create_index(
        "ix_sync_match_values_connection_field_value_fold",
        "sync_match_values",
        ["connection", "field", "value_fold"],
    )
    op.create_table(
        "sync_tombstones",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connection", "issue_id", name="pk_sync_tombstones"),
    )
    op.create_table(
        "webhook_secrets",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("secret_encrypted", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connection", name="pk_webhook_secrets"),
    )


def downgrade() -> None:
    op.drop_table("webhook_secrets")
    op.drop_table("sync_tombstones")
    op.drop_index("ix_sync_match_values_connection_field_value_fold", "sync_match_values")
    op.drop_table("sync_match_values")
    op.drop_table("sync_known_values")
    op.drop_table("sync_seen")
    op.drop_table("sync_checkpoints")
    op.drop_table("sync_state")
