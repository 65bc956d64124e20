"""staff_users.totp_secret holds a sealed secret (service/auth/sealed.py): 88 characters, not 32

The secrets already stored are sealed by `msp-feedback db upgrade` after the migrations run (the key
comes from SECRET_KEY, which a migration does not read).

Revision ID: 0008_sealed_totp
Revises: 0007_merge
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_sealed_totp"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=200),
                              existing_nullable=True)


def downgrade() -> None:
    # A sealed secret does not fit the old column: downgrading turns two-step sign-in off for everyone.
    op.execute(sa.text("UPDATE staff_users SET totp_secret = NULL, totp_enabled = false, totp_last_step = NULL "
                       "WHERE totp_secret IS NOT NULL AND length(totp_secret) > 64"))
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=200), type_=sa.String(length=64),
                              existing_nullable=True)
