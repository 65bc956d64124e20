"""contacts.phone_match, contacts.email_match: the normalised number and address privacy requests find a row by

Erasure, subject-access export and withdrawal of consent used to normalise every stored phone number (or
email address) in Python to find the person's rows; now they look the normalised values up in an index
(service/privacy/contact_match.py). Existing rows are filled here, in batches.

Revision ID: 0014_contact_match
Revises: 0013_meeting_action_cut
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_contact_match"
down_revision = "0013_meeting_action_cut"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    from service.privacy.contact_match import email_match, phone_match

    # Plain nullable columns: SQLite adds them in place, without copying the table.
    op.add_column("contacts", sa.Column("phone_match", sa.String(length=32), nullable=True))
    op.add_column("contacts", sa.Column("email_match", sa.String(length=320), nullable=True))
    contacts = sa.table("contacts", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                        sa.column("email", sa.String), sa.column("phone_match", sa.String),
                        sa.column("email_match", sa.String))
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(sa.select(contacts.c.id, contacts.c.phone, contacts.c.email).where(
            contacts.c.id > after, sa.or_(contacts.c.phone.is_not(None), contacts.c.email.is_not(None)))
            .order_by(contacts.c.id).limit(_BATCH)).all()
        if not rows:
            break
        after = rows[-1].id
        connection.execute(contacts.update().where(contacts.c.id == sa.bindparam("row_id")).values(
            phone_match=sa.bindparam("phone_value"), email_match=sa.bindparam("email_value")),
            [{"row_id": r.id, "phone_value": phone_match(r.phone), "email_value": email_match(r.email)} for r in rows])
    op.create_index("ix_contacts_phone_match", "contacts", ["phone_match", "phone"], unique=False)
    op.create_index("ix_contacts_email_match", "contacts", ["email_match", "email"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contacts_email_match", table_name="contacts")
    op.drop_index("ix_contacts_phone_match", table_name="contacts")
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("email_match")
        batch_op.drop_column("phone_match")
