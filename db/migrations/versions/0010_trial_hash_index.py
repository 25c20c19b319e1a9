"""trial: an index of (nct_id, content_hash)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:00:00

`matcher match` checks before it reads whether any trial's stored parse or matching record is stale: a join of every
trial's content hash with its criteria's. The hash column comes after the eligibility text, on the row's overflow
pages for most trials, so SQLite read a good part of every trial's row to reach it. This index holds both columns:
the checks read it alone.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_trial_nct_id_content_hash', 'trial', ['nct_id', 'content_hash'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_trial_nct_id_content_hash', table_name='trial')
