"""Copies of a person's words that outlived their use: handwriting already typed, tick boxes already
decided, and the answers and words kept in the state of SMS runs that have ended

From now on the code forgets them when the work is done (channels/paper/queues.py, channels/sms/flows.py);
this forgets those stored before. The words themselves are in free_texts, read by the disclosure check,
erased and cut by retention there.

Revision ID: 0009_forget_copies
Revises: 0008_sealed_totp
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_forget_copies"
down_revision = "0008_sealed_totp"
branch_labels = None
depends_on = None

_crops = sa.table("paper_text_crops", sa.column("status", sa.String), sa.column("crop_png", sa.LargeBinary))
_reviews = sa.table("paper_reviews", sa.column("status", sa.String), sa.column("crop_png", sa.LargeBinary))


def upgrade() -> None:
    op.execute(_crops.update().where(_crops.c.status != "waiting").values(crop_png=b""))
    op.execute(_reviews.update().where(_reviews.c.status != "open").values(crop_png=b""))
    # Only the step is kept (how far the run got); JSON paths differ between SQLite and PostgreSQL, so the
    # rows are rewritten one by one (once, at this upgrade).
    connection = op.get_bind()
    runs = sa.table("sms_conversations", sa.column("id", sa.String), sa.column("status", sa.String),
                    sa.column("state", sa.JSON))
    for run_id, state in connection.execute(sa.select(runs.c.id, runs.c.state).where(runs.c.status != "open")).all():
        step = (state or {}).get("step", 0) if isinstance(state, dict) else 0
        connection.execute(runs.update().where(runs.c.id == run_id).values(state={"step": step}))


def downgrade() -> None:
    pass   # what was forgotten cannot come back; the schema is unchanged
