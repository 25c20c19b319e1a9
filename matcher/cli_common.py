"""What every command shares: the App context, error handling, output helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click
from sqlalchemy import Engine
from sqlmodel import Session

from matcher import db, store
from matcher.config import Settings
from matcher.errors import ConfigError, MatcherError, PatientFileError, SourceError
from matcher.tables import TrialRow

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
P = ParamSpec("P")
R = TypeVar("R")


class BadInput(click.ClickException):
    """A bad input file or value: exit status 2, like a usage error."""

    exit_code = 2


@dataclass
class App:
    """What every command needs, built once at the entry point and passed down."""

    settings: Settings
    verbose: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = db.open_database(self.settings.database_url, echo=self.verbose)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into click's exit statuses; only the CLI does this."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (PatientFileError, SourceError, ConfigError) as exc:
            raise BadInput(str(exc)) from exc
        except MatcherError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def progress_echo(label: str, what: str = "studies read") -> Callable[[int], None]:
    def report(count: int) -> None:
        click.echo(f"{label}: {count} {what}", err=True)

    return report


pass_app = click.make_pass_decorator(App)


def stored_trial(session: Session, nct_id: str) -> TrialRow:
    """A stored trial, or bad input that says how to get it."""
    row = store.get_trial(session, nct_id)
    if row is None:
        raise BadInput(f"{nct_id} is not in the database (run `matcher fetch` first)")
    return row
