"""sms_conversations (status, expires_at): the worker looks for open runs past their time every minute

The words of a run past its time are submitted and read within a minute rather than an hour, so the
worker's search for open runs past their time runs every minute; finished runs keep their row, so
without an index it would read them all.

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
