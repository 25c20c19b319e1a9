"""Every exception `matcher` raises on purpose.

    MatcherError
    ├── ConfigError              bad MATCHER_* setting or config file
    ├── DatabaseError            schema or database problem
    │   └── LockHeld             another fetch/nightly run holds the lock
    ├── CtGovError               anything from ClinicalTrials.gov
    │   ├── CtGovHTTPError       a non-2xx answer (status, url, body)
    │   │   └── PageTokenExpired a stale nextPageToken (400 on pageToken)
    │   ├── CtGovTimeout         no answer within the timeout
    │   ├── CtGovConnectionError the connection failed (after retries)
    │   └── CtGovDataError       the answer is not the JSON we expect
    ├── SourceError              an offline source (directory, zip) is unreadable
    ├── RuleFileError            a knowledge/rule file is invalid (path, entry)
    ├── PatientFileError         a patient profile is invalid (all problems at once)
    └── NotifyError              building or delivering a digest failed

Third-party exceptions are translated at the boundary and chained (`raise ... from exc`).
Only the command line (`cli_common.handle_errors`) turns these into exit statuses: ConfigError, SourceError and
PatientFileError are bad input (2), the others errors (1). Database and driver errors (SQLAlchemy, sqlite3, psycopg)
that reach it become one line naming the cause (`db.describe_error`, exit 1), never an SQL statement or its
parameters; the engine is built with `hide_parameters` so that no message carries them either.
"""

from __future__ import annotations

from dataclasses import dataclass


class MatcherError(Exception):
    """Base class of every error `matcher` raises on purpose."""


class ConfigError(MatcherError, ValueError):
    pass


class DatabaseError(MatcherError):
    pass


class LockHeld(DatabaseError):
    def __init__(self, name: str, holder: str, since: str) -> None:
        super().__init__(f"another {name} run holds the lock (holder {holder}, since {since})")
        self.name = name
        self.holder = holder


class CtGovError(MatcherError):
    pass


class CtGovHTTPError(CtGovError):
    def __init__(self, status: int, url: str, body: str) -> None:
        snippet = body.strip()[:500]
        super().__init__(f"ClinicalTrials.gov answered {status} for {url}: {snippet}")
        self.status = status
        self.url = url
        self.body = body


class PageTokenExpired(CtGovHTTPError):
    pass


class CtGovTimeout(CtGovError):
    pass


class CtGovConnectionError(CtGovError):
    pass


class CtGovDataError(CtGovError, ValueError):
    pass


class SourceError(MatcherError):
    pass


class RuleFileError(MatcherError, ValueError):
    def __init__(self, path: str, entry: str, problem: str) -> None:
        super().__init__(f"{path}: {entry}: {problem}")
        self.path = path
        self.entry = entry


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where, what was expected, what was found."""

    path: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected}, found {self.found}"


class PatientFileError(MatcherError, ValueError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: invalid patient profile ({len(problems)} problem(s)):\n{lines}")
        self.source = source
        self.problems = problems


class NotifyError(MatcherError):
    pass
