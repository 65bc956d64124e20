"""api_tokens.expires_at: a token stops working on its own at the end of the days it was made for

A token that is never revoked (a laptop lost, a supplier gone, an admin who left through a door nobody
closed) worked for ever. New tokens are made for a number of days (365 unless asked otherwise). Existing
tokens start without (NULL): they keep working as they were made to, and the tokens page and API show
them as never expiring so an admin can replace them. A downgrade drops the column: upgraded again, every
token has no end, as before.

Revision ID: 0016_api_token_expiry
Revises: 0015_sms_inbound_phone_hash
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

import service.storage.types

revision = "0016_api_token_expiry"
down_revision = "0015_sms_inbound_phone_hash"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", service.storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("expires_at")
