"""meeting_actions.redacted_at: when retention cut the words of an action to their redacted form

Actions agreed at residents' meetings are free text ("Manager to look into Mr B saying the night carer
hits him"); retention now keeps them verbatim only for RETENTION_FREE_TEXT_MONTHS, as it does every other
free text, and this column records the cut so it is done once. Existing actions start verbatim (NULL).

Revision ID: 0013_meeting_action_cut
Revises: 0012_meeting_fingerprints
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

import service.storage.types

revision = "0013_meeting_action_cut"
down_revision = "0012_meeting_fingerprints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable column: SQLite adds it in place, without copying the table.
    op.add_column("meeting_actions", sa.Column("redacted_at", service.storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # What was cut stays cut: only the record of when goes.
    with op.batch_alter_table("meeting_actions") as batch_op:
        batch_op.drop_column("redacted_at")
