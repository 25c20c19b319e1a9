"""the review desk: users, sessions, sign-in attempts, the access log, criterion overrides

Revision ID: 0006
Revises: 0005 (pointed at 0004 on this branch while 0005 is written elsewhere: the lead re-points it)
Create Date: 2026-12-03 13:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('patient_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('page', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('nct_id', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_access_log_at'), 'access_log', ['at'], unique=False)
    op.create_index(op.f('ix_access_log_patient_id'), 'access_log', ['patient_id'], unique=False)
    op.create_index(op.f('ix_access_log_who'), 'access_log', ['who'], unique=False)
    op.create_table('criterion_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nct_id', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('text_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('criterion_text', sa.Text(), nullable=False),
    sa.Column('patient_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('dropped_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('dropped_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_criterion_override_nct_id'), 'criterion_override', ['nct_id'], unique=False)
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_login_attempt_address'), 'login_attempt', ['address'], unique=False)
    op.create_index(op.f('ix_login_attempt_at'), 'login_attempt', ['at'], unique=False)
    op.create_index(op.f('ix_login_attempt_email'), 'login_attempt', ['email'], unique=False)
    op.create_table('web_session',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('csrf', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_web_session_email'), 'web_session', ['email'], unique=False)
    op.create_table('web_user',
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('disabled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_queue_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email')
    )


def downgrade() -> None:
    op.drop_table('web_user')
    op.drop_index(op.f('ix_web_session_email'), table_name='web_session')
    op.drop_table('web_session')
    op.drop_index(op.f('ix_login_attempt_email'), table_name='login_attempt')
    op.drop_index(op.f('ix_login_attempt_at'), table_name='login_attempt')
    op.drop_index(op.f('ix_login_attempt_address'), table_name='login_attempt')
    op.drop_table('login_attempt')
    op.drop_index(op.f('ix_criterion_override_nct_id'), table_name='criterion_override')
    op.drop_table('criterion_override')
    op.drop_index(op.f('ix_access_log_who'), table_name='access_log')
    op.drop_index(op.f('ix_access_log_patient_id'), table_name='access_log')
    op.drop_index(op.f('ix_access_log_at'), table_name='access_log')
    op.drop_table('access_log')
