"""a deleted project's exports leave their client ids (``/deleted/<job id>``), as deleting one now
does: their polls, downloads, signed links and previews answer "no such render"

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE renders SET render_id = '/deleted/' || id "
            "WHERE render_id NOT LIKE '/deleted/%' "
            "AND session_id IN (SELECT id FROM sessions WHERE deleted_at IS NOT NULL)"
        )
    )


def downgrade() -> None:
    pass  # the client ids are not kept: a deleted project's exports stay unreachable
