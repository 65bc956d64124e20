"""Paper channel: issued sheets, recorded pages, review items, free-text crops, unreadable pages
(channels/paper/models.py).

Revision ID: 0005_paper
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import service.storage.types

revision = "0005_paper"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = service.storage.types.UTCDateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "paper_sheets",
        sa.Column("sheet_id", sa.String(length=16), nullable=False),
        sa.Column("form_id", sa.String(length=40), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(length=64), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("layout_fingerprint", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_paper_sheets_provider_id_providers")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_paper_sheets_submission_id_submissions"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("sheet_id", name=op.f("pk_paper_sheets")),
    )
    op.create_index(op.f("ix_paper_sheets_provider_id"), "paper_sheets", ["provider_id"], unique=False)
    op.create_index(op.f("ix_paper_sheets_submission_id"), "paper_sheets", ["submission_id"], unique=False)

    op.create_table(
        "paper_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.String(length=16), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("run_id", sa.String(length=120), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("scanned_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["paper_sheets.sheet_id"], name=op.f("fk_paper_pages_sheet_id_paper_sheets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_pages")),
        sa.UniqueConstraint("sheet_id", "page", name="uq_paper_pages_sheet_page"),
    )

    op.create_table(
        "paper_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.String(length=16), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("readings", _JSON, nullable=False),
        sa.Column("crop_png", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("least_confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("decided_answer", sa.String(length=40), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["paper_sheets.sheet_id"], name=op.f("fk_paper_reviews_sheet_id_paper_sheets"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_paper_reviews_submission_id_submissions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_reviews")),
        sa.UniqueConstraint("sheet_id", "question_id", name="uq_paper_reviews_sheet_question"),
    )
    op.create_index(op.f("ix_paper_reviews_sheet_id"), "paper_reviews", ["sheet_id"], unique=False)
    op.create_index(op.f("ix_paper_reviews_submission_id"), "paper_reviews", ["submission_id"], unique=False)
    op.create_index("ix_paper_reviews_queue", "paper_reviews", ["status", "least_confidence"], unique=False)

    op.create_table(
        "paper_text_crops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("sheet_id", sa.String(length=16), nullable=True),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("crop_png", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("typed_by", sa.String(length=200), nullable=True),
        sa.Column("typed_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_paper_text_crops_submission_id_submissions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_text_crops")),
        sa.UniqueConstraint("submission_id", "question_id", name="uq_paper_text_crops_submission_question"),
    )
    op.create_index(op.f("ix_paper_text_crops_submission_id"), "paper_text_crops", ["submission_id"], unique=False)
    op.create_index("ix_paper_text_crops_status", "paper_text_crops", ["status", "id"], unique=False)

    op.create_table(
        "paper_unreadable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("image_png", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_unreadable")),
    )


def downgrade() -> None:
    op.drop_table("paper_unreadable")
    op.drop_index("ix_paper_text_crops_status", table_name="paper_text_crops")
    op.drop_index(op.f("ix_paper_text_crops_submission_id"), table_name="paper_text_crops")
    op.drop_table("paper_text_crops")
    op.drop_index("ix_paper_reviews_queue", table_name="paper_reviews")
    op.drop_index(op.f("ix_paper_reviews_submission_id"), table_name="paper_reviews")
    op.drop_index(op.f("ix_paper_reviews_sheet_id"), table_name="paper_reviews")
    op.drop_table("paper_reviews")
    op.drop_table("paper_pages")
    op.drop_index(op.f("ix_paper_sheets_submission_id"), table_name="paper_sheets")
    op.drop_index(op.f("ix_paper_sheets_provider_id"), table_name="paper_sheets")
    op.drop_table("paper_sheets")
