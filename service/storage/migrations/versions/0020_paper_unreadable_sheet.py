"""paper_unreadable.sheet_id: the issued sheet an unreadable page's QR code named

A page of a sheet that could not be read (torn, or a photocopy with other answers) is kept with its image;
erasure and subject-access export of the feedback from that sheet must find it, by this column and
paper_sheets.submission_id (service/privacy/person.py ERASABLE_TABLES).

Existing rows are filled from their reason, which the scanner wrote: it ends "[sheet X page N]" when the QR
code named a sheet this service issued, and starts "another copy of sheet X page N," for a second copy of a
page already in. Only ids of sheets in paper_sheets are kept, so a reason that merely looks like one fills
nothing that names no sheet.

Revision ID: 0020_paper_unreadable_sheet
Revises: 0019_outbox_purpose_index
Create Date: 2026-12-01
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0020_paper_unreadable_sheet"
down_revision = "0019_outbox_purpose_index"
branch_labels = None
depends_on = None

_BATCH = 1000
# As easy_read/paper/store.py SHEET_MARKER and easy_read/paper/scan.py wrote them when this revision was made.
_MARKER = re.compile(r"\[sheet ([0-9A-Z]{4,16}) page (\d{1,2})\]$")
_ANOTHER_COPY = re.compile(r"^another copy of sheet ([0-9A-Z]{4,16}) page \d{1,2},")


def _named_sheet(reason: str | None) -> str | None:
    match = _MARKER.search(reason or "") or _ANOTHER_COPY.match(reason or "")
    return match[1] if match else None


def upgrade() -> None:
    # A plain nullable column: SQLite adds it in place, without copying the table.
    op.add_column("paper_unreadable", sa.Column("sheet_id", sa.String(length=16), nullable=True))
    unreadable = sa.table("paper_unreadable", sa.column("id", sa.Integer), sa.column("reason", sa.Text),
                          sa.column("sheet_id", sa.String))
    sheets = sa.table("paper_sheets", sa.column("sheet_id", sa.String))
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(sa.select(unreadable.c.id, unreadable.c.reason).where(unreadable.c.id > after)
                                  .order_by(unreadable.c.id).limit(_BATCH)).all()
        if not rows:
            break
        after = rows[-1].id
        named = {row.id: sheet for row in rows if (sheet := _named_sheet(row.reason))}
        issued = set(connection.scalars(sa.select(sheets.c.sheet_id).where(sheets.c.sheet_id.in_(set(named.values())))))
        filled = [{"row_id": row_id, "sheet_value": sheet} for row_id, sheet in named.items() if sheet in issued]
        if filled:
            connection.execute(unreadable.update().where(unreadable.c.id == sa.bindparam("row_id"))
                               .values(sheet_id=sa.bindparam("sheet_value")), filled)
    op.create_index("ix_paper_unreadable_sheet_id", "paper_unreadable", ["sheet_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_paper_unreadable_sheet_id", table_name="paper_unreadable")
    with op.batch_alter_table("paper_unreadable") as batch_op:
        batch_op.drop_column("sheet_id")
