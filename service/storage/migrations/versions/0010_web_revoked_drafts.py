"""Web form: forms left with "Exit this page" (channels/web/models.py, channels/web/revocation.py)

A keyed hash of the form's random key and when the row may be deleted; nothing the person wrote.

Revision ID: 0010_web_revoked_drafts
Revises: 0009_forget_copies
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

import service.storage.types

revision = "0010_web_revoked_drafts"
down_revision = "0009_forget_copies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_revoked_drafts",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_web_revoked_drafts")),
    )
    with op.batch_alter_table("web_revoked_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_revoked_drafts_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_revoked_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_revoked_drafts_expires_at"))
    op.drop_table("web_revoked_drafts")
