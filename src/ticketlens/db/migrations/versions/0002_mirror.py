"""Mirror: Jira issues stored locally, with labels, components and fix versions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _user(prefix: str) -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(f"{prefix}_account_id", sa.String(255), nullable=True),
        sa.Column(f"{prefix}_name", sa.String(255), nullable=True),
        sa.Column(f"{prefix}_display_name", sa.String(255), nullable=True),
        sa.Column(f"{prefix}_name_fold", sa.String(255), nullable=True),
        sa.Column(f"{prefix}_display_fold", sa.String(255), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "mirror_issues",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("key_num", sa.BigInteger, nullable=False),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("project_key", sa.String(255), nullable=False),
        sa.Column("project_name", sa.String(255), nullable=False),
        sa.Column("project_name_fold", sa.String(255), nullable=False),
        sa.Column("issuetype_id", sa.String(64), nullable=True),
        sa.Column("issuetype_name", sa.String(255), nullable=False),
        sa.Column("issuetype_fold", sa.String(255), nullable=False),
        sa.Column("status_id", sa.String(64), nullable=True),
        sa.Column("status_name", sa.String(255), nullable=False),
        sa.Column("status_fold", sa.String(255), nullable=False),
        sa.Column("status_category_id", sa.Integer, nullable=False),
        sa.Column("status_category_key", sa.String(32), nullable=False),
        sa.Column("status_category_name", sa.String(64), nullable=False),
        sa.Column("priority_id", sa.String(64), nullable=True),
        sa.Column("priority_name", sa.String(255), nullable=True),
        sa.Column("priority_fold", sa.String(255), nullable=True),
        sa.Column("priority_rank", sa.Integer, nullable=True),
        sa.Column("resolution_id", sa.String(64), nullable=True),
        sa.Column("resolution_name", sa.String(255), nullable=True),
        sa.Column("resolution_fold", sa.String(255), nullable=True),
        *_user("assignee"),
        *_user("reporter"),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolutiondate", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duedate", sa.Date, nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("summary_words", sa.Text, nullable=False),
        sa.Column("description_words", sa.Text, nullable=True),
        sa.Column("parent_id", sa.BigInteger, nullable=True),
        sa.Column("parent_key", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("connection", "issue_id", name="pk_mirror_issues"),
    )
    op.create_index("ix_mirror_issues_connection_key", "mirror_issues", ["connection", "key"])
    op.create_index(
        "ix_mirror_issues_connection_project_key", "mirror_issues", ["connection", "project_key"]
    )
    op.create_index(
        "ix_mirror_issues_connection_project_name_fold",
        "mirror_issues",
        ["connection", "project_name_fold"],
    )
    op.create_index(
        "ix_mirror_issues_connection_updated", "mirror_issues", ["connection", "updated"]
    )

    op.create_table(
        "mirror_labels",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("label_fold", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("connection", "issue_id", "label", name="pk_mirror_labels"),
    )
    op.create_index(
        "ix_mirror_labels_connection_label_fold",
        "mirror_labels",
        ["connection", "label_fold", "issue_id"],
    )

    op.create_table(
        "mirror_components",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("name_fold", sa.String(255), nullable=False),
        sa.Column("component_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("connection", "issue_id", "name", name="pk_mirror_components"),
    )
    op.create_index(
        "ix_mirror_components_connection_name_fold",
        "mirror_components",
        ["connection", "name_fold", "issue_id"],
    )
    op.create_index(
        "ix_mirror_components_connection_component_id",
        "mirror_components",
        ["connection", "component_id"],
    )

    op.create_table(
        "mirror_fix_versions",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("issue_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("name_fold", sa.String(255), nullable=False),
        sa.Column("version_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("connection", "issue_id", "name", name="pk_mirror_fix_versions"),
    )
    op.create_index(
        "ix_mirror_fix_versions_connection_name_fold",
        "mirror_fix_versions",
        ["connection", "name_fold", "issue_id"],
    )

    op.create_table(
        "mirror_priorities",
        sa.Column("connection", sa.String(100), nullable=False),
        sa.Column("name_fold", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("priority_id", sa.String(64), nullable=True),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("connection", "name_fold", name="pk_mirror_priorities"),
    )


def downgrade() -> None:
    op.drop_table("mirror_priorities")
    op.drop_table("mirror_fix_versions")
    op.drop_table("mirror_components")
    op.drop_table("mirror_labels")
    op.drop_index("ix_mirror_issues_connection_updated", table_name="mirror_issues")
    op.drop_index("ix_mirror_issues_connection_project_name_fold", table_name="mirror_issues")
    op.drop_index("ix_mirror_issues_connection_project_key", table_name="mirror_issues")
    op.drop_index("ix_mirror_issues_connection_key", table_name="mirror_issues")
    op.drop_table("mirror_issues")
