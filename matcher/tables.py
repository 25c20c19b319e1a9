"""Database tables (SQLModel). The schema's history is in db/migrations; keep the two in step.

Text that comes from the registry (titles, statuses, ages, sex, site names and places) goes in TEXT columns: the
registry sets no length, and a limit here would let one long value stop a whole batch on PostgreSQL (and not on
SQLite). NCT ids are normalised and checked (`ctgov_parse.normalise_nct_id`) before they reach a column, so they fit
their 11 characters. Queries live in `matcher.store`; nothing else builds SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Dialect, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import validates
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from matcher.addresses import address_problem, check_address
from matcher.errors import PatientFileError, Problem

HASH_CHARS = 16  # of a content or profile hash kept in a match row: 64 bits tell a change

# The one-character codes a match row stores for a verdict and for a trial's overall status (the registry's value
# set, cli_common.OVERALL_STATUSES). Stored rows hold them: never change a code, only add new ones (a migration
# turns existing values otherwise).
VERDICT_CODES = {"eligible": "e", "possible": "p", "ineligible": "i"}
STATUS_CODES = {
    "RECRUITING": "R", "ACTIVE_NOT_RECRUITING": "A", "NOT_YET_RECRUITING": "N", "ENROLLING_BY_INVITATION": "I",
    "COMPLETED": "C", "SUSPENDED": "S", "TERMINATED": "T", "WITHDRAWN": "W", "AVAILABLE": "V",
    "NO_LONGER_AVAILABLE": "L", "TEMPORARILY_NOT_AVAILABLE": "P", "APPROVED_FOR_MARKETING": "M", "WITHHELD": "H",
    "UNKNOWN": "U",
}  # fmt: skip


class Coded(TypeDecorator[str]):
    """A name stored as its one-character code (`VERDICT_CODES`, `STATUS_CODES`); Python code, and SQL built with
    the column (``==``, ``in_``), sees and compares the names. A name of an open set without a code (a status the
    registry may add) is stored as itself: codes are one character, names longer. A closed set refuses it."""

    impl = Text
    cache_ok = True

    def __init__(self, codes: dict[str, str], open_set: bool = False) -> None:
        super().__init__()
        self.codes = tuple(codes.items())  # hashable: the statement cache keys on the arguments
        self.open_set = open_set
        self._code, self._name = dict(codes), {c: name for name, c in codes.items()}

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        code = self._code.get(value)
        if code is None and (not self.open_set or len(value) == 1):
            raise ValueError(f"no code for {value!r}")
        return code or value

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return self._name[value] if value is not None and len(value) == 1 else value


class ShortHash(TypeDecorator[str]):
    """The first HASH_CHARS hex digits of a hash, stored as their HASH_CHARS / 2 bytes (BLOB, bytea)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else bytes.fromhex(value[:HASH_CHARS])

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).hex()


class short_hash_hex(FunctionElement[str]):
    """SQL: the lower-case hex digits of a `ShortHash` column, to compare with the start of a hash kept as text."""

    type = Text()
    name = "short_hash_hex"
    inherit_cache = True


