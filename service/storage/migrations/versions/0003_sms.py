"""SMS channel: conversations, processed inbound MessageSids, opt-outs (channels/sms/models.py).

Revision ID: 0003_sms
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import service.storage.types
from sqlalchemy.dialects import postgresql

revision = "0003_sms"
down_revision = "0001"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sms_conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=40), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("case_reference", sa.String(length=64), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("state", _JSON, nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("invited_by_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", service.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_sms_conversations_provider_id_providers"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_sms_conversations_submission_id_submissions"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_conversations")),
    )
    with op.batch_alter_table("sms_conversations", schema=None) as batch_op:
        batch_op.create_index("ix_sms_conversations_phone_status", ["phone_hash", "status"], unique=False)

    op.create_table(
        "sms_inbound",
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("received_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("message_sid", name=op.f("pk_sms_inbound")),
    )
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("created_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone_hash", name=op.f("pk_sms_opt_outs")),
    )


def downgrade() -> None:
    op.drop_table("sms_opt_outs")
    op.drop_table("sms_inbound")
    with op.batch_alter_table("sms_conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_conversations_phone_status")
    op.drop_table("sms_conversations")
