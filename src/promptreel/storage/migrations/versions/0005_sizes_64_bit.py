"""file sizes are 64-bit: an upload or export over 2 GiB fits (PostgreSQL's INTEGER stops at
2,147,483,647; SQLite's integers were always 64-bit)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = ("media", "renders")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("size", existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("size", existing_type=sa.BigInteger(), type_=sa.Integer())
