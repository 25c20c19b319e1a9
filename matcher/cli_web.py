"""Review desk commands: serve, users, audit, overrides (docs/web.md)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click

from matcher.cli_common import DAY, App, BadInput, emit_json, handle_errors, lazy_module, pass_app

if TYPE_CHECKING:
    from matcher import db
else:  # loaded when a command runs: `matcher serve --help` loads no database layer
    db = lazy_module("matcher.db")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback behind a proxy).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@pass_app
@handle_errors
def serve(app: App, host: str, port: int) -> None:
    """Serve the review desk (the coordinators' web pages) with uvicorn.

    Same database and settings as the other commands. Put it behind a TLS reverse proxy and set
    MATCHER_WEB_SECURE_COOKIES and MATCHER_WEB_SECRET (docs/deploy.md).

    Example:

        matcher serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from matcher.web.app import create_app

    click.echo(f"review desk on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    # proxy_headers: the client address (for sign-in throttling) from X-Forwarded-For, trusted from loopback only.
    uvicorn.run(create_app(app.settings, app.engine), host=host, port=port, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", log_level="warning", access_log=False)  # fmt: skip


@click.group()
def users() -> None:
    """People who sign in to the review desk: coordinators (their own patients) and admins (everyone's)."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["coordinator", "admin"]), required=True, help="What the user may see.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_app
@handle_errors
def users_add(app: App, email: str, role: str, password_stdin: bool) -> None:
    """Add a user, or reset an existing user's password and role (and enable them again).

    The password is asked for (twice), or read from stdin; only its argon2 hash is stored.

    Example:

        matcher users add thyroid-trials@hospital.example --role coordinator
    """
    from matcher.web.auth import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with db.session(app.engine) as session:
        try:
            row = add_user(session, email, role, password, app.now())
        except UserError as exc:
            raise BadInput(str(exc)) from exc
        session.commit()
    click.echo(f"{row.email}: {row.role}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def users_list(app: App, as_json: bool) -> None:
    """List the desk's users with their role and whether they are disabled.

    Example:

        matcher users list
    """
    from matcher.web.auth import list_users

    with db.session(app.engine) as session:
        rows = list_users(session)
    if as_json:
        emit_json([{"email": r.email, "role": r.role, "disabled": r.disabled,
                    "created_at": r.created_at.isoformat()} for r in rows])  # fmt: skip
        return
    for r in rows:
        click.echo(f"{r.email:<40} {r.role:<12} {'disabled' if r.disabled else 'active'}")


@users.command("disable")
@click.argument("email")
@pass_app
@handle_errors
def users_disable(app: App, email: str) -> None:
    """Disable a user: their open sessions end at once, and they cannot sign in (`users add` enables them again).

    Example:

        matcher users disable former.nurse@hospital.example
    """
    from matcher.web.auth import UserError, disable_user

    with db.session(app.engine) as session:
        try:
            ended = disable_user(session, email, app.now())
        except UserError as exc:
            raise BadInput(str(exc)) from exc
        session.commit()
    click.echo(f"{email}: disabled ({ended} open session(s) ended)")


@click.command()
@click.option("--patient", "patient_id", help="Only views of this patient.")
@click.option("--user", "who", metavar="EMAIL", help="Only views by this user.")
@click.option("--since", type=DAY, help="Only views on or after this day (UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def audit(app: App, patient_id: str | None, who: str | None, since: datetime | None, as_json: bool) -> None:
    """Who looked at which patient's data in the review desk, when, and on which page.

    Example:

        matcher audit --patient ex-rair-ptc-braf --since 2026-11-01
    """
    from matcher.web.desk import audit as read_audit

    with db.session(app.engine) as session:
        rows = read_audit(session, patient_id, who, since.date() if since else None)
    if as_json:
        emit_json([{"at": r.at.isoformat(), "user": r.who, "patient_id": r.patient_id, "page": r.page,
                    "nct_id": r.nct_id} for r in rows])  # fmt: skip
        return
    for r in rows:
        click.echo(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.who:<36} {r.patient_id:<24} {r.page:<8} {r.nct_id or ''}")


@click.group()
def overrides() -> None:
    """Reviewers' corrections of criterion readings ("this reading is wrong"), applied everywhere."""


@overrides.command("list")
@click.option("--all", "include_dropped", is_flag=True, help="Also those dropped (text changed, or replaced).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
@handle_errors
def overrides_list(app: App, include_dropped: bool, as_json: bool) -> None:
    """List the overrides in force (those whose criterion text changed are dropped first, and shown with --all).

    Example:

        matcher overrides list --all
    """
    from matcher.overrides import drop_stale, list_overrides

    with db.session(app.engine) as session:
        dropped = drop_stale(session, app.now())
        session.commit()
        rows = list_overrides(session, include_dropped)
    for row in dropped:
        click.echo(f"override {row.id} of {row.nct_id} dropped now: {row.dropped_reason}", err=True)
    if as_json:
        emit_json([{"id": r.id, "nct_id": r.nct_id, "patient_id": r.patient_id, "outcome": r.outcome, "note": r.note,
                    "who": r.who, "created_at": r.created_at.isoformat(), "criterion_text": r.criterion_text,
                    "dropped_at": r.dropped_at.isoformat() if r.dropped_at else None,
                    "dropped_reason": r.dropped_reason} for r in rows])  # fmt: skip
        return
    for r in rows:
        whom = "every patient" if r.patient_id is None else f"patient {r.patient_id}"
        state = f"  DROPPED {r.dropped_at:%Y-%m-%d}: {r.dropped_reason}" if r.dropped_at else ""
        click.echo(f"{r.id:>4} {r.nct_id} {r.outcome:<9} for {whom} by {r.who} on {r.created_at:%Y-%m-%d}{state}")
        click.echo(f"       {' '.join(r.criterion_text.split())[:110]}")
        if r.note:
            click.echo(f"       note: {r.note}")
