"""Nightly monitor commands: nightly, schedule, review, coordinators."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from matcher import db, monitor_store
from matcher.cli_common import App, BadInput, emit_json, handle_errors, pass_app
from matcher.tables import MatchRow

if TYPE_CHECKING:
    from matcher.jobs import NightlyResult


def _nightly_once(app: App, source: str | None, dry_run: Path | None) -> NightlyResult:
    # Imported here: the nightly job's dependencies (HTTP, mail, templates) are not needed by other commands.
    from matcher.jobs import run_nightly
    from matcher.notify import DirectorySender, Sender, SmtpSender
    from matcher.sources import open_source

    sender: Sender = DirectorySender(dry_run) if dry_run else SmtpSender(app.settings)
    return run_nightly(app.engine, app.settings, open_source(source, app.settings), sender, app.now)


def _summary(result: NightlyResult) -> str:
    fetched = result.fetched
    lines = [
        f"nightly run {result.run_id}: {result.outcome}",
        f"  fetch: {fetched.get('new', 0)} new, {fetched.get('changed', 0)} changed, "
        f"{fetched.get('unchanged', 0)} unchanged, {fetched.get('failed', 0)} failed",
        f"  parsed {result.parsed} trial(s); evaluated {result.evaluated} pair(s); {result.events} event(s)",
        f"  digests: {result.digests} built, {result.sent} sent, {result.pending} pending",
    ]
    lines += [f"  error: {e}" for e in result.errors]
    return "\n".join(lines)


@click.command()
@click.option("--source", metavar="URL|DIR|ZIP", help="Where to fetch from (default: the configured API).")
@click.option("--dry-run", type=click.Path(file_okay=False, path_type=Path), help="Write digests as .eml files here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@pass_app
@handle_errors
def nightly(app: App, source: str | None, dry_run: Path | None, as_json: bool) -> None:
    """Run the nightly job once: fetch, parse, re-match what changed, mail digests (for cron or a timer).

    Example:

        matcher nightly --dry-run /tmp/digests
    """
    result = _nightly_once(app, source, dry_run)
    if as_json:
        emit_json(result.__dict__)
    else:
        click.echo(_summary(result))
    if result.outcome != "succeeded":
        raise click.exceptions.Exit(1)


@click.command()
@click.option("--source", metavar="URL|DIR|ZIP", help="Where to fetch from (default: the configured API).")
@click.option("--dry-run", type=click.Path(file_okay=False, path_type=Path), help="Write digests as .eml files here.")
@pass_app
@handle_errors
def schedule(app: App, source: str | None, dry_run: Path | None) -> None:
    """Run the nightly job on MATCHER_SCHEDULE_CRON (in MATCHER_SCHEDULE_TIMEZONE) until stopped.

    Example:

        MATCHER_SCHEDULE_CRON="30 2 * * *" MATCHER_SCHEDULE_TIMEZONE=Europe/Paris matcher schedule
    """
    from matcher.scheduler import build_scheduler, run_forever

    logging.getLogger("apscheduler").setLevel(logging.INFO)
    logging.getLogger("matcher").setLevel(logging.INFO)
    app.engine  # noqa: B018  (migrate before the job store creates its table)

    def body() -> None:
        click.echo(_summary(_nightly_once(app, source, dry_run)), err=True)

    click.echo(f"scheduling the nightly run at '{app.settings.schedule_cron}' ({app.settings.schedule_timezone})",
               err=True)  # fmt: skip
    run_forever(build_scheduler(app.settings, body))


@click.group()
def review() -> None:
    """Coordinators' review of matches: list them, set their status (kept as an audit trail)."""


@review.command("list")
@click.option("--coordinator", help="Only patients of this coordinator (email).")
@click.option("--status", type=click.Choice(monitor_store.REVIEW_STATUSES), help="Only matches in this review status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def review_list(app: App, coordinator: str | None, status: str | None, as_json: bool) -> None:
    """Eligible and possible matches of stored patients, with their review status.

    Example:

        matcher review list --coordinator thyroid-trials@hospital.example --status new
    """
    with db.session(app.engine) as session:
        rows = monitor_store.review_list(session, coordinator, status)
    if as_json:
        emit_json([{"patient_id": m.patient_id, "nct_id": m.nct_id, "verdict": m.verdict, "score": m.score,
                    "overall_status": m.overall_status, "review_status": s} for m, s in rows])  # fmt: skip
        return
    for m, s in rows:
        click.echo(f"{m.patient_id:<22} {m.nct_id}  {m.verdict:<9} {m.score:.2f}  {m.overall_status:<20} {s}")
    click.echo(f"{len(rows)} match(es)", err=True)


@review.command("set")
@click.argument("patient_id")
@click.argument("nct_id")
@click.argument("status", type=click.Choice(monitor_store.REVIEW_STATUSES))
@click.option("--note", help="Free-text note kept with the change.")
@click.option("--by", "who", envvar="USER", default="unknown", show_default="$USER", help="Who makes the change.")
@pass_app
@handle_errors
def review_set(app: App, patient_id: str, nct_id: str, status: str, note: str | None, who: str) -> None:
    """Set the review status of one match; every change is kept with when, who and the note.

    Example:

        matcher review set ex-rair-ptc-braf NCT03690388 contacted --note "called 26 Nov"
    """
    nct_id = nct_id.upper()
    with db.session(app.engine) as session:
        match = session.get(MatchRow, (patient_id, nct_id))
        if match is None:
            raise BadInput(f"no stored match for {patient_id} and {nct_id} (run `matcher nightly` first)")
        monitor_store.set_review(session, patient_id, nct_id, status, note, who, match.verdict, app.now())
        history = monitor_store.review_history(session, patient_id, nct_id)
    for event in history:
        click.echo(f"{event.at:%Y-%m-%d %H:%M} {event.who}: {event.previous_status or '-'} -> {event.status}"
                   + (f"  ({event.note})" if event.note else ""))  # fmt: skip


@click.group()
def coordinators() -> None:
    """Coordinators who receive digests."""


@coordinators.command("mute")
@click.argument("email")
@pass_app
@handle_errors
def coordinators_mute(app: App, email: str) -> None:
    """Stop mailing this coordinator (their news is kept and sent after `unmute`).

    Example:

        matcher coordinators mute thyroid-trials@hospital.example
    """
    with db.session(app.engine) as session:
        monitor_store.set_muted(session, email, True, app.now())
    click.echo(f"{email}: muted")


@coordinators.command("unmute")
@click.argument("email")
@pass_app
@handle_errors
def coordinators_unmute(app: App, email: str) -> None:
    """Mail this coordinator again.

    Example:

        matcher coordinators unmute thyroid-trials@hospital.example
    """
    with db.session(app.engine) as session:
        monitor_store.set_muted(session, email, False, app.now())
    click.echo(f"{email}: unmuted")
