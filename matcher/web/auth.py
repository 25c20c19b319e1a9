"""Users, passwords, sessions, sign-in throttling and who may see which patient.

Passwords: argon2id (argon2-cffi), only the hash is stored, never logged. Sessions: a random token in a signed,
HttpOnly, SameSite=Lax cookie (Secure when `web_secure_cookies` is set); the database keeps its SHA-256, the user and
a CSRF token. A sign-in always starts a new session (the old one is deleted: the session id changes at login); a
session ends at logout, after `web_idle_timeout_min` minutes without a request, and at once when its user is
disabled (every request reads the user). Sign-in is refused while an account has THROTTLE_ACCOUNT failed attempts, or
an address THROTTLE_ADDRESS, within THROTTLE_WINDOW.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from matcher.addresses import check_address
from matcher.errors import MatcherError
from matcher.tables import LoginAttemptRow, PatientRow, WebSessionRow, WebUserRow

ROLES = ("coordinator", "admin")
MIN_PASSWORD = 10
THROTTLE_ACCOUNT = 5
THROTTLE_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)
KEEP_ATTEMPTS = timedelta(days=1)
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password anyone has")  # verified against when the account does not exist


class UserError(MatcherError):
    """A user command that cannot be done (unknown user, bad role, weak password)."""


@dataclass(frozen=True)
class User:
    email: str
    role: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def normalise_email(email: str) -> str:
    return check_address(email.strip(), "user").lower()


# --- users ---------------------------------------------------------------------------------------------------


def add_user(session: Session, email: str, role: str, password: str, now: datetime) -> WebUserRow:
    """Add a user, or set a new password and role for an existing one (enabling it again). The caller commits."""
    if role not in ROLES:
        raise UserError(f"role must be coordinator or admin, not {role!r}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short: at least {MIN_PASSWORD} characters")
    email = normalise_email(email)
    row = session.get(WebUserRow, email) or WebUserRow(email=email, role=role, password_hash="", created_at=now)
    row.role, row.password_hash, row.disabled, row.disabled_at = role, _hasher.hash(password), False, None
    session.add(row)
    return row


def list_users(session: Session) -> list[WebUserRow]:
    return list(session.exec(select(WebUserRow).order_by(col(WebUserRow.email))).all())


def disable_user(session: Session, email: str, now: datetime) -> int:
    """Disable a user and end their sessions at once (the caller commits). Returns the sessions ended."""
    row = session.get(WebUserRow, normalise_email(email))
    if row is None:
        raise UserError(f"no user {email}")
    row.disabled, row.disabled_at = True, now
    session.add(row)
    ended = len(list(session.exec(select(WebSessionRow).where(WebSessionRow.email == row.email))))
    session.exec(delete(WebSessionRow).where(col(WebSessionRow.email) == row.email))
    return ended


# --- signing in ----------------------------------------------------------------------------------------------


def throttled(session: Session, email: str, address: str, now: datetime) -> bool:
    since = now - THROTTLE_WINDOW
    failed = select(func.count()).select_from(LoginAttemptRow).where(col(LoginAttemptRow.ok).is_(False),
                                                                     col(LoginAttemptRow.at) >= since)  # fmt: skip
    by_account = session.exec(failed.where(LoginAttemptRow.email == email)).one()
    by_address = session.exec(failed.where(LoginAttemptRow.address == address)).one()
    return by_account >= THROTTLE_ACCOUNT or by_address >= THROTTLE_ADDRESS


def authenticate(session: Session, email: str, password: str, address: str, now: datetime) -> User | str | None:
    """The user if the password is right; "throttled" when too many attempts failed lately; else None. Every
    attempt is recorded (committed). The same work is done for an unknown account as for a known one."""
    email = email.strip().lower()[:320]
    address = address[:64]
    if throttled(session, email, address, now):
        session.add(LoginAttemptRow(email=email, address=address, ok=False, at=now))
        session.commit()
        return "throttled"
    row = session.get(WebUserRow, email)
    try:
        _hasher.verify(row.password_hash if row else _DUMMY, password)
        ok = row is not None and not row.disabled
    except (VerificationError, InvalidHashError):
        ok = False
    session.add(LoginAttemptRow(email=email, address=address, ok=ok, at=now))
    session.exec(delete(LoginAttemptRow).where(col(LoginAttemptRow.at) < now - KEEP_ATTEMPTS))  # bounded table
    session.commit()
    return User(row.email, row.role) if ok and row is not None else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start_session(session: Session, user: User, old_token: str | None, now: datetime) -> str:
    """A new session for ``user`` (the old one, if any, is deleted); returns its token (committed)."""
    if old_token:
        session.exec(delete(WebSessionRow).where(col(WebSessionRow.id) == _digest(old_token)))
    token = secrets.token_urlsafe(32)
    session.add(WebSessionRow(id=_digest(token), email=user.email, csrf=secrets.token_urlsafe(32), created_at=now,
                              last_seen_at=now))  # fmt: skip
    session.commit()
    return token


def end_session(session: Session, token: str) -> None:
    session.exec(delete(WebSessionRow).where(col(WebSessionRow.id) == _digest(token)))
    session.commit()


@dataclass(frozen=True)
class Current:
    user: User
    csrf: str


def current(session: Session, token: str, idle: timedelta, now: datetime) -> Current | None:
    """The signed-in user of a session token, or None (unknown, idle too long, user gone or disabled: the session
    is deleted). A session's last-seen time moves at most once a minute (fewer writes)."""
    row = session.get(WebSessionRow, _digest(token))
    if row is None:
        return None
    user = session.get(WebUserRow, row.email)
    if user is None or user.disabled or now - aware(row.last_seen_at) > idle:
        session.delete(row)
        session.commit()
        return None
    if now - aware(row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return Current(User(user.email, user.role), row.csrf)


# --- who sees which patient ----------------------------------------------------------------------------------


def visible_patient(session: Session, user: User, patient_id: str) -> PatientRow | None:
    """The patient if this user may see them: an admin any, a coordinator those whose profile names them. Another
    coordinator's patient is None, exactly like one that does not exist."""
    row = session.get(PatientRow, patient_id[:64])
    if row is None:
        return None
    if user.admin or (row.coordinator or "").lower() == user.email:
        return row
    return None
