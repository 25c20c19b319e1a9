"""Database tables (SQLModel). The schema's history is in db/migrations; keep the two in step.

Queries live in `matcher.store`; nothing else builds SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class TrialRow(SQLModel, table=True):
    __tablename__ = "trial"

    nct_id: str = Field(primary_key=True, max_length=11)
    brief_title: str = Field(sa_column=Column(Text, nullable=False))
    official_title: str | None = Field(default=None, sa_column=Column(Text))
    overall_status: str = Field(index=True, max_length=40)
    phases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    conditions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interventions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    minimum_age: str | None = Field(default=None, max_length=40)
    maximum_age: str | None = Field(default=None, max_length=40)
    sex: str | None = Field(default=None, max_length=10)
    healthy_volunteers: bool | None = None
    eligibility_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    last_update_posted: date | None = None
    content_hash: str = Field(max_length=64)
    raw: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    first_seen_at: datetime
    updated_at: datetime


class SiteRow(SQLModel, table=True):
    __tablename__ = "trial_site"
    __table_args__ = (Index("ix_trial_site_nct_id", "nct_id"),)

    id: int | None = Field(default=None, primary_key=True)
    nct_id: str = Field(foreign_key="trial.nct_id", max_length=11, ondelete="CASCADE")
    position: int
    facility: str | None = Field(default=None, sa_column=Column(Text))
    city: str | None = Field(default=None, max_length=200)
    state: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=40)
    lat: float | None = None
    lon: float | None = None


class FetchRunRow(SQLModel, table=True):
    __tablename__ = "fetch_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(Text, nullable=False))
    mode: str = Field(max_length=20)  # full | incremental
    since: date | None = None
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = Field(default="running", max_length=20, index=True)  # running | succeeded | failed
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0
    n_failed: int = 0
    watermark: date | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))


class LockRow(SQLModel, table=True):
    """A named, database-level lock: one row per held lock (works the same on SQLite and PostgreSQL)."""

    __tablename__ = "job_lock"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=200)
    acquired_at: datetime


__all__ = ["FetchRunRow", "LockRow", "SiteRow", "TrialRow", "UniqueConstraint"]
