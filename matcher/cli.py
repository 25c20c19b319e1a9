"""The `matcher` command line: parse arguments, call a function, render. No business logic here.

The root group lists the commands in one table (`COMMANDS`) and imports a command's module only when that command
runs or shows its help, so `matcher --help` and `matcher --version` load neither the database layer nor the parser.
Trial and database commands are in `cli_trials`; patient and matching commands in `cli_match`; the nightly monitor
in `cli_monitor`; the review desk in `cli_web`; shared pieces in `cli_common`.

Exit status: 0 ok, 1 error, 2 bad usage or bad input (click's convention).
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from typing import Any, NamedTuple

import click

from matcher import __version__
from matcher.cli_common import CONTEXT_SETTINGS, App, BadInput, configure_logging
from matcher.config import Settings
from matcher.errors import ConfigError


class LazyCommand(NamedTuple):
    """Where a command is defined, and its one-line summary for `matcher --help` (tests keep the two equal)."""

    module: str
    attribute: str
    summary: str


COMMANDS = {
    "audit": LazyCommand("matcher.cli_web", "audit",
                         "Who looked at which patient's data in the review desk, when, and on which page."),
    "coordinators": LazyCommand("matcher.cli_monitor", "coordinators", "Coordinators who receive digests."),
    "db": LazyCommand("matcher.cli_trials", "db_group", "Database maintenance."),
    "explain": LazyCommand("matcher.cli_match", "explain",
                           "Every criterion of one trial for one patient, with outcome, reason and evidence; with "
                           "--all, of every trial, followed by the patient's collect-next list."),
    "fetch": LazyCommand("matcher.cli_trials", "fetch",
                         "Fetch RAIR-DTC trials into the database (incremental after the first run)."),
    "match": LazyCommand("matcher.cli_match", "match", "Match one patient profile against every stored trial."),
    "nightly": LazyCommand("matcher.cli_monitor", "nightly",
                           "Run the nightly job once: fetch, parse, re-match what changed, mail digests (for cron or "
                           "a timer)."),
    "overrides": LazyCommand("matcher.cli_web", "overrides",
                             'Reviewers\' corrections of criterion readings ("this reading is wrong"), applied '
                             "everywhere."),
    "parse": LazyCommand("matcher.cli_match", "parse",
                         "Show a trial's criteria as the parser reads them: section, facts, the rule that fired."),
    "patients": LazyCommand("matcher.cli_match", "patients",
                            "Stored patient profiles, matched every night by `matcher nightly`."),
    "review": LazyCommand("matcher.cli_monitor", "review",
                          "Coordinators' review of matches: list them, set their status (kept as an audit trail)."),
    "runs": LazyCommand("matcher.cli_trials", "runs",
                        "List past nightly and fetch runs with their counts and outcome."),
    "schedule": LazyCommand("matcher.cli_monitor", "schedule",
                            "Run the nightly job on MATCHER_SCHEDULE_CRON (in MATCHER_SCHEDULE_TIMEZONE) until "
                            "stopped."),
    "schema": LazyCommand("matcher.cli_match", "schema", "Print a published JSON Schema."),
    "serve": LazyCommand("matcher.cli_web", "serve",
                         "Serve the review desk (the coordinators' web pages) with uvicorn."),
    "trial": LazyCommand("matcher.cli_trials", "trial", "Show one stored trial."),
    "trials": LazyCommand("matcher.cli_trials", "trials", "List stored trials."),
    "users": LazyCommand("matcher.cli_web", "users",
                         "People who sign in to the review desk: coordinators (their own patients) and admins "
                         "(everyone's)."),
}  # fmt: skip


class LazyGroup(click.Group):
    """A group whose commands come from `COMMANDS`, each imported when it is first asked for (click's "lazily
    loading subcommands" pattern). Its help lists the table's summaries, so listing imports nothing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry.module)
        command: click.Command = getattr(module, entry.attribute)
        bind = getattr(module, "bind_runtime", None)
        if bind is not None:
            _before_running(command, bind)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):  # whole summaries, wrapped (click would cut each to one line)
            formatter.write_dl([(name, COMMANDS[name].summary) for name in self.list_commands(ctx)])


def _before_running(command: click.Command, bind: Callable[[], None]) -> None:
    """Make ``command`` (a group: each of its subcommands) call ``bind`` first when it runs, once: its module binds
    then what only running needs, so its --help, which click prints before the command's callback, loads none of
    it. A group's own callback runs before its subcommand's --help is read: it is left as it is."""
    if getattr(command, "_binds_runtime", False):
        return
    if command.callback is not None and not isinstance(command, click.Group):
        callback = command.callback

        @functools.wraps(callback)
        def bound(*args: Any, **kwargs: Any) -> Any:
            bind()
            return callback(*args, **kwargs)

        command.callback = bound
    command._binds_runtime = True  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        _before_running(sub, bind)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="matcher")
@click.option(
    "-v",
    "--verbose",
    "verbosity",
    count=True,
    help="Log what happens on stderr; -vv adds debug and SQL statements (never their parameters).",
)
@click.option("--database", "database_url", metavar="URL", help="Database URL (default: MATCHER_DATABASE_URL).")
@click.pass_context
def cli(ctx: click.Context, verbosity: int, database_url: str | None) -> None:
    """Match thyroid-cancer patients to ClinicalTrials.gov trials, criterion by criterion.

    Example:

        matcher fetch --source ../shared/ctgov/studies && matcher trials
    """
    ctx.call_on_close(configure_logging(verbosity))
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        raise BadInput(str(exc)) from exc
    if database_url:
        settings = settings._with({"database_url": database_url}, source="--database")
    ctx.obj = App(settings, verbosity)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    cli()


__all__ = ["COMMANDS", "cli", "main"]
