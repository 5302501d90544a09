"""Foundation: API tokens and catalog entities.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("name", name="uq_api_tokens_name"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_table(
        "entities",
        sa.Column("tag", sa.String(200), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("owners", sa.JSON, nullable=False),
        sa.Column("jira", sa.JSON, nullable=False),
        sa.Column("source_format", sa.String(32), nullable=False),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("source_line", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tag", name="pk_entities"),
    )
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_table(
        "entity_groups",
        sa.Column("tag", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("tag", "name", name="pk_entity_groups"),
        sa.ForeignKeyConstraint(
            ["tag"],
            ["entities.tag"],
            name="fk_entity_groups_tag_entities",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_entity_groups_name", "entity_groups", ["name"])


def downgrade() -> None:
    op.drop_table("entity_groups")
    op.drop_table("entities")
    op.drop_table("api_tokens")