@compiles(short_hash_hex)
def _short_hash_hex_sqlite(element: short_hash_hex, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower(hex({compiler.process(element.clauses, **kw)}))"


@compiles(short_hash_hex, "postgresql")
def _short_hash_hex_postgresql(element: short_hash_hex, compiler: SQLCompiler, **kw: Any) -> str:
    return f"encode({compiler.process(element.clauses, **kw)}, 'hex')"


class TrialRow(SQLModel, table=True):
    __tablename__ = "trial"
    # `matcher match` first checks every trial's content hash against its stored parse's (`store_read.parse_due`,
    # `matching_due`): this index holds both, so the checks do not read each row past its eligibility text.
    __table_args__ = (Index("ix_trial_nct_id_content_hash", "nct_id", "content_hash"),)

    nct_id: str = Field(primary_key=True, max_length=11)
    brief_title: str = Field(sa_column=Column(Text, nullable=False))
    official_title: str | None = Field(default=None, sa_column=Column(Text))
    overall_status: str = Field(index=True, sa_type=Text)
    phases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    conditions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interventions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    minimum_age: str | None = Field(default=None, sa_type=Text)
    maximum_age: str | None = Field(default=None, sa_type=Text)
    sex: str | None = Field(default=None, sa_type=Text)
    healthy_volunteers: bool | None = None
    eligibility_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    last_update_posted: date | None = None
    content_hash: str = Field(max_length=64)
    raw: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # Central contacts and overall officials (`models.Contact.to_stored` each); None for a trial stored before
    # contacts were kept, filled from ``raw`` by the next fetch (`store.backfill_from_raw`).
    contacts: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    # Hash of the contacts of the trial and its sites: a new phone number is written without re-parsing anything.
    contacts_hash: str | None = Field(default=None, max_length=64)
    first_seen_at: datetime
    updated_at: datetime


class SiteRow(SQLModel, table=True):
    __tablename__ = "trial_site"
    __table_args__ = (Index("ix_trial_site_nct_id", "nct_id"),)

    id: int | None = Field(default=None, primary_key=True)
    nct_id: str = Field(foreign_key="trial.nct_id", max_length=11, ondelete="CASCADE")
    position: int
    facility: str | None = Field(default=None, sa_column=Column(Text))
    city: str | None = Field(default=None, sa_type=Text)
    state: str | None = Field(default=None, sa_type=Text)
    country: str | None = Field(default=None, sa_type=Text)
    status: str | None = Field(default=None, sa_type=Text)
    lat: float | None = None
    lon: float | None = None
    # The site's contacts; SQL NULL when it has none (most sites): tens of thousands of "[]" to decode would slow
    # every match down.
    contacts: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    geo_source: str | None = Field(default=None, sa_type=Text)  # registry | gazetteer | unplaced


class FetchRunRow(SQLModel, table=True):
    __tablename__ = "fetch_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(Text, nullable=False))
    mode: str = Field(max_length=20)  # full | incremental
    since: date | None = None
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = Field(default="running", max_length=20, index=True)  # running | succeeded | failed
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0
    n_failed: int = 0
    watermark: date | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))


class LockRow(SQLModel, table=True):
    """A named, database-level lock: one row per held lock (works the same on SQLite and PostgreSQL)."""

    __tablename__ = "job_lock"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=200)
    acquired_at: datetime


class TrialCriteriaRow(SQLModel, table=True):
    """A trial's parsed criteria, valid for one content hash and one parser version."""

    __tablename__ = "trial_criteria"

    nct_id: str = Field(primary_key=True, foreign_key="trial.nct_id", max_length=11, ondelete="CASCADE")
    content_hash: str = Field(max_length=64)
    parser_version: str = Field(max_length=40)
    criteria: list[list[Any]] = Field(sa_column=Column(JSON, nullable=False))  # Criterion.to_stored() each
    parsed_at: datetime


class TrialMatchingRow(SQLModel, table=True):
    """What matching needs of a trial's parsed criteria, worked out once (`matching.evaluate.MatchingRecord`):
    valid for the criteria's content hash and parser version and for the code that made it (``matching_version``).
    `matcher match` reads these records, not the criteria, except for the trials it shows."""

    __tablename__ = "trial_matching"

    nct_id: str = Field(primary_key=True, foreign_key="trial.nct_id", max_length=11, ondelete="CASCADE")
    content_hash: str = Field(max_length=64)
    parser_version: str = Field(max_length=40)
    matching_version: str = Field(max_length=40)
    record: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # MatchingRecord as MessagePack


class PatientRow(SQLModel, table=True):
    __tablename__ = "patient"

    id: str = Field(primary_key=True, max_length=64)
    version: int = 1
    profile: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    profile_hash: str = Field(max_length=64)
    coordinator: str | None = Field(default=None, max_length=320, index=True)
    created_at: datetime
    updated_at: datetime

    @validates("coordinator")
    def _one_address(self, _key: str, value: str | None) -> str | None:
        """Digests go to this address: it is stored only if it is exactly one email address."""
        problem = address_problem(value) if value is not None else None
        if problem is not None:
            raise PatientFileError(f"patient {self.id}", [Problem("coordinator", f"one email address ({problem})",
                                                                  repr(value))])  # fmt: skip
        return value


class PatientVersionRow(SQLModel, table=True):
    """Every version of a patient's profile that was ever stored (the current one included)."""

    __tablename__ = "patient_version"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: str = Field(max_length=64, index=True)
    version: int
    profile: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    saved_at: datetime


