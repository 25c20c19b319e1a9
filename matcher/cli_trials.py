"""Trial and database commands: fetch, trials, trial, runs, db."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from matcher import db, monitor_store, parsing, store
from matcher.cli_common import (
    DAY,
    PHASE,
    STATUS,
    App,
    Output,
    emit_json,
    handle_errors,
    pass_app,
    progress_echo,
    stored_trial,
)
from matcher.cli_monitor import trials_group
from matcher.models import trial_url
from matcher.tables import TrialRow


@click.command()
@click.option(
    "--source",
    metavar="URL|DIR|ZIP",
    help="API base URL (default: MATCHER_CTGOV_URL), a directory of API v2 study JSON files, or a zip of them.",
)
@click.option("--full", is_flag=True, help="Ask for every matching study, not only those updated since the last run.")
@click.option("--since", type=DAY, help="Ask only for studies updated on or after DATE.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary (with what was parsed) as JSON.")
@click.option(
    "--workers", type=click.IntRange(min=1), metavar="N", help="Processes that read and parse (default: the cores)."
)
@pass_app
@handle_errors
def fetch(app: App, source: str | None, full: bool, since: datetime | None, as_json: bool, workers: int | None) -> None:
    """Fetch RAIR-DTC trials into the database (incremental after the first run).

    Example:

        matcher fetch --source ../shared/ctgov/studies
    """
    if full and since:
        raise click.UsageError("--full and --since exclude each other")
    from matcher import ingest  # HTTP and sources are only needed here
    from matcher.parallel import default_workers
    from matcher.sources import open_source

    study_source = open_source(source, app.settings)
    click.echo(f"fetching from {study_source.name}", err=True)
    summary = ingest.fetch(
        app.engine,
        study_source,
        app.now,
        full=full,
        since=since.date() if since else None,
        overlap_days=app.settings.overlap_days,
        progress=progress_echo("fetch"),
        workers=workers or default_workers(),
    )
    if not as_json:
        click.echo(
            f"run {summary.run_id} ({summary.mode}{', since ' + str(summary.since) if summary.since else ''}): "
            f"{len(summary.new)} new, {len(summary.changed)} changed, {summary.unchanged} unchanged, "
            f"{len(summary.failures)} failed"
        )
    for failure in summary.failures:
        click.echo(f"  failed: {failure}", err=True)
    parsed = parsing.parse_all_stale(app.engine, app.now, progress_echo("parse", "trials parsed"), workers=workers)
    click.echo(f"parsed the criteria of {len(parsed.parsed)} new or changed trial(s)", err=True)
    if as_json:
        emit_json({**summary.as_dict(), "parsed": len(parsed.parsed), "set_aside": len(parsed.set_aside)})


@click.command("trials")
@click.option("--status", "statuses", multiple=True, type=STATUS, help="Only this overall status (repeatable).")
@click.option("--phase", "phases", multiple=True, type=PHASE, help="Only this phase, e.g. PHASE2 (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def list_trials(app: App, statuses: tuple[str, ...], phases: tuple[str, ...], as_json: bool) -> None:
    """List stored trials.

    Example:

        matcher trials --status RECRUITING --phase PHASE2
    """
    with db.session(app.engine) as session:
        rows = store.list_trials(session, statuses, phases)
    if as_json:
        emit_json([trial_summary(row) for row in rows])
        return
    out = Output()
    if rows:
        out.table(["trial", "status", "phase", "title"],
                  [[row.nct_id, row.overall_status, "/".join(p.removeprefix("PHASE") for p in row.phases) or "-",
                    row.brief_title] for row in rows])  # fmt: skip
    out.show()
    click.echo(f"{len(rows)} trial(s)", err=True)


def trial_summary(row: TrialRow) -> dict[str, Any]:
    return {
        "nct_id": row.nct_id,
        "title": row.brief_title,
        "overall_status": row.overall_status,
        "phases": row.phases,
        "conditions": row.conditions,
        "last_update_posted": row.last_update_posted.isoformat() if row.last_update_posted else None,
    }


@click.command()
@click.argument("nct_id")
@click.option("--json", "as_json", is_flag=True, help="Print the stored study JSON.")
@pass_app
@handle_errors
def trial(app: App, nct_id: str, as_json: bool) -> None:
    """Show one stored trial.

    Example:

        matcher trial NCT03690388
    """
    with db.session(app.engine) as session:
        row = stored_trial(session, nct_id)
        sites = store.trial_sites(session, row.nct_id)
        contacts = store.trial_contacts(session, row.nct_id)
    if as_json:
        emit_json(row.raw)
        return
    out = Output()
    out.echo(f"{row.nct_id}: {row.brief_title}")
    if row.official_title:
        out.echo(f"  {row.official_title}")
    out.echo(f"status: {row.overall_status}   phases: {', '.join(row.phases) or '-'}")
    out.echo(f"conditions: {'; '.join(row.conditions)}")
    out.echo(f"interventions: {'; '.join(row.interventions)}")
    out.echo(f"ages: {row.minimum_age or 'any'} to {row.maximum_age or 'any'}   sex: {row.sex or 'ALL'}")
    out.echo(f"last update posted: {row.last_update_posted or '-'}")
    out.echo(trial_url(row.nct_id))
    out.echo(f"\ncontacts: {len(contacts) or 'none given'}")
    if contacts:
        out.table(["role", "name", "phone", "email", "affiliation"],
                  [[c.role, c.name, c.phone, c.email, c.affiliation] for c in contacts])  # fmt: skip
    unplaced = sum(1 for s in sites if s.lat is None or s.lon is None)
    out.echo(f"\nsites: {len(sites)}" + (f" ({unplaced} could not be placed on the map)" if unplaced else ""))
    if sites:  # every site: a long list goes through the pager on a terminal
        out.table(
            ["facility", "place", "status", "coordinates", "site contacts"],
            [[s.facility or "?", ", ".join(p for p in (s.city, s.state, s.country) if p), s.status,
              f"{s.lat:.2f},{s.lon:.2f} ({s.geo_source or '?'})" if s.lat is not None and s.lon is not None
              else "not placed", "; ".join(c.one_line() for c in s.contacts)] for s in sites],
        )  # fmt: skip
    out.echo("\n" + row.eligibility_text)
    out.show()


@click.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="How many runs to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def runs(app: App, limit: int, as_json: bool) -> None:
    """List past nightly and fetch runs with their counts and outcome.

    Example:

        matcher runs --limit 5
    """
    with db.session(app.engine) as session:
        rows = store.list_runs(session, limit)
        nightly = monitor_store.list_nightly(session, limit)
    if as_json:
        emit_json({"fetch": [row.model_dump() for row in rows], "nightly": [row.model_dump() for row in nightly]})
        return
    out = Output()
    if nightly:
        out.table(
            ["nightly", "started", "outcome", "fetch", "parsed", "evaluated", "events", "digests", "sent", "error"],
            [[f"#{r.id}", f"{r.started_at:%Y-%m-%d %H:%M}", r.outcome, f"#{r.fetch_run_id}", r.n_parsed,
              r.n_evaluated, r.n_events, r.n_digests, r.n_sent, r.error or ""] for r in nightly],
        )  # fmt: skip
    if nightly and rows:
        out.echo("")
    if rows:
        out.table(
            ["fetch", "started", "outcome", "mode", "new", "changed", "unchanged", "failed", "error"],
            [[f"#{r.id}", f"{r.started_at:%Y-%m-%d %H:%M}", r.outcome, r.mode, r.n_new, r.n_changed, r.n_unchanged,
              r.n_failed, r.error or ""] for r in rows],
        )  # fmt: skip
    out.show()


@click.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
@pass_app
@handle_errors
def db_upgrade(app: App) -> None:
    """Apply pending schema migrations (other commands do this when needed).

    Example:

        MATCHER_DATABASE_URL=postgresql://postgres@127.0.0.1/matcher matcher db upgrade
    """
    engine = db.create_db_engine(app.settings.database_url, app.settings.sqlite_busy_timeout_s)
    try:
        before, after = db.upgrade(engine)
    finally:
        engine.dispose()
    click.echo(f"database at revision {after}" + (f" (was {before or 'empty'})" if before != after else ""))


trials = trials_group(list_trials)  # `trials` lists; `trials quarantine|release|quarantined`
