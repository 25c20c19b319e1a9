"""registry text in TEXT columns; NCT ids normalised

Registry values had varchar limits (a 250-character city stopped a whole batch on PostgreSQL); they become TEXT.
NCT ids stored before ids were normalised (SQLite let "NCT01234567\n" in, next to "NCT01234567") are stripped and
upper-cased in every table that holds one; where the clean id is already there, the clean row is kept and the other
dropped (the next fetch brings the study again); an id that is no NCT id even then is dropped with its trial.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 12:20:00

"""
import logging
import re
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

logger = logging.getLogger("alembic.runtime.migration")

# (table, column, length it had): registry text, now TEXT.
TEXT_COLUMNS = [
    ('trial', 'overall_status', 40, False),
    ('trial', 'minimum_age', 40, True),
    ('trial', 'maximum_age', 40, True),
    ('trial', 'sex', 10, True),
    ('trial_site', 'city', 200, True),
    ('trial_site', 'state', 200, True),
    ('trial_site', 'country', 200, True),
    ('trial_site', 'status', 40, True),
    ('match', 'overall_status', 40, False),
]
# Every table with an NCT id, children of `trial` first, and the other columns of its key (None: a row id of its own).
NCT_TABLES = [
    ('trial_site', None),
    ('trial_criteria', []),
    ('match', ['patient_id']),
    ('match_event', None),
    ('review', ['patient_id']),
    ('review_event', None),
    ('trial', []),
]
AUDIT = ('match_event', 'review', 'review_event')  # what coordinators saw and did is kept even for a bad id
NCT_ID = re.compile(r'NCT[0-9]{8}')


def _normalise_nct_ids() -> None:
    bind = op.get_bind()
    dirty: set[str] = set()
    for table, _ in NCT_TABLES:
        ids = bind.execute(sa.text(f'SELECT DISTINCT nct_id FROM "{table}"')).scalars()
        dirty |= {value for value in ids if value != value.strip().upper() or not NCT_ID.fullmatch(value)}
    for old in sorted(dirty):
        new = old.strip().upper()
        params = {'old': old, 'new': new}
        if not NCT_ID.fullmatch(new):
            logger.warning('NCT id %r is no NCT id: its trial, sites, criteria and matches are dropped', old)
            for table, _ in NCT_TABLES:
                if table not in AUDIT:
                    bind.execute(sa.text(f'DELETE FROM "{table}" WHERE nct_id = :old'), params)
            continue
        logger.warning('NCT id %r becomes %s', old, new)
        clean_trial = _exists(bind, 'trial', new)
        for table, key in NCT_TABLES:
            if table == 'trial_site' and clean_trial:
                # The clean trial's own sites are the ones to keep.
                bind.execute(sa.text('DELETE FROM trial_site WHERE nct_id = :old'), params)
            elif key is not None:
                same = ' AND '.join([f'c.{c} = "{table}".{c}' for c in key] + ['c.nct_id = :new'])
                clash = f'DELETE FROM "{table}" WHERE nct_id = :old AND EXISTS (SELECT 1 FROM "{table}" c WHERE {same})'
                bind.execute(sa.text(clash), params)
            if table == 'trial':
                # A new row under the clean id, the children moved to it, then the old row gone (foreign keys hold).
                listed = ', '.join(f'"{c}"' for c in _columns(bind, 'trial') if c != 'nct_id')
                copy = f'INSERT INTO trial (nct_id, {listed}) SELECT :new, {listed} FROM trial WHERE nct_id = :old'
                bind.execute(sa.text(copy), params)
                for child in ('trial_site', 'trial_criteria'):
                    bind.execute(sa.text(f'UPDATE {child} SET nct_id = :new WHERE nct_id = :old'), params)
                bind.execute(sa.text('DELETE FROM trial WHERE nct_id = :old'), params)
            elif table not in ('trial_site', 'trial_criteria') or not _exists(bind, 'trial', old):
                bind.execute(sa.text(f'UPDATE "{table}" SET nct_id = :new WHERE nct_id = :old'), params)


def _columns(bind: sa.engine.Connection, table: str) -> list[str]:
    return [c['name'] for c in sa.inspect(bind).get_columns(table)]


def _exists(bind: sa.engine.Connection, table: str, nct_id: str) -> bool:
    query = sa.text(f'SELECT 1 FROM "{table}" WHERE nct_id = :id')
    return bind.execute(query, {'id': nct_id}).first() is not None


def upgrade() -> None:
    """Upgrade schema."""
    _normalise_nct_ids()
    for table, column, length, nullable in TEXT_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sqlmodel.sql.sqltypes.AutoString(length=length),
                                  type_=sa.Text(), existing_nullable=nullable)


def downgrade() -> None:
    """Downgrade schema (fails on PostgreSQL if a value has grown past its old length)."""
    for table, column, length, nullable in reversed(TEXT_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(),
                                  type_=sqlmodel.sql.sqltypes.AutoString(length=length), existing_nullable=nullable)