class MatchRow(SQLModel, table=True):
    """The last known answer for one patient and one trial: what the nightly job needs to decide news, and the
    inputs it was computed from. The explanation (each criterion's reason, the missing data, the nearest site) is
    not stored: it is computed again when someone looks (`matcher explain`, the review desk; a digest item's event
    carries its own). Kept small, under 200 bytes a pair on SQLite and on PostgreSQL (docs/architecture.md): a
    centre's database holds patients x trials of these.

    ``deciding`` lists, comma-separated, the indexes (in the trial's stored criteria) of the top-level criteria
    that decide the verdict: the violated ones of an ineligible pair, the unknown ones of a possible pair; None
    for a row converted from the old JSON form until it is evaluated again. Hashes are the first HASH_CHARS hex
    digits of the trial's content hash and the patient's profile hash, enough to tell a change, stored as bytes
    (`ShortHash`; `short_hash_hex` compares them with a hash in SQL). The verdict and the trial's overall status
    are stored as one-character codes (`Coded`): code reads and writes them by name.

    The nightly job looks each patient's pairs up by primary key (`monitor_store.due_pairs`) and reads the two
    dates there: an index on them would cost about 40 bytes a pair each and serve no query."""

    __tablename__ = "match"
    # The primary key is the table (no second copy of it, as a rowid table keeps): a third of the bytes on SQLite.
    __table_args__ = {"sqlite_with_rowid": False}

    # In this order: PostgreSQL aligns a float or a timestamp to 8 bytes and a date to 4, so the fixed-width
    # columns come first (no padding between them) and the variable-width ones after (1-byte headers, unaligned).
    updated_at: datetime
    score: float
    nearest_km: float | None = None
    eligible_from: date | None = None  # a washout the patient waits for ends: the verdict may change that day
    recheck_on: date | None = None  # the calendar alone may change an answer that day (a birthday, a window)
    patient_id: str = Field(primary_key=True, max_length=64)
    nct_id: str = Field(primary_key=True, max_length=11)
    verdict: str = Field(sa_column=Column(Coded(VERDICT_CODES), nullable=False))
    overall_status: str = Field(sa_column=Column(Coded(STATUS_CODES, open_set=True), nullable=False))  # the trial's
    trial_hash: str = Field(sa_column=Column(ShortHash, nullable=False))
    patient_hash: str = Field(sa_column=Column(ShortHash, nullable=False))
    parser_version: str = Field(max_length=40)
    deciding: str | None = Field(default=None, sa_type=Text)


class NightlyRunRow(SQLModel, table=True):
    __tablename__ = "nightly_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = Field(default="running", max_length=20)
    fetch_run_id: int | None = None
    n_parsed: int = 0
    n_evaluated: int = 0
    n_events: int = 0
    n_digests: int = 0
    n_sent: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    # What the run set aside and went on without: [{"kind": "patient" | "trial" | "pair" | "digest", "id": ...,
    # "error": ...}]. Patients are named by id only; their errors carry the exception type, never a value.
    n_set_aside: int = 0
    set_aside: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))


class MatchEventRow(SQLModel, table=True):
    """One piece of news about a (patient, trial) pair, with the state before and after."""

    __tablename__ = "match_event"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, index=True)
    patient_id: str = Field(max_length=64, index=True)
    nct_id: str = Field(max_length=11)
    kind: str = Field(max_length=30)  # new_match | verdict_change | status_change | site_opened
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)


