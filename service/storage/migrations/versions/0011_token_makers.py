"""api_tokens.created_by_user_id: who made a token (they saw its secret once), so that deactivating them, or
taking away their right to make tokens, revokes the tokens they made

Tokens made before this have no maker recorded (NULL): they stay until an admin revokes them.

Revision ID: 0011_token_makers
Revises: 0010_web_revoked_drafts
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_token_makers"
down_revision = "0010_web_revoked_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column (no foreign key): SQLite adds it in place, without copying the table.
    op.add_column("api_tokens", sa.Column("created_by_user_id", sa.Integer(), nullable=True))
    op.create_index("ix_api_tokens_created_by_user_id", "api_tokens", ["created_by_user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_created_by_user_id", table_name="api_tokens")
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("created_by_user_id")
