"""meetings.request_fingerprint: a fingerprint of the meeting log sent with a form key or Idempotency-Key

The same key with a different log (another home, other issues) used to be answered with the first meeting
and stored nothing; now it is refused. Meetings logged before this have no fingerprint (NULL): a repeat of
their key is still taken as the same meeting.

Revision ID: 0012_meeting_fingerprints
Revises: 0011_token_makers
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_meeting_fingerprints"
down_revision = "0011_token_makers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable column: SQLite adds it in place, without copying the table.
    op.add_column("meetings", sa.Column("request_fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("request_fingerprint")
