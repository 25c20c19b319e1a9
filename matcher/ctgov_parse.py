"""Pure transforms from ClinicalTrials.gov API v2 study JSON to `models.Trial`.

This is the only module that reads raw study dicts; everything after it passes typed objects.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

from matcher.errors import CtGovDataError
from matcher.models import Site, Trial

NCT_ID = re.compile(r"^NCT\d{8}$")

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


def nct_id_of(study: dict[str, Any]) -> str:
    nct_id = _module(study, "identificationModule").get("nctId")
    if not isinstance(nct_id, str) or not NCT_ID.match(nct_id):
        raise CtGovDataError(f"study has no valid identificationModule.nctId (found {nct_id!r})")
    return nct_id


def content_hash(study: dict[str, Any]) -> str:
    """Hash of the parts that matter for matching and for what coordinators see and filter on: eligibility,
    status, locations, arms, and the titles, phases and conditions.

    Other edits (a new contact phone, a reference, ``lastUpdatePostDate`` itself) do not change it: such a
    study is counted unchanged and not written, parsed or matched again.
    """
    status = _module(study, "statusModule")
    locations = _module(study, "contactsLocationsModule").get("locations", [])
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
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_date(value: object) -> date | None:
    """API dates are ``YYYY-MM-DD`` or ``YYYY-MM``; a month-only date becomes the first of the month."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        return None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _site(location: dict[str, Any]) -> Site:
    geo = location.get("geoPoint") if isinstance(location.get("geoPoint"), dict) else {}
    assert isinstance(geo, dict)
    return Site(
        facility=location.get("facility"),
        city=location.get("city"),
        state=location.get("state"),
        country=location.get("country"),
        status=location.get("status"),
        lat=_float(geo.get("lat")),
        lon=_float(geo.get("lon")),
    )


def parse_study(study: dict[str, Any]) -> Trial:
    """Turn one API v2 study object into a `Trial`.

    Raises:
        CtGovDataError: the object lacks an NCT id or has modules of the wrong type.
    """
    nct_id = nct_id_of(study)
    ident = _module(study, "identificationModule")
    status = _module(study, "statusModule")
    design = _module(study, "designModule")
    eligibility = _module(study, "eligibilityModule")
    arms = _module(study, "armsInterventionsModule")
    locations = _module(study, "contactsLocationsModule").get("locations", [])
    interventions = arms.get("interventions", [])
    update = status.get("lastUpdatePostDateStruct")
    healthy = eligibility.get("healthyVolunteers")
    return Trial(
        nct_id=nct_id,
        brief_title=str(ident.get("briefTitle") or ident.get("officialTitle") or nct_id),
        official_title=ident.get("officialTitle"),
        overall_status=str(status.get("overallStatus") or "UNKNOWN"),
        phases=_strings(design.get("phases")),
        conditions=_strings(_module(study, "conditionsModule").get("conditions")),
        interventions=tuple(str(item["name"]) for item in interventions if isinstance(item, dict) and item.get("name")),
        minimum_age=eligibility.get("minimumAge"),
        maximum_age=eligibility.get("maximumAge"),
        sex=eligibility.get("sex"),
        healthy_volunteers=healthy if isinstance(healthy, bool) else None,
        eligibility_text=unescape_markdown(str(eligibility.get("eligibilityCriteria") or "")),
        last_update_posted=parse_date(update.get("date") if isinstance(update, dict) else None),
        content_hash=content_hash(study),
        sites=tuple(_site(loc) for loc in locations if isinstance(loc, dict)),
        raw=study,
    )
