"""match rows keep columns, not a result document: dates to recheck, deciding criteria, short hashes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:20:00

Each stored match kept its whole result as JSON (about 9 KB a pair) and the nightly job read every row back. The
row now holds only what deciding news needs. The upgrade reads each row's `eligible_from` and `recheck_on` out of
the JSON, keeps the first 16 hex digits of the two hashes, and drops the JSON and `matched_on` (`updated_at` says
when). The indexes of the deciding criteria were never stored apart: the converted rows are marked
computed by no parser version, so the next nightly run evaluates them again (news only where an answer changed)
and fills them. On SQLite the table is rebuilt WITHOUT ROWID: its primary key is the table.

The downgrade rebuilds a small result document (verdict, status, distance and the two dates); the old code then
evaluates every pair again, since the short hashes no longer equal the full ones.
"""
from datetime import date
from typing import Any, Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

HASH_CHARS = 16
BATCH = 1000

match = sa.table(
    'match',
    sa.column('patient_id', sa.String),
    sa.column('nct_id', sa.String),
    sa.column('verdict', sa.String),
    sa.column('overall_status', sa.Text),
    sa.column('nearest_km', sa.Float),
    sa.column('result', sa.JSON),
    sa.column('eligible_from', sa.Date),
    sa.column('recheck_on', sa.Date),
    sa.column('matched_on', sa.Date),
    sa.column('updated_at', sa.DateTime),
)


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _rows(connection: sa.Connection, *columns: sa.ColumnElement[Any]) -> Any:
    """Every match row, in primary-key batches (a large table never sits in memory whole)."""
    after: tuple[str, str] | None = None
    while True:
        query = sa.select(match.c.patient_id, match.c.nct_id, *columns)
        if after is not None:
            query = query.where(sa.tuple_(match.c.patient_id, match.c.nct_id) > sa.tuple_(*after))
        batch = connection.execute(query.order_by(match.c.patient_id, match.c.nct_id).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        after = (batch[-1].patient_id, batch[-1].nct_id)


def _update(connection: sa.Connection, values: list[dict[str, Any]]) -> None:
    if values:
        where = (match.c.patient_id == sa.bindparam('p')) & (match.c.nct_id == sa.bindparam('n'))
        names = [k for k in values[0] if k not in ('p', 'n')]
        connection.execute(match.update().where(where).values({k: sa.bindparam(k) for k in names}), values)


def upgrade() -> None:
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deciding', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('eligible_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('recheck_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    pending: list[dict[str, Any]] = []
    for row in _rows(connection, match.c.result):
        result = row.result if isinstance(row.result, dict) else {}
        found = result.get('match') if isinstance(result.get('match'), dict) else {}
        pending.append({'p': row.patient_id, 'n': row.nct_id, 'eligible_from': _day(found.get('eligible_from')),
                        'recheck_on': _day(result.get('recheck_on'))})
        if len(pending) >= BATCH:
            _update(connection, pending)
            pending = []
    _update(connection, pending)
    op.execute(f"UPDATE match SET trial_hash = substr(trial_hash, 1, {HASH_CHARS}), "
               f"patient_hash = substr(patient_hash, 1, {HASH_CHARS}), parser_version = ''")
    with op.batch_alter_table('match', schema=None, recreate='always',
                              table_kwargs={'sqlite_with_rowid': False}) as batch_op:
        batch_op.drop_column('result')
        batch_op.drop_column('matched_on')
        batch_op.alter_column('trial_hash', type_=sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS),
                              existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), existing_nullable=False)
        batch_op.alter_column('patient_hash', type_=sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS),
                              existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('match', schema=None, recreate='always') as batch_op:
        batch_op.add_column(sa.Column('result', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('matched_on', sa.Date(), nullable=True))
        batch_op.alter_column('trial_hash', type_=sqlmodel.sql.sqltypes.AutoString(length=64),
                              existing_type=sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS))
        batch_op.alter_column('patient_hash', type_=sqlmodel.sql.sqltypes.AutoString(length=64),
                              existing_type=sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS))
    connection = op.get_bind()
    pending: list[dict[str, Any]] = []
    columns = (match.c.verdict, match.c.overall_status, match.c.nearest_km, match.c.eligible_from,
               match.c.recheck_on, match.c.updated_at)
    for row in _rows(connection, *columns):
        eligible_from, recheck_on = _day(row.eligible_from), _day(row.recheck_on)
        state = {'verdict': row.verdict, 'overall_status': row.overall_status, 'nearest_km': row.nearest_km}
        pending.append({'p': row.patient_id, 'n': row.nct_id, 'matched_on': _day(row.updated_at), 'result': {
            'state': state,
            'match': {'eligible_from': eligible_from.isoformat()} if eligible_from else {},
            'recheck_on': recheck_on.isoformat() if recheck_on else None,
        }})
        if len(pending) >= BATCH:
            _update(connection, pending)
            pending = []
    _update(connection, pending)
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.alter_column('result', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('matched_on', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('recheck_on')
        batch_op.drop_column('eligible_from')
        batch_op.drop_column('deciding')
