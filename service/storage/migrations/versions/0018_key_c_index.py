"""submissions.idempotency_key in byte order on PostgreSQL: the keys of an SMS run's replies are found by range

A privacy request by phone and a staff page of an SMS questionnaire's record find the replies kept as
feedback of their own by their keys' prefix ("sms-conversation:<run>:reply:"), as a range of keys. In a
database made with an English locale (en_GB.UTF-8, usual on a UK server) text compares by that locale, where
";" sorts before ":", so the range was empty and the replies were missed. The queries compare in byte order
(COLLATE "C") on PostgreSQL, which this index serves; SQLite compares bytes already.

Revision ID: 0018_key_c_index
Revises: 0017_sms_expiry_index
Create Date: 2026-11-29
"""
from alembic import op

revision = "0018_key_c_index"
down_revision = "0017_sms_expiry_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE INDEX ix_submissions_idempotency_key_c ON submissions (idempotency_key COLLATE "C")')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_submissions_idempotency_key_c")
