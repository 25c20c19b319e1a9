"""APScheduler 3.x wiring for `matcher schedule`: the nightly job on a cron expression, nothing else.

The job store is the application's own database, so a restarted scheduler knows when the job last ran.
``coalesce`` folds missed runs into one, ``max_instances=1`` keeps runs from overlapping inside one process
(the database lock in `jobs.run_nightly` does so across processes), and ``misfire_grace_time`` lets a run
that was due while the machine was down still happen when it comes back within the grace time
(agronholm/apscheduler#296).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from matcher.config import Settings
from matcher.db import normalise_url
from matcher.errors import ConfigError

logger = logging.getLogger(__name__)
JOB_ID = "matcher-nightly"

# A persisted job names its function by reference and cannot carry our Settings (it would store the SMTP
# password in the job table); the process that runs the scheduler registers the job body here instead.
_job_body: Callable[[], None] | None = None


def nightly_job() -> None:
    if _job_body is None:
        raise RuntimeError("the scheduler was started without a job body")
    _job_body()


def trigger_for(settings: Settings) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(settings.schedule_cron, timezone=settings.schedule_timezone)
    except (ValueError, LookupError) as exc:
        raise ConfigError(
            f"schedule_cron {settings.schedule_cron!r} / timezone {settings.schedule_timezone!r}: {exc}"
        ) from exc


def build_scheduler(
    settings: Settings,
    body: Callable[[], None],
    scheduler: BaseScheduler | None = None,
    trigger: BaseTrigger | None = None,
) -> BaseScheduler:
    """A scheduler with the nightly job registered (not started)."""
    global _job_body
    _job_body = body
    trigger = trigger or trigger_for(settings)  # checks the cron expression and the time zone first
    chosen = scheduler or BlockingScheduler(timezone=settings.schedule_timezone)
    chosen.add_jobstore(SQLAlchemyJobStore(url=normalise_url(settings.database_url)), alias="default")
    chosen.add_job(
        nightly_job,
        trigger,
        id=JOB_ID,
        name="matcher nightly run",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=settings.misfire_grace_s,
    )
    return chosen


def run_forever(scheduler: BaseScheduler) -> None:
    """Start a blocking scheduler; SIGINT and SIGTERM shut it down after the running job finishes."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.warning("received signal %s: shutting down after the running job", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
