"""match rows under 200 bytes a pair on PostgreSQL too: coded verdict and status, hashes as bytes, column order

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 22:00:00

A first night at 1,000 x 500 left PostgreSQL's match table at 220 bytes a pair (SQLite's: 180). The verdict and the
trial's overall status become one-character codes (the mapping, frozen here as it was when this ran, lives in
matcher/tables.py: VERDICT_CODES, STATUS_CODES; a status without a code stays as it is); the two short hashes, 16
hex digits as text, become their 8 bytes (a hash that is not hex, which no version wrote, becomes empty bytes:
equal to no hash, so its pair is evaluated again); and the fixed-width columns come first, where PostgreSQL's
8-byte alignment puts no padding between them. The table is built anew in that order and the rows copied in one
INSERT ... SELECT (SQLite: WITHOUT ROWID, as 0007 made it).

The downgrade turns codes and bytes back into names and hex digits, in 0007's column order.
"""
import re
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VERDICT_CODES = {'eligible': 'e', 'possible': 'p', 'ineligible': 'i'}
STATUS_CODES = {
    'RECRUITING': 'R', 'ACTIVE_NOT_RECRUITING': 'A', 'NOT_YET_RECRUITING': 'N', 'ENROLLING_BY_INVITATION': 'I',
    'COMPLETED': 'C', 'SUSPENDED': 'S', 'TERMINATED': 'T', 'WITHDRAWN': 'W', 'AVAILABLE': 'V',
    'NO_LONGER_AVAILABLE': 'L', 'TEMPORARILY_NOT_AVAILABLE': 'P', 'APPROVED_FOR_MARKETING': 'M', 'WITHHELD': 'H',
    'UNKNOWN': 'U',
}
HASH_CHARS = 16
HEX = re.compile(r'(?:[0-9a-fA-F]{2})*')
SQLITE_UNHEX = 'matcher_0008_unhex'  # a function of the migration's connection (SQLite before 3.41 has no unhex)


def _case(column: str, mapping: dict[str, str]) -> str:
    """SQL: the column's value through the mapping; a value it does not map stays as it is."""
    whens = ' '.join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f'CASE {column} {whens} ELSE {column} END'


def _unhex(connection: sa.Connection, column: str) -> str:
    """SQL: a hash's hex digits as bytes; empty bytes where it is not hex."""
    if connection.dialect.name == 'postgresql':
        return f"CASE WHEN {column} ~ '^([0-9a-fA-F]{{2}})*$' THEN decode({column}, 'hex') ELSE decode('', 'hex') END"
    return f'{SQLITE_UNHEX}({column})'


def _hex(connection: sa.Connection, column: str) -> str:
    if connection.dialect.name == 'postgresql':
        return f"encode({column}, 'hex')"
    return f'lower(hex({column}))'


def _sqlite_unhex(value: str | None) -> bytes | None:
    return None if value is None else bytes.fromhex(value) if HEX.fullmatch(value) else b''


def _key() -> tuple[sa.types.TypeEngine, sa.types.TypeEngine]:
    return (sqlmodel.sql.sqltypes.AutoString(length=64), sqlmodel.sql.sqltypes.AutoString(length=11))


def _rebuild(columns: list[sa.Column], select: dict[str, str]) -> None:
    """Build match anew with these columns (in this order) and copy every row in through these expressions, in
    key order. PostgreSQL gets the primary key after the rows: an index built from them sorted has full pages (one
    filled row by row while they come in has half-empty ones, about 20 bytes a pair more)."""
    postgres = op.get_bind().dialect.name == 'postgresql'
    key = [] if postgres else [sa.PrimaryKeyConstraint('patient_id', 'nct_id')]
    op.create_table('match_new', *columns, *key, sqlite_with_rowid=False)
    op.execute(f"INSERT INTO match_new ({', '.join(select)}) SELECT {', '.join(select.values())} FROM match "
               f"ORDER BY patient_id, nct_id")
    op.drop_table('match')
    op.rename_table('match_new', 'match')
    if postgres:
        op.create_primary_key('match_pkey', 'match', ['patient_id', 'nct_id'])


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        connection.connection.driver_connection.create_function(SQLITE_UNHEX, 1, _sqlite_unhex, deterministic=True)
    patient, nct = _key()
    _rebuild([
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('nearest_km', sa.Float(), nullable=True),
        sa.Column('eligible_from', sa.Date(), nullable=True),
        sa.Column('recheck_on', sa.Date(), nullable=True),
        sa.Column('patient_id', patient, nullable=False),
        sa.Column('nct_id', nct, nullable=False),
        sa.Column('verdict', sa.Text(), nullable=False),
        sa.Column('overall_status', sa.Text(), nullable=False),
        sa.Column('trial_hash', sa.LargeBinary(), nullable=False),
        sa.Column('patient_hash', sa.LargeBinary(), nullable=False),
        sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('deciding', sa.Text(), nullable=True),
    ], {
        'updated_at': 'updated_at', 'score': 'score', 'nearest_km': 'nearest_km', 'eligible_from': 'eligible_from',
        'recheck_on': 'recheck_on', 'patient_id': 'patient_id', 'nct_id': 'nct_id',
        'verdict': _case('verdict', VERDICT_CODES), 'overall_status': _case('overall_status', STATUS_CODES),
        'trial_hash': _unhex(connection, 'trial_hash'), 'patient_hash': _unhex(connection, 'patient_hash'),
        'parser_version': 'parser_version', 'deciding': 'deciding',
    })


def downgrade() -> None:
    connection = op.get_bind()
    patient, nct = _key()
    names = {code: name for name, code in VERDICT_CODES.items()}
    statuses = {code: name for name, code in STATUS_CODES.items()}
    _rebuild([
        sa.Column('patient_id', patient, nullable=False),
        sa.Column('nct_id', nct, nullable=False),
        sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('overall_status', sa.Text(), nullable=False),
        sa.Column('nearest_km', sa.Float(), nullable=True),
        sa.Column('trial_hash', sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS), nullable=False),
        sa.Column('patient_hash', sqlmodel.sql.sqltypes.AutoString(length=HASH_CHARS), nullable=False),
        sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('deciding', sa.Text(), nullable=True),
        sa.Column('eligible_from', sa.Date(), nullable=True),
        sa.Column('recheck_on', sa.Date(), nullable=True),
    ], {
        'patient_id': 'patient_id', 'nct_id': 'nct_id', 'verdict': _case('verdict', names), 'score': 'score',
        'overall_status': _case('overall_status', statuses), 'nearest_km': 'nearest_km',
        'trial_hash': _hex(connection, 'trial_hash'), 'patient_hash': _hex(connection, 'patient_hash'),
        'parser_version': 'parser_version', 'updated_at': 'updated_at', 'deciding': 'deciding',
        'eligible_from': 'eligible_from', 'recheck_on': 'recheck_on',
    })
