"""Digest emails: render (Jinja2, HTML + plain text, one multipart message) and deliver through a `Sender`.

Registry text is untrusted: the HTML template autoescapes everything and `StrictUndefined` turns a missing
variable into an error instead of an empty string. A digest carries the minimum: the patient's profile id
(never a name), verdicts, trial titles and statuses, the trial's own criterion text that decided, the kinds
of missing data, the nearest site with its distance and contact, and links to the trial and the web desk.

Per patient the items come in this order: new eligible matches, new possible ones, verdict changes, sites opened
nearby, trial status news. The HTML is styled for mail clients: one stylesheet (templates/digest.css) inlined
into ``style`` attributes by css-inline, no external asset; the text part carries the same content.

A digest fits in a mailbox: it lists at most ``digest_items_per_patient`` items a patient, the first in that order,
and says "and M more for patient X" with where to see them (the desk's patient page, else the command). When even
that would pass ``digest_max_bytes`` (a coordinator with hundreds of patients), it keeps the most pressing items
of all its patients (every new eligible match before any new possible one, and so on) and names the patients whose
news it leaves out. What is left out is still recorded as delivered with the digest: it is on the desk and in
`matcher review list`, and is not mailed again.
"""

from __future__ import annotations

import hashlib
import shlex
import smtplib
import ssl
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from matcher.addresses import address_problem
from matcher.config import Settings
from matcher.errors import NotifyError

TRIAL_URL = "https://clinicaltrials.gov/study/{nct_id}"


class DeliveryRefused(NotifyError):
    """The digest can never go to this recipient as it is: the server refused the recipient or the message with
    a permanent (5xx) reply, or the address is not one address (``code`` None)."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DigestItem:
    patient_id: str
    nct_id: str
    kind: str  # new_match | verdict_change | status_change | site_opened
    title: str
    overall_status: str
    verdict: str
    before: str | None
    deciding: tuple[str, ...]
    missing: tuple[str, ...]
    site: str | None
    contacts: tuple[str, ...] = ()  # whom to call, one line each (the nearest site's, else the trial's)
    more_deciding: int = 0  # deciding criteria not listed
    run_id: int | None = None  # the run that found this news (an earlier one for news held back)
    web_base: str | None = None  # MATCHER_WEB_URL, when set

    @property
    def url(self) -> str:
        return TRIAL_URL.format(nct_id=self.nct_id)

    @property
    def web_url(self) -> str | None:
        """This match on the web desk (``MATCHER_WEB_URL``/patients/ID/trials/NCT), when a web desk is set."""
        if not self.web_base:
            return None
        return f"{self.web_base.rstrip('/')}/patients/{quote(self.patient_id, safe='')}/trials/{self.nct_id}"

    @property
    def rank(self) -> int:
        """Order within a patient: new eligible, new possible, verdict changes, sites opened, status news."""
        if self.kind == "new_match":
            return 0 if self.verdict == "eligible" else 1
        return {"verdict_change": 2, "site_opened": 3, "status_change": 4}.get(self.kind, 5)

    @property
    def criteria_label(self) -> str:
        return "decided by" if self.verdict == "ineligible" else "still unknown"


def web_base_url(settings: Settings) -> str | None:
    """The web desk's base URL (``MATCHER_WEB_URL``), when one is set."""
    return settings.web_url or None


@dataclass(frozen=True)
class PatientNews:
    """One patient's part of a digest: the items it lists, and how many more this digest leaves out."""

    patient_id: str
    items: list[DigestItem]
    more: int
    web_base: str | None

    @property
    def url(self) -> str | None:
        """The patient's page on the web desk, when a web desk is set."""
        return f"{self.web_base.rstrip('/')}/patients/{quote(self.patient_id, safe='')}" if self.web_base else None

    @property
    def command(self) -> str:
        """The command that shows every trial of this stored patient."""
        return f"matcher explain {shlex.quote(self.patient_id)} --all"


