"""merge the branches each part of the service added off the initial schema

The text pipeline, SMS, meetings, paper and accounts parts were built side by side, each with a
migration off 0001. This joins them so that later migrations have one head to build on.

Revision ID: 0007_merge
Revises: 0002_text, 0003_sms, 0004_meetings, 0005_paper, 0006_accounts_audit
Create Date: 2026-11-28
"""

revision = "0007_merge"
down_revision = ("0002_text", "0003_sms", "0004_meetings", "0005_paper", "0006_accounts_audit")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
