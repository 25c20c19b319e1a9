"""Settings, read once from the environment (``MATCHER_*``) and an optional TOML file, then passed down.

Precedence: environment variable > config file (``MATCHER_CONFIG`` or ``<config dir>/matcher.toml``) > default.
See docs/configuration.md for every setting.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from matcher.errors import ConfigError

APP_NAME = "matcher"
CTGOV_URL = "https://clinicaltrials.gov/api/v2"

# The default search: thyroid cancer with radioiodine-refractory terms, statuses that can still enrol.
DEFAULT_CONDITION = "thyroid cancer"
DEFAULT_TERM = (
    '"radioiodine refractory" OR "radioiodine-refractory" OR "RAI refractory" OR "RAI-refractory" '
    'OR "iodine refractory" OR "iodine-refractory" OR "radioactive iodine refractory" OR RAIR'
)
ENROLLING_STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")
# Coordinators' review statuses and news preferences (`monitor_store`), here so that a command's --help can list
# them without loading the database layer.
REVIEW_STATUSES = ("new", "reviewing", "contacted", "enrolled", "not_eligible", "dismissed")
NEWS_KINDS = ("new_match", "verdict_change", "status_change", "site_opened")
DELIVERIES = ("daily", "weekly")
DEFAULT_WATCH_LIST = ("NCT04554680", "NCT03753919")


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'matcher.sqlite'}"


# A patient's travel radius when the profile gives none: "near" in the digests and in the score's proximity.
DEFAULT_RADIUS_KM = 500.0


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    ctgov_url: str = CTGOV_URL
    search_condition: str = DEFAULT_CONDITION
    search_term: str = DEFAULT_TERM
    search_statuses: tuple[str, ...] = ENROLLING_STATUSES
    watch_list: tuple[str, ...] = DEFAULT_WATCH_LIST
    request_interval_s: float = 1.0
    timeout_s: float = 30.0
    retries: int = 5
    retry_after_max_s: float = 300.0
    request_deadline_s: float = 300.0
    run_deadline_s: float = 4 * 3600.0
    page_size: int = 1000
    overlap_days: int = 1
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_security: str = "none"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout_s: float = 30.0
    smtp_permanent_tries: int = 3  # nights a 5xx-refused digest is tried before it is given up
    mail_from: str = "matcher@localhost"
    default_radius_km: float = DEFAULT_RADIUS_KM
    schedule_cron: str = "30 2 * * *"
    schedule_timezone: str = "UTC"
    misfire_grace_s: int = 6 * 3600
    lock_stale_s: int = 12 * 3600  # ignored since the database holds the lock (kept so that configs still load)
    sqlite_busy_timeout_s: float = 30.0
    # The review desk (`matcher serve`): the key that signs session cookies (empty: a random one per process, so
    # a restart signs everyone out), cookies sent over HTTPS only (behind a TLS proxy), minutes of idleness allowed.
    web_secret: str = ""
    web_secure_cookies: bool = False
    web_idle_timeout_min: int = 30
    # The desk's public address (https://desk.hospital.example/matcher/), for the links in digests; empty: none.
    web_url: str = ""
    # A digest lists at most this many items a patient (then "and M more", with where to see them), and stays
    # under digest_max_bytes whatever the number of patients (what it leaves out, it names).
    digest_items_per_patient: int = 10
    digest_max_bytes: int = 1_000_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from a config file and ``MATCHER_<FIELD>`` variables (the latter win)."""
        values: dict[str, Any] = {}
        config_path = environ.get("MATCHER_CONFIG")
        path = Path(config_path) if config_path else Path(platformdirs.user_config_dir(APP_NAME)) / "matcher.toml"
        if path.exists():
            values.update(_read_toml(path))
        elif config_path:
            raise ConfigError(f"MATCHER_CONFIG points to {path}, which does not exist")
        for f in fields(cls):
            key = f"MATCHER_{f.name.upper()}"
            if key in environ:
                values[f.name] = environ[key]
        return cls()._with(values, source=str(path))

    def _with(self, values: Mapping[str, Any], source: str) -> Settings:
        converted: dict[str, Any] = {}
        known = {f.name: f for f in fields(self)}
        for name, raw in values.items():
            if name not in known:
                raise ConfigError(f"{source}: unknown setting {name!r}")
            converted[name] = _convert(name, raw, getattr(self, name))
        settings = replace(self, **converted)
        settings._check()
        return settings

    def _check(self) -> None:
        if self.smtp_security not in ("none", "starttls", "ssl"):
            raise ConfigError(f"smtp_security must be none, starttls or ssl, not {self.smtp_security!r}")
        if not 1 <= self.page_size <= 1000:
            raise ConfigError(f"page_size must be between 1 and 1000, not {self.page_size}")
        if self.smtp_permanent_tries < 1:
            raise ConfigError(f"smtp_permanent_tries must be at least 1, not {self.smtp_permanent_tries}")
        if self.request_interval_s < 0 or self.timeout_s <= 0:
            raise ConfigError("request_interval_s must be >= 0 and timeout_s > 0")
        for name in ("retry_after_max_s", "run_deadline_s"):
            if not getattr(self, name) >= 0:  # also refuses nan
                raise ConfigError(f"{name} must be a number of seconds >= 0, not {getattr(self, name)!r}")
        if not self.request_deadline_s > 0:
            raise ConfigError(f"request_deadline_s must be a number of seconds > 0, not {self.request_deadline_s!r}")
        if not 1 <= self.web_idle_timeout_min <= 24 * 60:
            raise ConfigError(f"web_idle_timeout_min must be between 1 and 1440, not {self.web_idle_timeout_min}")
        if self.digest_items_per_patient < 1:
            raise ConfigError(f"digest_items_per_patient must be at least 1, not {self.digest_items_per_patient}")
        if self.digest_max_bytes < 50_000:
            raise ConfigError(f"digest_max_bytes must be at least 50000, not {self.digest_max_bytes}")
        if not 0 < self.sqlite_busy_timeout_s <= 24 * 3600:
            raise ConfigError(f"sqlite_busy_timeout_s must be > 0 and at most 86400, not {self.sqlite_busy_timeout_s}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    section = data.get("matcher", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [matcher] must be a table")
    return section


def _convert(name: str, raw: Any, default: Any) -> Any:
    """Convert a string (environment) or TOML value to the type of the field's default."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            items = raw if isinstance(raw, list) else str(raw).split(",")
            return tuple(str(item).strip() for item in items if str(item).strip())
        return str(raw)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"setting {name}: cannot read {raw!r} as {type(default).__name__}") from exc
