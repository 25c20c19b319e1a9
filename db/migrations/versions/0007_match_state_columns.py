"""match rows keep columns, not a result document: dates to recheck, deciding criteria, short hashes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:20:00

Each stored match kept its whole result as JSON (about 9 KB a pair) and the nightly job read every row back. The
row now holds only what deciding news needs. The upgrade reads each row's `eligible_from` and `recheck_on` out of
the JSON, keeps the first 16 hex digits of the two hashes, and drops the JSON and `matched_on` (`updated_at` says
when). The indexes of the deciding criteria were never stored apart, but the document lists every criterion's
outcome in stored order: where the trial's stored parse is the one the match was computed from (same content hash
and parser version, as many criteria), its top-level criteria (no parent) give them, and the row keeps its parser
version, so the first night after the upgrade does not evaluate it again. A row whose parse is gone or changed is
marked computed by no parser version: the next nightly run evaluates it again (news only where an answer changed)
and fills them. On SQLite the table is rebuilt WITHOUT ROWID: its primary key is the table.

The downgrade rebuilds a small result document (verdict, status, distance and the two dates); the old code then
evaluates every pair again, since the short hashes no longer equal the full ones.
"""
import json
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
    sa.column('trial_hash', sa.String),
    sa.column('parser_version', sa.String),
    sa.column('deciding', sa.Text),
)


trial_criteria = sa.table(
    'trial_criteria',
    sa.column('nct_id', sa.String),
    sa.column('content_hash', sa.String),
    sa.column('parser_version', sa.String),
    sa.column('criteria', sa.JSON),
)
DECIDING = {'ineligible': 'violated', 'possible': 'unknown'}  # the outcome that decides each verdict


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


class _Parses:
    """Each trial's stored parse, read once: its content hash, parser version, criteria count and top-level
    criteria (those without a parent: the ones a verdict reads)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.known: dict[str, tuple[str, str, int, tuple[int, ...]] | None] = {}

    def top(self, nct_id: str, content_hash: str, version: str) -> tuple[int, tuple[int, ...]] | None:
        """(criteria count, top-level indexes) of the parse this match was computed from; None if it is gone."""
        if nct_id not in self.known:
            query = sa.select(trial_criteria.c.content_hash, trial_criteria.c.parser_version,
                              trial_criteria.c.criteria).where(trial_criteria.c.nct_id == nct_id)
            row = self.connection.execute(query).first()
            criteria = row.criteria if row is not None else None
            if isinstance(criteria, str):
                criteria = json.loads(criteria)
            self.known[nct_id] = None if not isinstance(criteria, list) else (
                row.content_hash, row.parser_version, len(criteria),
                tuple(i for i, c in enumerate(criteria) if isinstance(c, list) and len(c) > 5 and c[5] is None))
        parse = self.known[nct_id]
        if parse is None or (parse[0], parse[1]) != (content_hash, version):
            return None
        return parse[2], parse[3]


def _deciding(verdict: str, found: dict[str, Any], parse: tuple[int, tuple[int, ...]] | None) -> str | None:
    """The deciding criteria's indexes as the match row keeps them (`rematch.match_row`), from the document's
    outcomes in stored order; None when they cannot be told (no parse to read the top level from, or another)."""
    outcomes = [c.get('outcome') if isinstance(c, dict) else None for c in found.get('criteria') or ()]
    if parse is None or len(outcomes) != parse[0] or None in outcomes:
        return None
    deciding = DECIDING.get(verdict)
    return ','.join(str(i) for i in parse[1] if outcomes[i] == deciding)


def upgrade() -> None:
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deciding', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('eligible_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('recheck_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    parses = _Parses(connection)
    pending: list[dict[str, Any]] = []
    for row in _rows(connection, match.c.result, match.c.verdict, match.c.trial_hash, match.c.parser_version):
        result = row.result if isinstance(row.result, dict) else {}
        found = result.get('match') if isinstance(result.get('match'), dict) else {}
        deciding = _deciding(row.verdict, found, parses.top(row.nct_id, row.trial_hash, row.parser_version))
        pending.append({'p': row.patient_id, 'n': row.nct_id, 'eligible_from': _day(found.get('eligible_from')),
                        'recheck_on': _day(result.get('recheck_on')), 'deciding': deciding,
                        # the row is evaluated again by the next night when its deciding criteria are unknown
                        'parser_version': row.parser_version if deciding is not None else ''})
        if len(pending) >= BATCH:
            _update(connection, pending)
            pending = []
    _update(connection, pending)
    op.execute(f"UPDATE match SET trial_hash = substr(trial_hash, 1, {HASH_CHARS}), "
               f"patient_hash = substr(patient_hash, 1, {HASH_CHARS})")
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
