"""outbox (purpose, status, next_attempt_at): is a duty alert waiting?

The worker asks before each message of a batch whether an alert to the duty team is due (it then stops
the batch and claims it). With only (status, next_attempt_at) that read every due row, and after
`msp-feedback reanalyse` there may be 100,000 of them: this index finds a due alert, or none, at once.

Revision ID: 0019_outbox_purpose_index
Revises: 0018_key_c_index
Create Date: 2026-11-29
"""
from alembic import op

revision = "0019_outbox_purpose_index"
down_revision = "0018_key_c_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_purpose_due", "outbox", ["purpose", "status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_purpose_due", table_name="outbox")
