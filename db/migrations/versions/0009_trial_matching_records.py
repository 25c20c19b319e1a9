"""trial_matching: each trial's matching record beside its parsed criteria

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:30:00

`matcher match` read and decoded every stored criterion (17 MB of JSON for 2,000 trials) and arranged it for
matching on every run. A record per trial holds what matching needs, already arranged
(matcher/matching/evaluate.py: MatchingRecord). The table starts empty: records are made from the stored criteria,
without parsing again, when criteria are saved and by the first `matcher match` that finds some missing or made by
other code; until then matching reads the criteria as before.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('trial_matching',
    sa.Column('nct_id', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('matching_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('record', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['nct_id'], ['trial.nct_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nct_id')
    )


def downgrade() -> None:
    op.drop_table('trial_matching')
