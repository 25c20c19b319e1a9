"""contacts of trials and sites, where a site's coordinates come from, coordinators' preferences

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:20:00

Stored trials get their contacts, and their sites contacts and coordinates from the offline gazetteer, on the next
fetch (`matcher fetch` or `matcher nightly`), from the study JSON already stored (`store.backfill_from_raw`): this
migration only adds the columns.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('trial', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('contacts_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    with op.batch_alter_table('trial_site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('geo_source', sa.Text(), nullable=True))
    with op.batch_alter_table('coordinator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('news_kinds', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('delivery', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False,
                                      server_default='daily'))
        batch_op.add_column(sa.Column('digest_weekday', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('near_km', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('not_enrolling_news', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('coordinator', schema=None) as batch_op:
        batch_op.drop_column('not_enrolling_news')
        batch_op.drop_column('near_km')
        batch_op.drop_column('digest_weekday')
        batch_op.drop_column('delivery')
        batch_op.drop_column('news_kinds')
    with op.batch_alter_table('trial_site', schema=None) as batch_op:
        batch_op.drop_column('geo_source')
        batch_op.drop_column('contacts')
    with op.batch_alter_table('trial', schema=None) as batch_op:
        batch_op.drop_column('contacts_hash')
        batch_op.drop_column('contacts')
