"""contacts.phone_key, contacts.email_key: keyed hashes by which privacy requests find a contact row

Erasure, subject-access export and withdrawal of consent used to normalise every stored phone number (or
email address) in Python to find the person's rows; now they look the keys up in an index (see
service/privacy/contact_keys.py). The keys are HMACs under a key derived from SECRET_KEY, which a migration
does not read: existing rows start without keys (NULL) and are keyed by `msp-feedback db upgrade` right
after the migrations when SECRET_KEY is set, or else by the worker; until then requests still find them
by comparing their normalised values, as before.

Revision ID: 0014_contact_lookup_keys
Revises: 0013_meeting_action_cut
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_contact_lookup_keys"
down_revision = "0013_meeting_action_cut"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns: SQLite adds them in place, without copying the table.
    op.add_column("contacts", sa.Column("phone_key", sa.String(length=64), nullable=True))
    op.add_column("contacts", sa.Column("email_key", sa.String(length=64), nullable=True))
    op.create_index("ix_contacts_phone_key", "contacts", ["phone_key", "phone"], unique=False)
    op.create_index("ix_contacts_email_key", "contacts", ["email_key", "email"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contacts_email_key", table_name="contacts")
    op.drop_index("ix_contacts_phone_key", table_name="contacts")
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("email_key")
        batch_op.drop_column("phone_key")
