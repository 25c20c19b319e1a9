"""Patient and matching commands: parse, match, explain, patients, schema."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from matcher.cli_common import (
    DAY,
    KM,
    PHASE,
    STATUS,
    App,
    BadInput,
    Output,
    emit_json,
    handle_errors,
    lazy_module,
    pass_app,
    progress_echo,
    stored_trial,
)

# The matching layer (SQLAlchemy, jsonschema, msgspec) is loaded when a command runs, not for its --help
# (tests/test_cli_startup.py): `bind_runtime` binds these names then (`cli.LazyGroup` calls it).
if TYPE_CHECKING:
    from matcher import db, parsing, store, store_read
    from matcher.collect import CollectItem, collect_next
    from matcher.eligibility import parser_version
    from matcher.knowledge_base import load_knowledge
    from matcher.matching import (
        Filters,
        MatchReport,
        TrialMatch,
        Verdict,
        contacts_for,
        country_codes,
        match_json,
        match_report,
        sort_matches,
    )
    from matcher.matching.evaluate import Evaluator, PreparedTrial, TrialInfo, matching_version, prepare
    from matcher.models import Contact, trial_url
    from matcher.overrides import Override
    from matcher.patient import LoadedPatient, Patient, load_patient, parse_patient, patient_schema
else:
    db, parsing, store, store_read = (lazy_module(f"matcher.{n}") for n in ("db", "parsing", "store", "store_read"))


RUNTIME = {  # module -> the names above that a command uses when it runs, bound by `bind_runtime`
    "matcher.collect": ("CollectItem", "collect_next"),
    "matcher.eligibility": ("parser_version",),
    "matcher.knowledge_base": ("load_knowledge",),
    "matcher.matching": ("Filters", "MatchReport", "TrialMatch", "Verdict", "contacts_for", "country_codes",
                         "match_json", "match_report", "sort_matches"),
    "matcher.matching.evaluate": ("Evaluator", "PreparedTrial", "TrialInfo", "matching_version", "prepare"),
    "matcher.models": ("Contact", "trial_url"),
    "matcher.patient": ("LoadedPatient", "Patient", "load_patient", "parse_patient", "patient_schema"),
}  # fmt: skip


def bind_runtime() -> None:
    """Bind the matching layer's names (`RUNTIME`) in this module: `cli.LazyGroup` calls it before a command of
    this module runs."""
    for module, names in RUNTIME.items():
        loaded = importlib.import_module(module)
        globals().update({name: getattr(loaded, name) for name in names})


OUTCOME_MARK = {"satisfied": "✓", "violated": "✗", "unknown": "?", "not_applicable": "–"}  # by Outcome
DATE = DAY


def _load(path: str) -> LoadedPatient:
    loaded = load_patient(Path(path))
    for warning in loaded.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    return loaded


def _day(on: datetime | None, app: App) -> date:
    return on.date() if on else app.now().date()


def _prepared(app: App, nct_id: str) -> PreparedTrial:
    """A stored trial with its current parsed criteria (parsing it first if its parse is stale)."""
    parsing.parse_stale(app.engine, app.now)
    with db.session(app.engine) as session:
        row = stored_trial(session, nct_id)
        stored = store.stored_criteria(session, [row.nct_id])[row.nct_id]
        info = TrialInfo(row.nct_id, row.brief_title, row.overall_status, tuple(row.phases),
                         tuple(store.trial_sites(session, row.nct_id)))  # fmt: skip
    return prepare(info, stored.criteria)


@click.command()
@click.argument("nct_id", required=False)
@click.option("--text", "text_file", type=click.File("r", encoding="utf-8"), help="Parse this text file instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the structured criteria (with --all: the counts) as JSON.")
@click.option("--all", "every", is_flag=True, help="Parse every stored trial whose parse is missing or stale.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="With --all: processes (default: the cores).")
@pass_app
@handle_errors
def parse(app: App, nct_id: str | None, text_file: TextIO | None, as_json: bool, every: bool,
          workers: int | None) -> None:  # fmt: skip
    """Show a trial's criteria as the parser reads them: section, facts, the rule that fired.

    Example:

        matcher parse NCT03690388
        matcher parse --text criteria.txt --json
        matcher parse --all --workers 2
    """
    if [nct_id is not None, text_file is not None, every].count(True) != 1:
        raise click.UsageError("give one of an NCT id, --text FILE or --all")
    if every:
        result = parsing.parse_all_stale(app.engine, app.now, progress_echo("parse", "trials parsed"), workers=workers)
        if as_json:
            emit_json({"parsed": len(result.parsed), "set_aside": len(result.set_aside)})
        else:
            click.echo(f"parsed the criteria of {len(result.parsed)} trial(s); {len(result.set_aside)} set aside")
        return
    if text_file is not None:
        from matcher.eligibility.parser import parse_text

        criteria = parse_text(text_file.read())
    else:
        criteria = list(_prepared(app, nct_id or "").criteria)
    if as_json:
        emit_json([c.to_json() for c in criteria])
        return
    for c in criteria:
        indent = "    " if c.parent is not None else ""
        click.echo(f"{indent}[{c.index}] {c.section.value.upper()}{' (any of)' if c.any_of else ''}: {c.display_text}")
        if not c.facts:
            click.echo(f"{indent}      (not understood: matched as unknown)")
        for f in c.facts:
            values = ", ".join(f"{k}={v}" for k, v in f.values.to_json().items())
            uncertain = f"  (reading uncertain: {f.uncertain})" if f.uncertain else ""
            click.echo(f"{indent}      {f.polarity.value} {f.kind.value}: {values}  [{f.rule}]{uncertain}")


def _filters(statuses: tuple[str, ...], any_status: bool, phases: tuple[str, ...], countries: tuple[str, ...],
             within: float | None, include_all: bool, app: App) -> Filters:  # fmt: skip
    chosen = () if any_status else (statuses or app.settings.search_statuses)
    return Filters(tuple(chosen), phases, countries, within, include_all)


@click.command()
@click.argument("patient_json", type=click.Path(dir_okay=False))
@click.option("--on", type=DATE, help="Match as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the output contract's JSON.")
@click.option("--all", "include_all", is_flag=True, help="Include ineligible trials.")
@click.option("--status", "statuses", multiple=True, type=STATUS, help="Overall status (default: still enrolling).")
@click.option("--any-status", is_flag=True, help="Do not filter on overall status.")
@click.option("--phase", "phases", multiple=True, type=PHASE, help="Only this phase, e.g. PHASE2 (repeatable).")
@click.option("--country", "countries", multiple=True, help="Only trials with a site in this country.")
@click.option("--within", type=KM, metavar="KM", help="Only trials with an enrolling site within KM of the patient.")
@pass_app
@handle_errors
def match(app: App, patient_json: str, on: datetime | None, as_json: bool, include_all: bool,
          statuses: tuple[str, ...], any_status: bool, phases: tuple[str, ...], countries: tuple[str, ...],
          within: float | None) -> None:  # fmt: skip
    """Match one patient profile against every stored trial.

    Example:

        matcher match examples/rair-papillary-braf.json --on 2026-11-26
    """
    loaded = _load(patient_json)
    if within is not None:
        _check_located(loaded.patient, patient_json)
    day = _day(on, app)
    with _reading(app) as connection:  # plain SQL (`store_read`): no ORM, and on SQLite no SQLAlchemy
        _bring_up_to_date(app, connection)
        filters = _filters(statuses, any_status, phases, countries, within, include_all, app)
        try:
            country_codes(countries)
        except ValueError as exc:
            raise BadInput(f"--country: {exc}") from None
        overriding = _overrides_in_force(app, connection)
        # The overridden trials' ineligible matches too: an override may make one possible (filtered after it).
        report = match_report(connection, loaded.patient, day, filters, app.settings.default_radius_km,
                              overridden=overriding)  # fmt: skip
    found = report.matches
    if overriding:
        from matcher.overrides import apply_overrides

        evaluator = Evaluator(loaded.patient, day, load_knowledge(), app.settings.default_radius_km)
        found = [apply_overrides(m, overriding.get(m.trial.nct_id, ()), evaluator) for m in found]
    matches = sort_matches([m for m in found if include_all or m.verdict is not Verdict.INELIGIBLE])
    report = report.with_matches(matches)
    _report_unplaced(report, within)
    if as_json:
        data = {
            "patient_id": loaded.patient.id,
            "matched_on": day.isoformat(),
            "trials": [match_json(m, report.contacts.get(m.trial.nct_id, ())) for m in matches],
            "collect_next": [c.to_json() for c in collect_next(matches)],
        }
        # One line, compact: it can be large (megabytes, every criterion of hundreds of trials), and scripts parse it.
        # msgspec's encoder writes it in a tenth of json.dumps' time (UTF-8, no spaces after separators).
        import msgspec  # here, not at the top: `matcher match --help` loads no encoder

        click.echo(msgspec.json.encode(data))
        return
    out = Output()
    _table(out, loaded.patient.id, day, report)
    out.show()


@contextmanager
def _reading(app: App) -> Iterator[store_read.Reading]:
    """The connection `matcher match` reads through (`store_read`), closed after its reads. On an SQLite file whose
    schema is current, the standard library's `sqlite3` (`store_read.open_sqlite`): SQLAlchemy is not imported
    unless a parse is due, matching records are to be made, or an override is in force (each then writes or reads
    through the command's engine, while this connection, holding no transaction, stays open). Otherwise
    (PostgreSQL; an SQLite database to create or migrate) a SQLAlchemy Core connection of the command's engine,
    which opening migrates."""
    direct = store_read.open_sqlite(app.settings.database_url, app.settings.sqlite_busy_timeout_s)
    if direct is None:
        with app.engine.connect() as connection:
            yield connection
        return
    with closing(direct):
        yield direct


def _bring_up_to_date(app: App, connection: store_read.Reading) -> None:
    """Parse the trials whose stored parse is missing or stale (`parsing.parse_stale`), and make the matching
    records that are missing or were made by other code (`store.refresh_matching_records`, from the stored
    criteria), when there are any: asking is one query each; the work loads SQLAlchemy and the ORM (parsing, the
    parser too)."""
    version = parser_version()
    if store_read.parse_due(connection, version):
        parsing.parse_stale(app.engine, app.now)
    if store_read.matching_due(connection, version, matching_version()):
        store.refresh_matching_records(app.engine, version)


def _overrides_in_force(app: App, connection: store_read.Reading) -> dict[str, list[Override]]:
    """The reviewers' overrides in force, by NCT id (`overrides.active_overrides`, which also drops those whose
    criterion text is gone), read through the ORM only when one exists (asking is one query)."""
    if not store_read.overrides_in_force(connection):
        return {}
    from matcher.overrides import active_overrides

    with db.session(app.engine) as session:
        return active_overrides(session, app.now())


def _check_located(patient: Patient, source: str) -> None:
    location = patient.location
    if location is None or location.lat is None or location.lon is None:
        given = ", ".join(x for x in (location.city, location.state, location.country) if x) if location else ""
        raise BadInput(
            f"--within needs the patient's location: location.lat and location.lon, or a city the offline gazetteer "
            f"knows (cities of 15,000 people or more) ({source} has {given or 'none'})"
        )


def _report_unplaced(report: MatchReport, within: float | None) -> None:
    """Sites without coordinates are counted and said, never dropped silently (stderr: stdout may be JSON)."""
    if report.unplaced_sites:
        click.echo(f"{report.unplaced_sites} site(s) of the listed trials could not be placed (no geoPoint, and the "
                   "gazetteer does not know their city): no distance is measured to them", err=True)  # fmt: skip
    if within is not None and report.unplaced_left_out:
        click.echo(f"--within {within:g} left out {len(report.unplaced_left_out)} trial(s) whose sites could not be "
                   f"placed: {', '.join(report.unplaced_left_out)}", err=True)  # fmt: skip


def _contact_lines(contacts: list[Contact], limit: int = 2) -> list[str]:
    lines = [f"  contact: {c.one_line()}" for c in contacts[:limit]]
    if len(contacts) > limit:
        lines.append(f"  (and {len(contacts) - limit} more contact(s): matcher trial NCT_ID)")
    return lines


def _site_line(m: TrialMatch) -> str | None:
    s = m.nearest_site
    if s is None:
        return None
    place = ", ".join(x for x in (s.site.city, s.site.state, s.site.country) if x)
    return f"  nearest enrolling site: {s.site.facility or '?'}, {place} ({s.distance_km:.0f} km)"


def _table(out: Output, patient_id: str, day: date, report: MatchReport) -> None:
    matches = report.matches
    out.echo(f"patient {patient_id}, matched on {day}: {len(matches)} trial(s)")
    if matches:
        out.table(
            ["verdict", "trial", "status", "score", "km", "nearest site"],
            [
                [m.verdict.value, m.trial.nct_id, m.trial.overall_status, f"{m.score:.2f}",
                 f"{m.nearest_site.distance_km:.0f}" if m.nearest_site else None,
                 ", ".join(x for x in (m.nearest_site.site.facility, m.nearest_site.site.city) if x)
                 if m.nearest_site else None]
                for m in matches
            ],
        )  # fmt: skip
    for m in matches:
        out.echo(f"\n{m.verdict.value.upper():<10} {m.trial.nct_id}  {m.trial.overall_status}  score {m.score:.2f}")
        out.echo(f"  {m.trial.title}")
        mark = "✗" if m.verdict.value == "ineligible" else "?"
        for text in m.deciding[:3]:
            out.echo(f"  {mark} {text}")
        if len(m.deciding) > 3:
            out.echo(f"  (and {len(m.deciding) - 3} more: matcher explain PATIENT {m.trial.nct_id})")
        if m.missing:
            out.echo(f"  missing: {'; '.join(m.missing)}")
        if m.eligible_from:
            out.echo(f"  eligible from {m.eligible_from}")
        site = _site_line(m)
        if site:
            out.echo(site)
        for line in _contact_lines(report.call(m)):
            out.echo(line)
        out.echo(f"  {trial_url(m.trial.nct_id)}")
    _collect_lines(out, patient_id, collect_next(matches))


def _collect_lines(out: Output, patient_id: str, items: list[CollectItem]) -> None:
    if not items:
        return
    out.echo(f"\ncollect next for {patient_id} (ranked by how many of the listed trials each would settle):")
    out.table(["data to collect", "trials", "decides alone", "which trials"],
              [[c.item, len(c.trials), len(c.settles), ", ".join(c.trials)] for c in items])  # fmt: skip


@click.command()
@click.argument("patient")
@click.argument("nct_id", required=False)
@click.option("--on", type=DATE, help="Match as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the trial's entry of the output contract.")
@click.option(
    "--all", "every", is_flag=True, help="Every stored trial (of the default statuses), then what to collect."
)
@pass_app
@handle_errors
def explain(app: App, patient: str, nct_id: str | None, on: datetime | None, as_json: bool, every: bool) -> None:
    """Every criterion of one trial for one patient, with outcome, reason and evidence; with --all, of every trial,
    followed by the patient's collect-next list.

    PATIENT is a profile file or the id of a stored patient.

    Example:

        matcher explain examples/rair-papillary-braf.json NCT03690388

        matcher explain examples/rair-papillary-braf.json --all
    """
    if (nct_id is None) == (not every):
        raise click.UsageError("give either an NCT id or --all")
    from matcher.overrides import active_overrides, apply_overrides  # the ORM: `match` reads without it

    loaded = _patient_from(app, patient)
    day = _day(on, app)
    if every:
        parsing.parse_stale(app.engine, app.now)
        filters = Filters(tuple(app.settings.search_statuses), include_ineligible=True)
        with db.session(app.engine) as session:
            report = match_report(session, loaded.patient, day, filters, app.settings.default_radius_km)
            overriding = active_overrides(session, app.now())
        evaluator = Evaluator(loaded.patient, day, load_knowledge(), app.settings.default_radius_km)
        found = [apply_overrides(m, overriding.get(m.trial.nct_id, ()), evaluator) for m in report.matches]
        report = report.with_matches(sort_matches(found))
        items = collect_next(report.matches)
        if as_json:
            emit_json({"patient_id": loaded.patient.id, "matched_on": day.isoformat(),
                       "trials": [match_json(m, report.contacts.get(m.trial.nct_id, ())) for m in report.matches],
                       "collect_next": [c.to_json() for c in items]})  # fmt: skip
            return
        out = Output()
        for m in report.matches:
            _explained(out, loaded.patient.id, m, report.call(m))
            out.echo("")
        _collect_lines(out, loaded.patient.id, items)
        out.show()
        return
    trial = _prepared(app, nct_id or "")
    evaluator = Evaluator(loaded.patient, day, load_knowledge(), app.settings.default_radius_km)
    with db.session(app.engine) as session:
        contacts = store.trial_contacts(session, trial.info.nct_id)
        corrections = active_overrides(session, app.now()).get(trial.info.nct_id, [])
    result = apply_overrides(evaluator.match(trial), corrections, evaluator)
    if as_json:
        emit_json(match_json(result, contacts))
        return
    out = Output()
    _explained(out, loaded.patient.id, result, contacts_for(result, contacts))
    out.show()


def _explained(out: Output, patient_id: str, result: TrialMatch, call: Sequence[Contact]) -> None:
    info = result.trial
    out.echo(f"{info.nct_id} {info.title}\n{result.verdict.value.upper()} for {patient_id}"
             f" (score {result.score:.2f})\n")  # fmt: skip
    for r in result.results:
        c = r.criterion
        indent = "    " if c.parent is not None else ""
        out.echo(f"{indent}{OUTCOME_MARK[r.outcome]} {c.section.value[:3].upper()} {c.display_text}")
        evidence = f"  [{', '.join(r.evidence)}]" if r.evidence else ""
        out.echo(f"{indent}    {r.outcome.value}: {r.reason}{evidence}")
    if result.eligible_from:
        out.echo(f"\neligible from {result.eligible_from}")
    if result.missing:
        out.echo(f"missing: {'; '.join(result.missing)}")
    site = _site_line(result)
    out.echo("" if site is None else site.strip())
    for line in _contact_lines(list(call), limit=4):
        out.echo(line.strip())
    out.echo(trial_url(info.nct_id))


def _patient_from(app: App, ref: str) -> LoadedPatient:
    if Path(ref).is_file():
        return _load(ref)
    with db.session(app.engine) as session:
        row = store.get_patient(session, ref)
    if row is None:
        raise BadInput(f"{ref} is neither a profile file nor a stored patient id")
    return parse_patient(row.profile, source=f"stored patient {ref}")


@click.group()
def patients() -> None:
    """Stored patient profiles, matched every night by `matcher nightly`."""


@patients.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@pass_app
@handle_errors
def patients_add(app: App, files: tuple[str, ...]) -> None:
    """Add or update patients from profile files (all validated first; nothing is written if one is bad).

    Example:

        matcher patients add examples/*.json
    """
    loaded = [_load(path) for path in files]
    now = app.now()
    with db.session(app.engine) as session:
        outcomes = [store.save_patient(session, p.patient.id, p.document, p.patient.coordinator, now) for p in loaded]
        session.commit()
    for p, outcome in zip(loaded, outcomes, strict=True):
        click.echo(f"{p.patient.id}: {outcome}")


@patients.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def patients_list(app: App, as_json: bool) -> None:
    """List stored patients (id, version, coordinator).

    Example:

        matcher patients list
    """
    with db.session(app.engine) as session:
        rows = store.list_patients(session)
    if as_json:
        emit_json([{"id": r.id, "version": r.version, "coordinator": r.coordinator,
                    "updated_at": r.updated_at.isoformat()} for r in rows])  # fmt: skip
        return
    out = Output()
    if rows:
        out.table(["patient", "version", "coordinator", "updated"],
                  [[r.id, f"v{r.version}", r.coordinator, f"{r.updated_at:%Y-%m-%d %H:%M}"] for r in rows])  # fmt: skip
    out.show()


@patients.command("show")
@click.argument("patient_id")
@click.option("--versions", is_flag=True, help="Also list the earlier versions.")
@pass_app
@handle_errors
def patients_show(app: App, patient_id: str, versions: bool) -> None:
    """Print a stored patient's current profile (JSON).

    Example:

        matcher patients show ex-rair-ptc-braf --versions
    """
    with db.session(app.engine) as session:
        row = store.get_patient(session, patient_id)
        if row is None:
            raise BadInput(f"no stored patient {patient_id}")
        history = store.patient_versions(session, patient_id) if versions else []
    emit_json(row.profile)
    for v in history:
        click.echo(f"version {v.version} saved {v.saved_at:%Y-%m-%d %H:%M}", err=True)


@patients.command("remove")
@click.argument("patient_id")
@pass_app
@handle_errors
def patients_remove(app: App, patient_id: str) -> None:
    """Remove a stored patient and their matches (earlier versions stay in the history).

    Example:

        matcher patients remove ex-rair-ptc-braf
    """
    with db.session(app.engine) as session:
        removed = store.remove_patient(session, patient_id)
        session.commit()
    if not removed:
        raise BadInput(f"no stored patient {patient_id}")
    click.echo(f"{patient_id}: removed")


@click.command()
@click.argument("name", type=click.Choice(["patient"]))
def schema(name: str) -> None:
    """Print a published JSON Schema.

    Example:

        matcher schema patient > patient.schema.json
    """
    click.echo(json.dumps(patient_schema(), indent=2, ensure_ascii=False))
