"""The review desk's web application (Starlette): routes, sessions, CSRF, templates. Pages are rendered on the
server; forms work without JavaScript; every asset is in the package (no CDN).

    create_app(settings, engine=None, now=...) -> Starlette
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from itsdangerous import BadSignature, Signer
from jinja2 import Environment, PackageLoader
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher import db, monitor_store, store
from matcher.config import Settings
from matcher.errors import MatcherError
from matcher.overrides import add_override, rematch_pairs, text_hash
from matcher.tables import MatchRow
from matcher.web import auth, desk

logger = logging.getLogger(__name__)
SESSION_COOKIE = "matcher_session"
LOGIN_COOKIE = "matcher_login"
MESSAGES = {  # what a redirect after a POST may say (by key: no text from the request is shown back)
    "review": "Review status saved.",
    "flag": "Reading flagged: the verdict below uses it.",
    "out": "You are signed out.",
    "idle": "Your session ended. Sign in again.",
}
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
     b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]  # fmt: skip


class SecurityHeaders:
    """Adds the security headers to every response; pages with patient data are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + SECURITY_HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class Desk:
    def __init__(self, settings: Settings, engine: Engine, now: Callable[[], datetime]) -> None:
        self.settings, self.engine, self.now = settings, engine, now
        secret = settings.web_secret or secrets.token_urlsafe(48)
        if not settings.web_secret:
            logger.warning("MATCHER_WEB_SECRET is not set: sessions last until the server restarts")
        self.signer = Signer(secret, salt="matcher-session")
        self.login_signer = Signer(secret, salt="matcher-login")
        self.idle = timedelta(minutes=settings.web_idle_timeout_min)
        self.env = Environment(loader=PackageLoader("matcher.web", "templates"), autoescape=True)
        self.env.filters["path"] = lambda value: quote(str(value), safe="")
        self.env.filters["day"] = lambda value: f"{value:%Y-%m-%d}" if value else ""
        self.env.filters["minute"] = lambda value: f"{value:%Y-%m-%d %H:%M} UTC" if value else ""

    # --- plumbing --------------------------------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status)

    def not_found(self, current: auth.Current | None) -> HTMLResponse:
        return self.render("not_found.html.j2", 404, current=current)

    def token(self, request: Request) -> str | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        try:
            return self.signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    def current(self, request: Request) -> auth.Current | None:
        token = self.token(request)
        if token is None:
            return None
        with db.session(self.engine) as session:
            return auth.current(session, token, self.idle, self.now())

    def to_login(self, request: Request, reason: str | None = None) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        where = f"/login?next={quote(target, safe='')}" + (f"&msg={reason}" if reason else "")
        response = RedirectResponse(where, status_code=303)
        if request.cookies.get(SESSION_COOKIE):
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def set_cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                            secure=self.settings.web_secure_cookies)  # fmt: skip

    @staticmethod
    def csrf_ok(form: FormData, current: auth.Current) -> bool:
        sent = form.get("csrf")
        return isinstance(sent, str) and secrets.compare_digest(sent, current.csrf)

    def refused(self, current: auth.Current | None) -> HTMLResponse:
        return self.render("refused.html.j2", 403, current=current)

    # --- signing in and out ----------------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        return self._login_page(request, None, 200)

    def _login_page(self, request: Request, error: str | None, status: int) -> Response:
        nonce = secrets.token_urlsafe(24)
        target = request.query_params.get("next", "/")
        message = MESSAGES.get(request.query_params.get("msg", ""))
        response = self.render("login.html.j2", status, csrf=nonce, next=_local(target), error=error,
                               message=message, current=None)  # fmt: skip
        self.set_cookie(response, LOGIN_COOKIE, self.login_signer.sign(nonce).decode("ascii"))
        return response

    async def login(self, request: Request) -> Response:
        form = await request.form()
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        try:
            expected = self.login_signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            expected = None
        sent = form.get("csrf")
        if expected is None or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
            return self.refused(None)
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        address = request.client.host if request.client else "unknown"

        def work() -> auth.User | str | None:
            with db.session(self.engine) as session:
                return auth.authenticate(session, email, password, address, self.now())

        found = await run_in_threadpool(work)
        if found == "throttled":
            minutes = int(auth.THROTTLE_WINDOW.total_seconds() // 60)
            return self._login_page(request, f"Too many failed sign-ins. Try again in {minutes} minutes.", 429)
        if not isinstance(found, auth.User):
            return self._login_page(request, "Wrong email or password, or the account is disabled.", 401)
        user = found

        def begin() -> str:
            with db.session(self.engine) as session:
                return auth.start_session(session, user, self.token(request), self.now())

        token = await run_in_threadpool(begin)
        response = RedirectResponse(_local(str(form.get("next", "/"))), status_code=303)
        self.set_cookie(response, SESSION_COOKIE, self.signer.sign(token).decode("ascii"))
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    async def logout(self, request: Request) -> Response:
        form = await request.form()
        current = await run_in_threadpool(self.current, request)
        if current is None:
            return self.to_login(request)
        if not self.csrf_ok(form, current):
            return self.refused(current)
        token = self.token(request)
        if token:

            def end() -> None:
                with db.session(self.engine) as session:
                    auth.end_session(session, token)

            await run_in_threadpool(end)
        response = RedirectResponse("/login?msg=out", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # --- pages -----------------------------------------------------------------------------------------------

    def queue(self, request: Request) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        filters = desk.QueueFilters.read(dict(request.query_params))
        now = self.now()
        with db.session(self.engine) as session:
            found = desk.queue(session, current.user, filters, self.settings, now)
            desk.record_views(session, current.user, found.patients, "queue", None, now)
        return self.render("queue.html.j2", current=current, queue=found, filters=filters, desk=desk,
                           review_statuses=monitor_store.REVIEW_STATUSES)  # fmt: skip

    def patient(self, request: Request) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        now = self.now()
        with db.session(self.engine) as session:
            row = auth.visible_patient(session, current.user, request.path_params["pid"])
            if row is None:
                return self.not_found(current)
            page = desk.patient_page(session, row, self.settings, now)
            desk.record_views(session, current.user, [row.id], "patient", None, now)
        return self.render("patient.html.j2", current=current, page=page)

    def match(self, request: Request) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        now = self.now()
        with db.session(self.engine) as session:
            row = auth.visible_patient(session, current.user, request.path_params["pid"])
            trial = store.get_trial(session, request.path_params["nct"].upper()[:11])
            if row is None or trial is None:
                return self.not_found(current)
            page = desk.match_page(session, row, trial, self.settings, now)
            desk.record_views(session, current.user, [row.id], "match", trial.nct_id, now)
        message = MESSAGES.get(request.query_params.get("msg", ""))
        return self.render("match.html.j2", current=current, page=page, message=message,
                           review_statuses=monitor_store.REVIEW_STATUSES)  # fmt: skip

    async def review(self, request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(self._review, request, form)

    def _review(self, request: Request, form: FormData) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        if not self.csrf_ok(form, current):
            return self.refused(current)
        status, note = str(form.get("status", "")), str(form.get("note", "")).strip()[:4000]
        now = self.now()
        with db.session(self.engine) as session:
            row = auth.visible_patient(session, current.user, request.path_params["pid"])
            nct_id = request.path_params["nct"].upper()[:11]
            match = session.get(MatchRow, (row.id, nct_id)) if row else None
            if row is None or match is None:
                return self.not_found(current)
            if status not in monitor_store.REVIEW_STATUSES:
                return self.render("refused.html.j2", 400, current=current, why="Choose one of the review statuses.")
            monitor_store.set_review(session, row.id, match.nct_id, status, note or None, current.user.email,
                                     match.verdict, now)  # fmt: skip
            desk.record_views(session, current.user, [row.id], "review", match.nct_id, now)
        return RedirectResponse(f"/patients/{quote(row.id, safe='')}/trials/{match.nct_id}?msg=review#review",
                                status_code=303)  # fmt: skip

    async def flag(self, request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(self._flag, request, form)

    def _flag(self, request: Request, form: FormData) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        if not self.csrf_ok(form, current):
            return self.refused(current)
        now = self.now()
        with db.session(self.engine) as session:
            row = auth.visible_patient(session, current.user, request.path_params["pid"])
            nct_id = request.path_params["nct"].upper()[:11]
            parse = store.stored_criteria(session, [nct_id]).get(nct_id)
            if row is None or parse is None:
                return self.not_found(current)
            try:
                index = int(str(form.get("index", "")))
                text = str(parse.criteria[index][2])
            except (ValueError, IndexError):
                return self.render("refused.html.j2", 400, current=current, why="No such criterion.")
            if form.get("text_hash") != text_hash(text):
                why = "The criterion's text changed since the page was shown: open the match again and flag it there."
                return self.render("refused.html.j2", 409, current=current, why=why)
            scope, _, outcome = str(form.get("choice", "")).partition(":")
            note = str(form.get("note", "")).strip()[:4000]
            try:
                add_override(session, nct_id, text, None if scope == "all" else row.id, outcome, note,
                             current.user.email, now)  # fmt: skip
            except MatcherError as exc:
                session.rollback()
                return self.render("refused.html.j2", 400, current=current, why=str(exc))
            session.commit()
            rematch_pairs(session, nct_id, None if scope == "all" else row.id, self.settings, now)
            desk.record_views(session, current.user, [row.id], "flag", nct_id, now)
        return RedirectResponse(f"/patients/{quote(row.id, safe='')}/trials/{nct_id}?msg=flag#criteria",
                                status_code=303)  # fmt: skip

    def trial(self, request: Request) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        with db.session(self.engine) as session:
            trial = store.get_trial(session, request.path_params["nct"].upper()[:11])
            if trial is None:
                return self.not_found(current)
            page = desk.trial_page(session, trial)
        return self.render("trial.html.j2", current=current, page=page)

    def runs(self, request: Request) -> Response:
        current = self.current(request)
        if current is None:
            return self.to_login(request)
        with db.session(self.engine) as session:
            nightly, fetches = desk.runs_page(session)
        return self.render("runs.html.j2", current=current, nightly=nightly, fetches=fetches)


def _local(target: str) -> str:
    """Only a path on this site (no scheme, no host, no //): an open redirect is refused."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or "://" in target:
        return "/"
    return target


def create_app(
    settings: Settings, engine: Engine | None = None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Starlette:
    """The desk as an ASGI application (uvicorn serves it; tests drive it with Starlette's TestClient)."""
    engine = engine or db.open_database(settings.database_url, settings.sqlite_busy_timeout_s)
    d = Desk(settings, engine, now)
    static = StaticFiles(packages=[("matcher.web", "static")])
    routes = [
        Route("/", d.queue),
        Route("/login", d.login_form, methods=["GET"]),
        Route("/login", d.login, methods=["POST"]),
        Route("/logout", d.logout, methods=["POST"]),
        Route("/patients/{pid}", d.patient),
        Route("/patients/{pid}/trials/{nct}", d.match),
        Route("/patients/{pid}/trials/{nct}/review", d.review, methods=["POST"]),
        Route("/patients/{pid}/trials/{nct}/flag", d.flag, methods=["POST"]),
        Route("/trials/{nct}", d.trial),
        Route("/runs", d.runs),
        Mount("/static", app=static, name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(GZipMiddleware, minimum_size=2000)  # a queue of 500 matches is ~200 KB of HTML, ~30 KB sent
    app.add_middleware(SecurityHeaders)
    app.state.desk = d
    return app