class DigestRow(SQLModel, table=True):
    """The outbox: a digest is stored before it is sent and marked sent after the server accepts it."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("run_id", "coordinator"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int
    coordinator: str = Field(max_length=320)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    message_id: str = Field(max_length=200)
    status: str = Field(default="pending", max_length=20, index=True)  # pending | sent | failed_permanent
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime
    sent_at: datetime | None = None
    permanent_failures: int = 0  # 5xx replies so far; at MATCHER_SMTP_PERMANENT_TRIES the digest is given up
    given_up_at: datetime | None = None
    reported_in_run: int | None = None  # the nightly run whose digests carried the admin line about it


class ReviewRow(SQLModel, table=True):
    __tablename__ = "review"

    patient_id: str = Field(primary_key=True, max_length=64)
    nct_id: str = Field(primary_key=True, max_length=11)
    status: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text))
    updated_by: str = Field(max_length=320)
    updated_at: datetime
    verdict_at_review: str | None = Field(default=None, max_length=20)


class ReviewEventRow(SQLModel, table=True):
    """The audit trail: every change of a review status, with when, who and the note."""

    __tablename__ = "review_event"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: str = Field(max_length=64, index=True)
    nct_id: str = Field(max_length=11)
    status: str = Field(max_length=20)
    previous_status: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text))
    who: str = Field(max_length=320)
    at: datetime


class CoordinatorRow(SQLModel, table=True):
    __tablename__ = "coordinator"

    email: str = Field(primary_key=True, max_length=320)
    muted: bool = False
    updated_at: datetime
    # Preferences (`matcher coordinators set`): the news kinds wanted (None: the default ones), daily or weekly
    # delivery (weekly: on `digest_weekday`, 0 = Monday), the distance limit for "site opened near your patient",
    # and whether status news about trials that are not enrolling is wanted.
    news_kinds: list[str] | None = Field(default=None, sa_column=Column(JSON))
    delivery: str = Field(default="daily", max_length=10)
    digest_weekday: int = 0
    near_km: float | None = None
    not_enrolling_news: bool = False

    @validates("email")
    def _one_address(self, _key: str, value: str) -> str:
        return check_address(value, "coordinator")


class TrialQuarantineRow(SQLModel, table=True):
    """A trial set aside: not parsed, not matched, until released (by hand) or, for one set aside automatically,
    until its content or the parser changes."""

    __tablename__ = "trial_quarantine"

    nct_id: str = Field(primary_key=True, max_length=11)
    source: str = Field(max_length=20)  # manual | parse | evaluate
    reason: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str | None = Field(default=None, max_length=64)  # automatic: the content that failed
    parser_version: str | None = Field(default=None, max_length=40)
    run_id: int | None = None  # the nightly run that set it aside (automatic, during a nightly run)
    since: datetime
    by: str | None = Field(default=None, max_length=320)


# --- the review desk (`matcher serve`) ----------------------------------------------------------------------


class WebUserRow(SQLModel, table=True):
    """A person who signs in to the review desk: a coordinator sees the patients whose profile names their email,
    an admin sees every patient. Only an argon2 hash of the password is kept."""

    __tablename__ = "web_user"

    email: str = Field(primary_key=True, max_length=320)
    role: str = Field(max_length=20)  # coordinator | admin
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    disabled: bool = False
    created_at: datetime
    disabled_at: datetime | None = None
    last_queue_at: datetime | None = None  # when the queue was last shown to them: what is new since


class WebSessionRow(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random token, signed; the table keeps only its SHA-256, so a copy
    of the database opens no session. Deleted at logout, at idle timeout and when the user is disabled."""

    __tablename__ = "web_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the token
    email: str = Field(max_length=320, index=True)
    csrf: str = Field(max_length=64)
    created_at: datetime
    last_seen_at: datetime


class LoginAttemptRow(SQLModel, table=True):
    """Sign-in attempts, for throttling per account and per address (failed ones count)."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    address: str = Field(max_length=64, index=True)
    ok: bool
    at: datetime = Field(index=True)


class AccessLogRow(SQLModel, table=True):
    """Every view of patient data: who, when, which patient, which page."""

    __tablename__ = "access_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    who: str = Field(max_length=320, index=True)
    patient_id: str = Field(max_length=64, index=True)
    page: str = Field(max_length=20)  # queue | patient | match | flag
    nct_id: str | None = Field(default=None, max_length=11)


class CriterionOverrideRow(SQLModel, table=True):
    """A reviewer's correction of one criterion's reading, keyed by trial and the SHA-256 of the criterion's text:
    it survives re-parsing while the text is unchanged and is dropped (``dropped_at``, ``dropped_reason``) when the
    registry text changes or a newer override of the same criterion and patient replaces it."""

    __tablename__ = "criterion_override"

    id: int | None = Field(default=None, primary_key=True)
    nct_id: str = Field(max_length=11, index=True)
    text_hash: str = Field(max_length=64)
    criterion_text: str = Field(sa_column=Column(Text, nullable=False))
    patient_id: str | None = Field(default=None, max_length=64)  # None: for every patient
    outcome: str = Field(max_length=20)  # satisfied | violated | unknown
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    who: str = Field(max_length=320)
    created_at: datetime
    dropped_at: datetime | None = None
    dropped_reason: str | None = Field(default=None, sa_column=Column(Text))
