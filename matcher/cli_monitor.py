"""Nightly monitor commands: nightly, schedule, review, coordinators, and setting trials aside (quarantine).

`matcher nightly` exits 0 when everything went, 1 when something failed (the fetch, a digest not delivered),
and EXIT_SET_ASIDE (3) when the run completed but set something aside (a patient, a trial, a digest given up).
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from matcher.addresses import address_problem
from matcher.cli_common import App, BadInput, Output, emit_json, handle_errors, lazy_module, pass_app
from matcher.config import NEWS_KINDS, REVIEW_STATUSES

if TYPE_CHECKING:
    from matcher import db, monitor_store, store
    from matcher.jobs import NightlyResult
    from matcher.rematch import RematchProgress
else:  # loaded when a command runs: `matcher nightly --help` loads no database layer
    db, monitor_store, store = (lazy_module(f"matcher.{name}") for name in ("db", "monitor_store", "store"))

EXIT_SET_ASIDE = 3  # the run completed with something set aside (docs/deploy.md: what cron should alert on)
NCT_ID = re.compile(r"NCT\d{8}")


def _nightly_once(app: App, source: str | None, dry_run: Path | None, workers: int = 1,
                  dask: str | None = None) -> NightlyResult:  # fmt: skip
    # Imported here: the nightly job's dependencies (HTTP, mail, templates) are not needed by other commands.
    from matcher.jobs import run_nightly
    from matcher.notify import DirectorySender, Sender, SmtpSender
    from matcher.sources import open_source

    sender: Sender = DirectorySender(dry_run) if dry_run else SmtpSender(app.settings)
    return run_nightly(app.engine, app.settings, open_source(source, app.settings), sender, app.now,
                       workers=workers, dask=dask, progress=_show_progress)  # fmt: skip


def _show_progress(status: RematchProgress) -> None:
    """The re-match's progress on stderr: counts and the time left on a terminal, redrawn in place; elsewhere (cron,
    a log file) only the summary line at the end."""
    terminal = sys.stderr.isatty()
    if status.finished:
        took, start = time.monotonic() - status.started, "\r" if terminal else ""
        click.echo(f"{start}re-matched {status.patients} patient(s): {status.pairs} pair(s) evaluated, "
                   f"{status.events} piece(s) of news, {took:.0f} s", err=True)  # fmt: skip
    elif terminal:
        eta = status.eta_s()
        left = f", about {eta:.0f} s left" if eta is not None else ""
        click.echo(f"\rre-matching: {status.done}/{status.patients} patient(s), {status.pairs} pair(s){left}  ",
                   nl=False, err=True)  # fmt: skip


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
    if result.set_aside:
        lines.append(f"  completed with {len(result.set_aside)} set aside:")
        lines += [f"    {s['kind']} {s['id']}: {s['error']}" for s in result.set_aside]
    return "\n".join(lines)


@click.command()
@click.option("--source", metavar="URL|DIR|ZIP", help="Where to fetch from (default: the configured API).")
@click.option("--dry-run", type=click.Path(file_okay=False, path_type=Path), help="Write digests as .eml files here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes for the re-match (default: the cores this process may use).")  # fmt: skip
@click.option("--dask", metavar="ADDRESS", help="Re-match on the Dask cluster whose scheduler is at ADDRESS.")
@pass_app
@handle_errors
def nightly(app: App, source: str | None, dry_run: Path | None, as_json: bool, workers: int | None,
            dask: str | None) -> None:  # fmt: skip
    """Run the nightly job once: fetch, parse, re-match what changed, mail digests (for cron or a timer).

    Exit status: 0 all done; 1 something failed (fetch, delivery); 3 done, but a patient, a trial or a digest
    was set aside (named in the summary and in `matcher runs`).

    The re-match runs in --workers processes; with --dask, on a Dask cluster, with twice --workers partitions of
    patients in flight (docs/deploy.md). Progress goes to stderr: counts and the time left on a terminal, one
    summary line otherwise.

    Example:

        matcher nightly --dry-run /tmp/digests

        matcher nightly --dask tcp://10.0.0.5:8786 --workers 16
    """
    from matcher.parallel import default_workers

    result = _nightly_once(app, source, dry_run, workers or default_workers(), dask)
    if as_json:
        emit_json(result.__dict__)
    else:
        click.echo(_summary(result))
    if result.outcome == "partial":
        raise click.exceptions.Exit(EXIT_SET_ASIDE)
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
@click.option("--status", type=click.Choice(REVIEW_STATUSES), help="Only matches in this review status.")
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
    out = Output()
    if rows:
        out.table(["patient", "trial", "verdict", "score", "status", "review"],
                  [[m.patient_id, m.nct_id, m.verdict, f"{m.score:.2f}", m.overall_status, s]
                   for m, s in rows])  # fmt: skip
    out.show()
    click.echo(f"{len(rows)} match(es)", err=True)


@review.command("set")
@click.argument("patient_id")
@click.argument("nct_id")
@click.argument("status", type=click.Choice(REVIEW_STATUSES))
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
    from matcher.tables import MatchRow

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
    _check_email(email)
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
    _check_email(email)
    with db.session(app.engine) as session:
        monitor_store.set_muted(session, email, False, app.now())
    click.echo(f"{email}: unmuted")


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@coordinators.command("set")
@click.argument("email")
@click.option("--kinds", metavar="KIND[,KIND...]",
              help=f"News kinds to receive: {', '.join(NEWS_KINDS)}, or 'all'.")  # fmt: skip
@click.option("--daily", "delivery", flag_value="daily", help="A digest every night with news (the default).")
@click.option("--weekly", "delivery", flag_value="weekly", help="One digest a week with the week's news.")
@click.option("--weekday", type=click.Choice(WEEKDAYS, case_sensitive=False), help="The weekly digest's day.")
@click.option("--near-km", type=click.FloatRange(0, min_open=True), metavar="KM",
              help="Only 'site opened nearby' news for sites within KM of the patient.")  # fmt: skip
@click.option("--any-distance", is_flag=True, help="Remove the --near-km limit.")
@click.option("--not-enrolling-news/--no-not-enrolling-news", default=None,
              help="Also news about trials that are not enrolling (default: left out).")  # fmt: skip
@pass_app
@handle_errors
def coordinators_set(app: App, email: str, kinds: str | None, delivery: str | None, weekday: str | None,
                     near_km: float | None, any_distance: bool, not_enrolling_news: bool | None) -> None:  # fmt: skip
    """Set a coordinator's digest preferences (options not given keep their value).

    Example:

        matcher coordinators set thyroid-trials@hospital.example --weekly --weekday friday --near-km 200
    """
    _check_email(email)
    changes: dict[str, Any] = {}
    if kinds is not None:
        wanted = [k.strip() for k in kinds.split(",") if k.strip()]
        bad = [k for k in wanted if k not in NEWS_KINDS and k != "all"]
        if bad or not wanted:
            raise BadInput(f"--kinds: unknown kind(s) {', '.join(bad) or '(none given)'}; "
                           f"use {', '.join(NEWS_KINDS)} or all")  # fmt: skip
        changes["news_kinds"] = None if "all" in wanted else wanted
    if delivery is not None:
        changes["delivery"] = delivery
    if weekday is not None:
        changes["digest_weekday"] = WEEKDAYS.index(weekday.lower())
    if near_km is not None and any_distance:
        raise click.UsageError("--near-km and --any-distance exclude each other")
    if near_km is not None or any_distance:
        changes["near_km"] = near_km
    if not_enrolling_news is not None:
        changes["not_enrolling_news"] = not_enrolling_news
    if not changes:
        raise click.UsageError("give at least one preference to set (see --help)")
    with db.session(app.engine) as session:
        row = monitor_store.set_preferences(session, email, app.now(), **changes)
    click.echo(_preferences_line(row))


def _preferences_line(row: Any) -> str:
    kinds = ", ".join(row.news_kinds) if row.news_kinds else "all kinds"
    when = f"weekly on {WEEKDAYS[row.digest_weekday].capitalize()}" if row.delivery == "weekly" else "daily"
    near = f"sites opened within {row.near_km:g} km" if row.near_km is not None else "sites opened at any distance"
    closed = "with" if row.not_enrolling_news else "without"
    return (f"{row.email}: {kinds}; {when}; {near}; {closed} news of trials not enrolling"
            + ("; MUTED" if row.muted else ""))  # fmt: skip


@coordinators.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def coordinators_list(app: App, as_json: bool) -> None:
    """Coordinators with stored preferences (the others get the defaults: daily, every kind, any distance).

    Example:

        matcher coordinators list
    """
    with db.session(app.engine) as session:
        rows = sorted(monitor_store.preferences(session).values(), key=lambda r: r.email)
    if as_json:
        emit_json([row.model_dump() for row in rows])
        return
    out = Output()
    out.table(
        ["email", "delivery", "news kinds", "near km", "not enrolling", "muted"],
        [[r.email, "weekly " + WEEKDAYS[r.digest_weekday] if r.delivery == "weekly" else "daily",
          ", ".join(r.news_kinds) if r.news_kinds else "all", r.near_km, "yes" if r.not_enrolling_news else "no",
          "yes" if r.muted else "no"] for r in rows],
    )  # fmt: skip
    out.show()


def _check_email(email: str) -> None:
    problem = address_problem(email)
    if problem is not None:
        raise BadInput(f"{email!r} is not one email address: {problem}")


# --- trials set aside (quarantine) ---------------------------------------------------------------------------


def trials_group(listing: click.Command) -> click.Group:
    """`matcher trials` as a group: without a subcommand it lists (``listing``, then the quarantined trials among
    those listed); `quarantine`, `release` and `quarantined` act on trials set aside."""

    def callback(**params: Any) -> None:
        ctx = click.get_current_context()
        if ctx.invoked_subcommand is None:
            ctx.invoke(listing, **params)
            if not params.get("as_json"):
                _echo_quarantined(ctx.find_object(App), params)

    group = click.Group(
        name=listing.name,
        callback=callback,
        params=list(listing.params),
        help=listing.help,
        short_help=listing.short_help,
        invoke_without_command=True,
    )
    for command in (trials_quarantine, trials_release, trials_quarantined):
        group.add_command(command)
    return group


def _echo_quarantined(app: App | None, params: dict[str, Any]) -> None:
    if app is None:
        return
    with db.session(app.engine) as session:
        listed = {t.nct_id for t in store.list_trials(session, params.get("statuses", ()), params.get("phases", ()))}
        held = [row for nct_id, row in monitor_store.quarantined(session).items() if nct_id in listed]
    for row in held:  # notices under the table, one line each (not a table of their own)
        click.echo(f"{row.nct_id}  QUARANTINED ({row.source}, since {row.since:%Y-%m-%d}): {row.reason}")


def _nct_ids(values: tuple[str, ...]) -> list[str]:
    ids = [v.strip().upper() for v in values]
    bad = [v for v in ids if not NCT_ID.fullmatch(v)]
    if bad:
        raise BadInput(f"not an NCT id (NCT and 8 digits): {', '.join(repr(v) for v in bad)}")
    return ids


@click.command("quarantine")
@click.argument("nct_ids", nargs=-1, required=True, metavar="NCT_ID...")
@click.option("--reason", required=True, help="Why (kept with the quarantine, shown by `matcher trials`).")
@click.option("--by", "who", envvar="USER", default="unknown", show_default="$USER", help="Who sets it aside.")
@pass_app
@handle_errors
def trials_quarantine(app: App, nct_ids: tuple[str, ...], reason: str, who: str) -> None:
    """Set trials aside by hand: not parsed, not matched, not in digests, until `matcher trials release`.

    Example:

        matcher trials quarantine NCT03690388 --reason "ticket 42"
    """
    ids = _nct_ids(nct_ids)
    if not reason.strip():
        raise BadInput("--reason must say why")
    with db.session(app.engine) as session:
        missing = [n for n in ids if store.get_trial(session, n) is None]
        if missing:
            raise BadInput(f"not in the database (run `matcher fetch` first): {', '.join(missing)}")
        for nct_id in ids:
            monitor_store.quarantine(session, nct_id, "manual", reason.strip(), app.now(), by=who)
        session.commit()
    for nct_id in ids:
        click.echo(f"{nct_id}: quarantined ({reason.strip()})")


@click.command("release")
@click.argument("nct_ids", nargs=-1, required=True, metavar="NCT_ID...")
@pass_app
@handle_errors
def trials_release(app: App, nct_ids: tuple[str, ...]) -> None:
    """Take trials out of quarantine: the next `matcher nightly` (or `fetch`) parses and matches them again.

    Example:

        matcher trials release NCT03690388
    """
    ids = _nct_ids(nct_ids)
    with db.session(app.engine) as session:
        held = monitor_store.quarantined(session)
        missing = [n for n in ids if n not in held]
        if missing:
            raise BadInput(f"not quarantined: {', '.join(missing)}")
        for nct_id in ids:
            monitor_store.release(session, nct_id)
        session.commit()
    for nct_id in ids:
        click.echo(f"{nct_id}: released (was set aside since {held[nct_id].since:%Y-%m-%d}: {held[nct_id].reason})")


@click.command("quarantined")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def trials_quarantined(app: App, as_json: bool) -> None:
    """List the trials set aside, by hand or automatically, with why and since when.

    Example:

        matcher trials quarantined
    """
    with db.session(app.engine) as session:
        rows = list(monitor_store.quarantined(session).values())
    if as_json:
        emit_json([row.model_dump() for row in rows])
        return
    out = Output()
    if rows:
        out.table(["trial", "source", "since", "reason"],
                  [[row.nct_id, row.source, f"{row.since:%Y-%m-%d %H:%M}", row.reason] for row in rows])  # fmt: skip
    out.show()
    click.echo(f"{len(rows)} trial(s) quarantined", err=True)
