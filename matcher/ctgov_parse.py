"""Pure transforms from ClinicalTrials.gov API v2 study JSON to `models.Trial`.

This is the only module that reads raw study dicts; everything after it passes typed objects.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

from matcher import geo
from matcher.errors import CtGovDataError
from matcher.models import GEO_GAZETTEER, GEO_REGISTRY, GEO_UNPLACED, Contact, Site, Trial

NCT_ID = re.compile(r"NCT[0-9]{8}")  # used with fullmatch: "$" would let a trailing newline through

# The live API renders text as Markdown and escapes Markdown's special characters with a backslash
# (`\>`, `\<`, `\*`, `\[`, ...; ../shared/ctgov/README.md section 3). The parser needs the clinical text.
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~^=])")


def unescape_markdown(text: str) -> str:
    """Remove Markdown backslash escapes: ``CD4 \\> 200`` becomes ``CD4 > 200``."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def _module(study: dict[str, Any], name: str) -> dict[str, Any]:
    section = study.get("protocolSection")
    if not isinstance(section, dict):
        raise CtGovDataError("study has no protocolSection")
    value = section.get(name, {})
    if not isinstance(value, dict):
        raise CtGovDataError(f"protocolSection.{name} is not an object")
    return value


def normalise_nct_id(value: object) -> str:
    """``" nct01234567\\n"`` -> ``"NCT01234567"``: surrounding whitespace dropped, upper case, then exactly
    ``NCT`` and eight digits. Every NCT id from outside goes through this before any use.

    Raises:
        CtGovDataError: not an NCT id, even so.
    """
    normalised = value.strip().upper() if isinstance(value, str) else None
    if normalised is None or not NCT_ID.fullmatch(normalised):
        raise CtGovDataError(f"{repr(value)[:60]} is not an NCT id (NCT followed by 8 digits)")
    return normalised


def nct_id_of(study: dict[str, Any]) -> str:
    nct_id = _module(study, "identificationModule").get("nctId")
    try:
        return normalise_nct_id(nct_id)
    except CtGovDataError:
        raise CtGovDataError(f"study has no valid identificationModule.nctId (found {repr(nct_id)[:60]})") from None


def _text(value: object, where: str) -> str | None:
    """Registry text for a column: a string (a number is written as one), without NUL characters (PostgreSQL text
    cannot hold them; they carry no meaning), and storable as UTF-8.

    Raises:
        CtGovDataError: an object or list where text belongs, or a lone surrogate (not Unicode text).
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise CtGovDataError(f"{where} is {type(value).__name__}, not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CtGovDataError(f"{where} is not valid Unicode text ({exc.reason} at {exc.start})") from None
    return value.replace("\x00", "")


def content_hash(study: dict[str, Any]) -> str:
    """Hash of the parts that matter for matching and for what coordinators see and filter on: eligibility,
    status, locations, arms, and the titles, phases and conditions.

    Other edits (a new contact phone, a reference, ``lastUpdatePostDate`` itself) do not change it: such a
    study is counted unchanged and not written, parsed or matched again.
    """
    status = _module(study, "statusModule")
    locations = _module(study, "contactsLocationsModule").get("locations", [])
    locations = locations if isinstance(locations, list) else []
    relevant = {
        "eligibility": _module(study, "eligibilityModule"),
        "status": [status.get("overallStatus"), status.get("lastKnownStatus")],
        "locations": [
            {k: loc.get(k) for k in ("facility", "city", "state", "country", "status", "geoPoint")}
            for loc in locations
            if isinstance(loc, dict)
        ],
        "arms": _module(study, "armsInterventionsModule"),
        "titles": [_module(study, "identificationModule").get(k) for k in ("briefTitle", "officialTitle")],
        "phases": _module(study, "designModule").get("phases"),
        "conditions": _module(study, "conditionsModule").get("conditions"),
    }
    canonical = json.dumps(relevant, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: a lone surrogate must not crash the hash (parse_study then names the field that holds it).
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def parse_date(value: object) -> date | None:
    """API dates are ``YYYY-MM-DD`` or ``YYYY-MM``; a month-only date becomes the first of the month."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        return None


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(_text(item, where) or "" for item in value if isinstance(item, str))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _contact(value: object, role: str, where: str) -> Contact | None:
    if not isinstance(value, dict):
        return None
    phone = _text(value.get("phone"), f"{where}.phone")
    extension = _text(value.get("phoneExt"), f"{where}.phoneExt")
    if phone and extension:
        phone = f"{phone} ext. {extension}"
    contact = Contact(
        role=role,
        name=_text(value.get("name"), f"{where}.name"),
        phone=phone,
        email=_text(value.get("email"), f"{where}.email"),
        affiliation=_text(value.get("affiliation"), f"{where}.affiliation"),
        title=_text(value.get("role"), f"{where}.role"),
    )
    return contact if contact.name or contact.phone or contact.email else None


