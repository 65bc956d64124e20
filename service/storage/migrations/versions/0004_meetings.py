"""Residents' meetings: meetings, the issues raised (linked to their submissions), the actions agreed
(channels/meetings/models.py).

Revision ID: 0004_meetings
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import service.storage.types

revision = "0004_meetings"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = service.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("residents_count", sa.Integer(), nullable=False),
        sa.Column("relatives_count", sa.Integer(), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("issues_expected", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("form_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_meetings_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("form_key", name=op.f("uq_meetings_form_key")),
    )
    op.create_index("ix_meetings_provider_held", "meetings", ["provider_id", "held_on", "id"], unique=False)

    op.create_table(
        "meeting_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("raised_by", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_issues_meeting_id_meetings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_meeting_issues_submission_id_submissions"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_issues")),
        sa.UniqueConstraint("meeting_id", "position", name="uq_meeting_issues_meeting_position"),
        sa.UniqueConstraint("submission_id", name=op.f("uq_meeting_issues_submission_id")),
    )
    op.create_index(op.f("ix_meeting_issues_meeting_id"), "meeting_issues", ["meeting_id"], unique=False)

    op.create_table(
        "meeting_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("carried_from_action_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("closed_in_meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_actions_meeting_id_meetings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carried_from_action_id"], ["meeting_actions.id"],
                                name=op.f("fk_meeting_actions_carried_from_action_id_meeting_actions")),
        sa.ForeignKeyConstraint(["closed_in_meeting_id"], ["meetings.id"], name=op.f("fk_meeting_actions_closed_in_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_actions")),
    )
    op.create_index(op.f("ix_meeting_actions_meeting_id"), "meeting_actions", ["meeting_id"], unique=False)
    op.create_index(op.f("ix_meeting_actions_status"), "meeting_actions", ["status"], unique=False)
    op.create_index(op.f("ix_meeting_actions_carried_from_action_id"), "meeting_actions", ["carried_from_action_id"], unique=False)


def downgrade() -> None:
    op.drop_table("meeting_actions")
    op.drop_table("meeting_issues")
    op.drop_index("ix_meetings_provider_held", table_name="meetings")
    op.drop_table("meetings")