@dataclass(frozen=True)
class Email:
    to: str
    sender: str
    subject: str
    text: str
    html: str
    message_id: str
    date: datetime

    def to_message(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender  # MATCHER_MAIL_FROM, set by the administrator (may carry a display name)
        # The recipient as one parsed address: a value holding a list or another header is an error here, never a
        # second recipient.
        message["To"] = Address(addr_spec=self.to)
        message["Subject"] = self.subject
        message["Message-ID"] = self.message_id
        message["Date"] = format_datetime(self.date)
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return message


class Sender(Protocol):
    # False for a sender that only shows what would go out (--dry-run): the outbox keeps those digests pending.
    delivers: bool

    def send(self, email: Email) -> None: ...


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("matcher", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


KIND_ORDER_TITLES = {
    0: "New eligible matches",
    1: "New possible matches",
    2: "Verdict changes",
    3: "Sites opened nearby",
    4: "Trial status news",
}

KIND_TITLES = {
    "new_match": "New match",
    "verdict_change": "Verdict changed",
    "status_change": "Trial status changed",
    "site_opened": "Site opened nearby",
}


# How the subject counts each kind: (one, several).
KIND_COUNTS = {
    "new_match": ("new match", "new matches"),
    "verdict_change": ("verdict change", "verdict changes"),
    "status_change": ("trial status change", "trial status changes"),
    "site_opened": ("site opened nearby", "sites opened nearby"),
}


def subject_for(items: list[DigestItem]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    parts = [f"{n} {KIND_COUNTS[k][n > 1]}" for k, n in counts.items()]
    patients = len({i.patient_id for i in items})
    return f"[matcher] {', '.join(parts)} for {patients} patient{'s' if patients > 1 else ''}"


VERDICT_COLOURS = {"eligible": "#1a7f37", "possible": "#9a6700", "ineligible": "#cf222e"}


@cache
def _stylesheet() -> str:
    return files("matcher.templates").joinpath("digest.css").read_text(encoding="utf-8")


def inline_css(html: str) -> str:
    """The digest's stylesheet moved into ``style`` attributes (mail clients drop ``<style>`` blocks)."""
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, extra_css=_stylesheet())
    return str(inliner.inline(html))


def order_items(items: list[DigestItem]) -> dict[str, list[DigestItem]]:
    """Items by patient (patients by id), each patient's in the digest's order (`DigestItem.rank`)."""
    by_patient: dict[str, list[DigestItem]] = {}
    for item in sorted(items, key=lambda i: (i.patient_id, i.rank, i.nct_id, i.run_id or 0)):
        by_patient.setdefault(item.patient_id, []).append(item)
    return by_patient


def _priority(item: DigestItem) -> tuple[int, str, str, int]:
    """Which items a digest too big for a mailbox keeps first: the most pressing kind, over all patients."""
    return item.rank, item.patient_id, item.nct_id, item.run_id or 0


def render_digest(
    coordinator: str,
    items: list[DigestItem],
    run_id: int,
    settings: Settings,
    now: datetime,
    notices: list[str] | None = None,
    footer: str | None = None,
    period: str | None = None,
) -> Email:
    """One coordinator's digest, made by nightly run ``run_id``: grouped by patient, in the digest's order, with
    the run's admin lines (``notices``: what was set aside, digests given up) before the news, and ``footer`` (the
    night's summary) after it. ``period`` names a weekly digest's span ("the week to 2026-11-30").

    It lists at most ``settings.digest_items_per_patient`` items a patient and stays under
    ``settings.digest_max_bytes`` (see the module docstring); the subject counts every item."""
    by_patient = order_items(items)
    candidates = sorted((i for listed in by_patient.values() for i in listed[: settings.digest_items_per_patient]),
                        key=_priority)  # fmt: skip
    render = partial(_render, coordinator, items, by_patient, run_id, settings, now, notices or [], footer or "",
                     period or "")  # fmt: skip
    email = render(candidates)
    size = _size(email)
    if size <= settings.digest_max_bytes:
        return email
    # Too big: find how many of the most pressing items fit, between a count that fits (none at first) and one
    # that does not, each try interpolated from the sizes of the two (a digest grows about linearly with its
    # items), until they are within 1% of each other. The bracket shrinks at every try, so this ends.
    best = render([])
    fit_n, fit_size, over_n, over_size = 0, _size(best), len(candidates), size
    while over_n - fit_n > max(1, over_n // 100):
        share = (settings.digest_max_bytes - fit_size) / max(1, over_size - fit_size)
        keep = min(over_n - 1, max(fit_n + 1, fit_n + int((over_n - fit_n) * share)))
        email = render(candidates[:keep])
        size = _size(email)
        if size <= settings.digest_max_bytes:
            best, fit_n, fit_size = email, keep, size
        else:
            over_n, over_size = keep, size
    return best


def _size(email: Email) -> int:
    """The digest's size as sent. Measured with a stand-in recipient of the same length: a recipient that is not
    one address is refused when the digest is sent (and the digest given up), not while it is built."""
    stand_in = "x" * max(0, len(email.to) - len("@example.invalid")) + "@example.invalid"
    return len(replace(email, to=stand_in).to_message().as_bytes())


def _render(
    coordinator: str,
    items: list[DigestItem],
    by_patient: dict[str, list[DigestItem]],
    run_id: int,
    settings: Settings,
    now: datetime,
    notices: list[str],
    footer: str,
    period: str,
    shown: list[DigestItem],
) -> Email:
    """The digest listing the items of ``shown`` (the others of ``items`` counted as "more" or left out)."""
    kept = set(shown)
    web = web_base_url(settings)
    patients = [PatientNews(pid, [i for i in listed if i in kept], len([i for i in listed if i not in kept]), web)
                for pid, listed in by_patient.items()]  # fmt: skip
    context: dict[str, Any] = {
        "patients": [p for p in patients if p.items],
        "left_out": [p.patient_id for p in patients if not p.items],
        "queue_url": f"{web.rstrip('/')}/" if web else None,
        "coordinator": shlex.quote(coordinator),
        "max_mb": f"{settings.digest_max_bytes / 1_000_000:g}",
        "titles": KIND_TITLES,
        "run_id": run_id,
        "day": now.date().isoformat(),
        "notices": notices,
        "footer": footer,
        "period": period,
        "colours": VERDICT_COLOURS,
        "group_titles": KIND_ORDER_TITLES,
        "count": len(items),
        "shown": len(kept),
    }
    env = _environment()
    host = settings.mail_from.rpartition("@")[2] or "matcher"
    subject = subject_for(items) if items else f"[matcher] {len(notices)} admin notice{'s' if len(notices) > 1 else ''}"
    return Email(
        to=coordinator,
        sender=settings.mail_from,
        subject=subject,
        text=env.get_template("digest.txt.j2").render(context),
        html=inline_css(env.get_template("digest.html.j2").render(context)),
        message_id=f"<digest-{run_id}-{hashlib.sha256(coordinator.encode()).hexdigest()[:12]}@{host}>",
        date=now,
    )


class SmtpSender:
    """Delivers through an SMTP server (plain, STARTTLS or SSL, with optional login)."""

    delivers = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, email: Email) -> None:
        s = self.settings
        problem = address_problem(email.to)
        if problem is not None:  # stored before addresses were checked: never sent, never retried
            raise DeliveryRefused(f"the digest's recipient {email.to!r} is not one email address: {problem}", None)
        try:
            if s.smtp_security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s,
                                                        context=ssl.create_default_context())  # fmt: skip
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
            with client:
                if s.smtp_security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    client.login(s.smtp_user, s.smtp_password)
                client.send_message(email.to_message(), from_addr=email.sender, to_addrs=[email.to])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
            code = _reply_code(exc)
            message = f"SMTP {s.smtp_host}:{s.smtp_port} did not accept the digest to {email.to}: {exc}"
            if code is not None and 500 <= code < 600:
                raise DeliveryRefused(message + " (permanent)", code) from exc
            raise NotifyError(message) from exc
        except (OSError, smtplib.SMTPException, ValueError, IndexError) as exc:
            raise NotifyError(
                f"SMTP {s.smtp_host}:{s.smtp_port} did not accept the digest to {email.to}: {exc}"
            ) from exc


def _reply_code(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return codes[0] if codes else None
    return exc.smtp_code


class DirectorySender:
    """``--dry-run``: writes each digest as an .eml file instead of sending it (it stays pending in the outbox,
    so the next real run sends it)."""

    delivers = False

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, email: Email) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = email.message_id.strip("<>").split("@")[0] + ".eml"
            (self.directory / name).write_bytes(email.to_message().as_bytes())
        except OSError as exc:
            raise NotifyError(f"cannot write the digest to {self.directory}: {exc}") from exc