def _contacts(module: dict[str, Any]) -> tuple[Contact, ...]:
    """Central contacts (the first is ``central``, the others ``central_backup``), then overall officials."""
    found = [
        _contact(c, "central" if i == 0 else "central_backup", f"contactsLocationsModule.centralContacts[{i}]")
        for i, c in enumerate(_list(module.get("centralContacts")))
    ]
    found += [
        _contact(c, "official", f"contactsLocationsModule.overallOfficials[{i}]")
        for i, c in enumerate(_list(module.get("overallOfficials")))
    ]
    return tuple(c for c in found if c is not None)


def _site(location: dict[str, Any], position: int) -> Site:
    point = location.get("geoPoint") if isinstance(location.get("geoPoint"), dict) else {}
    assert isinstance(point, dict)
    where = f"contactsLocationsModule.locations[{position}]"
    city = _text(location.get("city"), f"{where}.city")
    state = _text(location.get("state"), f"{where}.state")
    country = _text(location.get("country"), f"{where}.country")
    lat, lon = _float(point.get("lat")), _float(point.get("lon"))
    source = GEO_REGISTRY
    if lat is None or lon is None:  # no geoPoint (legacy records): the offline gazetteer, by city
        found = geo.place(city, state, country)
        lat, lon = (found.lat, found.lon) if found else (None, None)
        source = GEO_GAZETTEER if found else GEO_UNPLACED
    contacts = (_contact(c, "site", f"{where}.contacts[{i}]") for i, c in enumerate(_list(location.get("contacts"))))
    return Site(
        facility=_text(location.get("facility"), f"{where}.facility"),
        city=city,
        state=state,
        country=country,
        status=_text(location.get("status"), f"{where}.status"),
        lat=lat,
        lon=lon,
        contacts=tuple(c for c in contacts if c is not None),
        geo_source=source,
    )


def parse_study(study: dict[str, Any]) -> Trial:
    """Turn one API v2 study object into a `Trial`.

    Raises:
        CtGovDataError: the object lacks a valid NCT id, has modules of the wrong type, or text that cannot be
            stored (the message names the study and the field).
    """
    nct_id = nct_id_of(study)
    try:
        return _parse(study, nct_id)
    except CtGovDataError as exc:
        raise CtGovDataError(f"{nct_id}: {exc}") from None
    except RecursionError:  # the content hash serialises the modules it covers
        raise CtGovDataError(f"{nct_id}: the study's JSON is nested too deeply") from None


def _parse(study: dict[str, Any], nct_id: str) -> Trial:
    ident = _module(study, "identificationModule")
    status = _module(study, "statusModule")
    design = _module(study, "designModule")
    eligibility = _module(study, "eligibilityModule")
    arms = _module(study, "armsInterventionsModule")
    places = _module(study, "contactsLocationsModule")
    locations = places.get("locations", [])
    interventions = arms.get("interventions", [])
    update = status.get("lastUpdatePostDateStruct")
    healthy = eligibility.get("healthyVolunteers")
    official_title = _text(ident.get("officialTitle"), "identificationModule.officialTitle")
    return Trial(
        nct_id=nct_id,
        brief_title=_text(ident.get("briefTitle"), "identificationModule.briefTitle") or official_title or nct_id,
        official_title=official_title,
        overall_status=_text(status.get("overallStatus"), "statusModule.overallStatus") or "UNKNOWN",
        phases=_strings(design.get("phases"), "designModule.phases"),
        conditions=_strings(_module(study, "conditionsModule").get("conditions"), "conditionsModule.conditions"),
        interventions=tuple(
            _text(item["name"], "armsInterventionsModule.interventions.name") or ""
            for item in _list(interventions)
            if isinstance(item, dict) and item.get("name")
        ),
        minimum_age=_text(eligibility.get("minimumAge"), "eligibilityModule.minimumAge"),
        maximum_age=_text(eligibility.get("maximumAge"), "eligibilityModule.maximumAge"),
        sex=_text(eligibility.get("sex"), "eligibilityModule.sex"),
        healthy_volunteers=healthy if isinstance(healthy, bool) else None,
        eligibility_text=unescape_markdown(
            _text(eligibility.get("eligibilityCriteria"), "eligibilityModule.eligibilityCriteria") or ""
        ),
        last_update_posted=parse_date(update.get("date") if isinstance(update, dict) else None),
        content_hash=content_hash(study),
        sites=tuple(
            _site(loc, i)
            for i, loc in enumerate(locations if isinstance(locations, list) else [])
            if isinstance(loc, dict)
        ),
        raw=study,
        contacts=_contacts(places),
    )
