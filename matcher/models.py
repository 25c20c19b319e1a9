"""Typed values that pass between modules: a trial as we store it, and its sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Site:
    facility: str | None
    city: str | None
    state: str | None
    country: str | None
    status: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Trial:
    """One study, reduced to what matching and listing need; ``raw`` keeps the whole study object."""

    nct_id: str
    brief_title: str
    official_title: str | None
    overall_status: str
    phases: tuple[str, ...]
    conditions: tuple[str, ...]
    interventions: tuple[str, ...]
    minimum_age: str | None
    maximum_age: str | None
    sex: str | None
    healthy_volunteers: bool | None
    eligibility_text: str
    last_update_posted: date | None
    content_hash: str
    sites: tuple[Site, ...]
    raw: dict[str, Any]
