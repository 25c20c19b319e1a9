"""trial quarantine, what a nightly run set aside, digests given up after permanent refusals

Revision ID: 0004
Revises: 0002 (to be re-pointed at 0003 when the schema/lock branch's migration is merged)
Create Date: 2026-12-03 12:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('trial_quarantine',
    sa.Column('nct_id', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.PrimaryKeyConstraint('nct_id')
    )
    with op.batch_alter_table('nightly_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('n_set_aside', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('set_aside', sa.JSON(), nullable=True))
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('permanent_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('given_up_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reported_in_run', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.drop_column('reported_in_run')
        batch_op.drop_column('given_up_at')
        batch_op.drop_column('permanent_failures')
    with op.batch_alter_table('nightly_run', schema=None) as batch_op:
        batch_op.drop_column('set_aside')
        batch_op.drop_column('n_set_aside')
    op.drop_table('trial_quarantine')
