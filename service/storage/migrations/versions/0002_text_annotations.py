"""text annotations: the text pipeline's reading of each free-text answer, with history

Revision ID: 0002_text
Revises: 0001
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import service.storage.types

revision = "0002_text"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "text_annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("free_text_id", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("language_confidence", sa.Float(), nullable=False),
        sa.Column("language_uncertain", sa.Boolean(), nullable=False),
        sa.Column("translation", sa.Text(), nullable=True),
        sa.Column("translation_status", sa.String(length=16), nullable=False),
        sa.Column("translation_source", sa.String(length=120), nullable=True),
        sa.Column("redacted", sa.Text(), nullable=False),
        sa.Column("redacted_translation", sa.Text(), nullable=True),
        sa.Column("themes", JSON, nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("disclosure", sa.Boolean(), nullable=False),
        sa.Column("disclosure_category", sa.String(length=32), nullable=True),
        sa.Column("disclosure_evidence", JSON, nullable=False),
        sa.Column("created_at", service.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["free_text_id"], ["free_texts.id"], name=op.f("fk_text_annotations_free_text_id_free_texts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_annotations")),
    )
    with op.batch_alter_table("text_annotations") as batch_op:
        batch_op.create_index(batch_op.f("ix_text_annotations_free_text_id"), ["free_text_id"], unique=False)
        batch_op.create_index("ix_text_annotations_current", ["free_text_id", "current"], unique=False)


def downgrade() -> None:
    op.drop_table("text_annotations")
