"""sms_conversations (status, expires_at): the worker looks for open runs past their time every minute

A run whose words only the disclosure classifier flagged is ended and read within minutes of the person's
last reply (SMS_SUSPECTED_HARM_MINUTES), so the worker's search for open runs past their time runs every
minute instead of every hour; finished runs keep their row, so without an index it would read them all.

Revision ID: 0017_sms_expiry_index
Revises: 0016_api_token_expiry
Create Date: 2026-11-29
"""
from alembic import op

revision = "0017_sms_expiry_index"
down_revision = "0016_api_token_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sms_conversations_status_expires", "sms_conversations", ["status", "expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sms_conversations_status_expires", table_name="sms_conversations")
