"""sms_inbound.phone_hash: which number a text came from, as the SMS tables keep numbers (a keyed hash)

Erasure by phone number deletes Twilio's copies of the texts the person sent; a text that belonged to no
questionnaire run (STOP, START or HELP outside a run, an empty text) was tied to nothing, so its copy (with
the number) stayed at Twilio. Existing rows start without (NULL): the number they came from is not stored.

Revision ID: 0015_sms_inbound_phone_hash
Revises: 0014_contact_match
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_sms_inbound_phone_hash"
down_revision = "0014_contact_match"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sms_inbound", sa.Column("phone_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_sms_inbound_phone_hash", "sms_inbound", ["phone_hash"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sms_inbound_phone_hash", table_name="sms_inbound")
    with op.batch_alter_table("sms_inbound") as batch_op:
        batch_op.drop_column("phone_hash")
