"""What every command shares: the App context, error handling, output helpers."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import wraps
from types import ModuleType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from matcher.config import Settings
from matcher.errors import ConfigError, MatcherError, PatientFileError, SourceError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from matcher.tables import TrialRow

# The database layer (SQLAlchemy) is imported by the commands that open the database, never here: `matcher --help`
# and `matcher --version` load this module and must stay quick.

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 110}

# The value sets of ClinicalTrials.gov API v2 (Status and Phase in its OpenAPI description): anything else is a typo.
OVERALL_STATUSES = (
    "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING", "RECRUITING",
    "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE",
    "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
)  # fmt: skip
PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")


class _UpperChoice(click.Choice):  # type: ignore[type-arg]
    """A choice of upper-case values, given in any case (`recruiting` is RECRUITING), shown in help as `label`."""

    def __init__(self, choices: tuple[str, ...], label: str) -> None:
        super().__init__(choices)
        self.label = label

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.label

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(value.upper() if isinstance(value, str) else value, param, ctx)


STATUS = _UpperChoice(OVERALL_STATUSES, "STATUS")
PHASE = _UpperChoice(PHASES, "PHASE")


class _Day(click.DateTime):
    """A day written YYYY-MM-DD, from 1900 to 2199: dates far from now are typos, and near year 9999 the date
    arithmetic of matching (a day plus a window) would overflow."""

    name = "date"
    first, last = datetime(1900, 1, 1), datetime(2199, 12, 31)

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        day = super().convert(value, param, ctx)
        if not self.first <= day <= self.last:
            self.fail(f"{value} is not between {self.first:%Y-%m-%d} and {self.last:%Y-%m-%d}", param, ctx)
        return day


DAY = _Day()
KM = click.FloatRange(0, min_open=True)
P = ParamSpec("P")
R = TypeVar("R")


class BadInput(click.ClickException):
    """A bad input file or value: exit status 2, like a usage error."""

    exit_code = 2


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, loaded when one of its attributes is first read (`importlib.util.LazyLoader`): a
    command module names the database layer at its top, and `matcher COMMAND --help` still does not load it."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:  # as an import binds it: `import matcher.db` then `matcher.db.session` finds it
        setattr(sys.modules[parent], child, module)
    return module


@dataclass
class App:
    """What every command needs, built once at the entry point and passed down."""

    settings: Settings
    verbosity: int = 0
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from matcher import db

            self._engine = db.open_database(self.settings.database_url, self.settings.sqlite_busy_timeout_s)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into click's exit statuses; only the CLI does this.

    Bad input is exit status 2. Any database or driver error (SQLAlchemy, sqlite3, psycopg) is exit status 1 with
    one line naming its cause (`db.describe_error`): never a traceback, an SQL statement or its parameters.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (PatientFileError, SourceError, ConfigError) as exc:
            raise BadInput(str(exc)) from exc
        except MatcherError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            from matcher import db

            raise click.ClickException(db.describe_error(exc, _busy_timeout())) from exc

    return wrapper


def _is_database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError  # only on the way out with an error

    if isinstance(exc, SQLAlchemyError | sqlite3.Error):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def _busy_timeout() -> float:
    context = click.get_current_context(silent=True)
    app = context.find_object(App) if context else None
    if app is not None:
        return app.settings.sqlite_busy_timeout_s
    from matcher import db

    return db.DEFAULT_BUSY_TIMEOUT_S


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each record to the `sys.stderr` of the moment (click's test runner replaces it for each command)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


class _HideSqlParameters(logging.Filter):
    """Hides the parameters of engines built elsewhere without `hide_parameters` (APScheduler's job store)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("sqlalchemy.engine") and record.msg == "[%s] %r" and isinstance(record.args, tuple):
            record.msg, record.args = "[%s] [SQL parameters hidden]", record.args[:1]
        return True


def configure_logging(verbosity: int) -> Callable[[], None]:
    """Logs go to stderr only, never stdout (where `--json` output goes). Returns what undoes it.

    0: warnings; 1 (`-v`): what matcher does; 2 (`-vv`): debug, and the SQL statements, whose parameters SQLAlchemy
    hides (`hide_parameters`) because patient data travels in them. Result rows are never logged.
    """
    root, engine_log = logging.getLogger(), logging.getLogger("sqlalchemy.engine")
    before = (root.level, engine_log.level)
    handler = _StderrHandler(sys.stderr)
    handler.addFilter(_HideSqlParameters())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(verbosity, 2)])
    engine_log.setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)  # INFO: statements; DEBUG: rows

    def undo() -> None:
        root.removeHandler(handler)
        root.setLevel(before[0])
        engine_log.setLevel(before[1])

    return undo


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def progress_echo(label: str, what: str = "studies read") -> Callable[[int], None]:
    def report(count: int) -> None:
        click.echo(f"{label}: {count} {what}", err=True)

    return report


pass_app = click.make_pass_decorator(App)


def stored_trial(session: Session, nct_id: str) -> TrialRow:
    """A stored trial, or bad input that says how to get it."""
    from matcher import store

    row = store.get_trial(session, nct_id)
    if row is None:
        raise BadInput(f"{nct_id} is not in the database (run `matcher fetch` first)")
    return row


# --- tables and paging ----------------------------------------------------------------------------------------

ELLIPSIS = "…"


def terminal_width() -> int | None:
    """The width to cut lines to: the terminal's when stdout is one (or when ``COLUMNS`` says), else None (a file
    or a pipe gets whole lines, as with git)."""
    if os.environ.get("COLUMNS", "").isdigit():
        return max(20, int(os.environ["COLUMNS"]))
    if sys.stdout.isatty():
        return max(20, shutil.get_terminal_size((100, 24)).columns)
    return None


def cut(text: str, width: int | None) -> str:
    """``text`` on one line, cut to ``width`` characters and marked with "…" when it was longer."""
    line = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if width is None or len(line) <= width:
        return line
    return line[: max(0, width - 1)] + ELLIPSIS


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], width: int | None = None) -> list[str]:
    """Lines of a table with a header row: columns as wide as their widest cell, cells separated by two spaces,
    each line cut to ``width`` with "…" (the last column gives way first)."""
    cells = [[("-" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        padded = [v.ljust(widths[i]) if i < len(values) - 1 else v for i, v in enumerate(values)]
        return cut("  ".join(padded).rstrip(), width)

    return [line([h.upper() for h in headers])] + [line(r) for r in cells]


class Output:
    """What a command prints on stdout, collected and then shown at once: through a pager (``$PAGER``, else
    ``less -FRX``) when stdout is a terminal and the text is longer than it, else printed (as git does)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.width = terminal_width()

    def echo(self, text: str = "") -> None:
        for line in text.split("\n"):
            self.lines.append(cut(line, self.width))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.lines += table(headers, rows, self.width)

    def show(self) -> None:
        text = "\n".join(self.lines)
        if sys.stdout.isatty() and len(self.lines) > shutil.get_terminal_size((100, 24)).lines - 1:
            os.environ.setdefault("LESS", "FRX")
            click.echo_via_pager(text + "\n")
        elif self.lines:
            click.echo(text)
