"""Build the vcrpy cassettes in this folder from the real ClinicalTrials.gov records in ../shared.

These cassettes are NOT recordings: no request was ever sent to clinicaltrials.gov. Every interaction is
synthesised here, which is why the files are named ``replay_*.yaml``:

* request: ``GET https://clinicaltrials.gov/api/v2/...`` with exactly the query parameters that
  `matcher.ctgov_client.CtGovClient` must send (API v2 paging rules, ../shared/ctgov/README.md section 5). The
  tests replay with ``match_on=[method, scheme, host, port, path, query]`` and ``record_mode="none"``, so a request
  with a missing, extra or different parameter finds no interaction and fails the test.
* response: status 200, ``Content-Type: application/json``, body = ``json.dumps`` of a page
  ``{"totalCount"?, "studies": [...], "nextPageToken"?}`` (compact, keys in the order of the real pages in
  ../shared/ctgov/raw/api_v2/pages/) or of one study object. ``totalCount`` is on the first page only (the
  client asks ``countTotal=true`` there), ``nextPageToken`` on every page but the last.

What it reads (``MATCHER_SHARED_DIR`` overrides ../shared, as in tests/conftest.py):

* ../shared/ctgov/studies/<NCT>.json — the real study objects (API v2-shaped conversions of real records); the
  top-level ``derivedFrom`` key, which a live response does not have, is dropped.
* ../shared/ctgov/raw/api_v2/pages/page1_intr-pembrolizumab_startdate-range_fields.json — a real first page;
  its ``nextPageToken`` is reused as the token of the two-page replay.
* ../shared/bench/trec2021_topic11_thyroid/trials/NCT01811212.json — ``raw_criteria`` is the live API's Markdown
  rendering of NCT01811212's eligibility text (with ``\\>=`` and ``=\\<`` escapes). It REPLACES the legacy-layout
  ``eligibilityModule.eligibilityCriteria`` of studies/NCT01811212.json in
  ``replay_study_NCT01811212_markdown_criteria.yaml`` (README section 3: how to serve a v2-faithful thyroid study).

What is made up, because ../shared holds no real value for it:

* NCT04554680 (on the default watch list) has no record in ../shared: the watch-list replay answers with the one
  watched study that is there, NCT03753919 (``totalCount`` 1).
* ``/version``'s ``dataTimestamp`` (the format is the spec's ``yyyy-MM-dd'T'HH:mm:ss``; ``apiVersion`` 2.0.5 is
  the documented current version).
* The replays do not search: the studies of a page are chosen here (thyroid trials whose status at their data
  date is an enrolling one), whatever the query says. Tests assert on the parameters sent instead.

Rerun from the project root after changing ../shared, the search defaults in matcher/config.py or this script:

    .venv/bin/python tests/cassettes/build_cassettes.py            # rewrite the cassettes
    .venv/bin/python tests/cassettes/build_cassettes.py --check    # exit 1 if a cassette is out of date

The output is deterministic; tests/test_ctgov_client.py checks that the committed cassettes equal it.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from matcher.config import CTGOV_URL, DEFAULT_CONDITION, DEFAULT_TERM, ENROLLING_STATUSES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("MATCHER_SHARED_DIR", ROOT.parent / "shared"))
STUDIES = SHARED / "ctgov" / "studies"
REAL_PAGE_1 = SHARED / "ctgov" / "raw" / "api_v2" / "pages" / "page1_intr-pembrolizumab_startdate-range_fields.json"
MARKDOWN_TRIAL = SHARED / "bench" / "trec2021_topic11_thyroid" / "trials" / "NCT01811212.json"

# The default RAIR-DTC search (matcher.sources.ApiSource.search_params) without a since date.
SEARCH = {
    "query.cond": DEFAULT_CONDITION,
    "query.term": DEFAULT_TERM,
    "filter.overallStatus": ",".join(ENROLLING_STATUSES),
}
SINCE = "2026-11-25"
TWO_PAGES = (["NCT01321554", "NCT02973997", "NCT03469011"], ["NCT03602495", "NCT03690388"])
PAGE_SIZE = len(TWO_PAGES[0])
UPDATED_SINCE = ["NCT03506048", "NCT03246958"]
WATCH_LIST = ("NCT04554680", "NCT03753919")  # as in matcher.config.DEFAULT_WATCH_LIST
WATCHED_IN_SHARED = ["NCT03753919"]  # WATCH_LIST minus NCT04554680, which ../shared does not have
VERSION = {"apiVersion": "2.0.5", "dataTimestamp": "2026-11-25T09:00:05"}


def study(nct_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((STUDIES / f"{nct_id}.json").read_text(encoding="utf-8"))
    data.pop("derivedFrom", None)
    return data


def page(nct_ids: list[str], *, total: int | None = None, token: str | None = None) -> dict[str, Any]:
    """A ``GET /studies`` page in the real key order: totalCount, studies, nextPageToken."""
    body: dict[str, Any] = {} if total is None else {"totalCount": total}
    body["studies"] = [study(n) for n in nct_ids]
    if token is not None:
        body["nextPageToken"] = token
    return body


def interaction(path: str, params: Mapping[str, str | int] | None, body: Any) -> dict[str, Any]:
    query = f"?{urlencode(params)}" if params else ""
    return {
        "request": {"body": None, "headers": {}, "method": "GET", "uri": f"{CTGOV_URL}{path}{query}"},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body, ensure_ascii=False, separators=(",", ":"))},
        },
    }


def search_pages(params: Mapping[str, str | int], pages: list[dict[str, Any]], page_size: int) -> list[dict[str, Any]]:
    """The interactions of a paged search: countTotal on the first request, pageToken on the others."""
    first: dict[str, str | int] = {**params, "format": "json", "pageSize": page_size, "countTotal": "true"}
    follow_up = {k: v for k, v in first.items() if k != "countTotal"}
    interactions = [interaction("/studies", first, pages[0])]
    for previous, body in itertools.pairwise(pages):
        interactions.append(interaction("/studies", follow_up | {"pageToken": previous["nextPageToken"]}, body))
    return interactions


def cassettes() -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """File name -> (what it replays, interactions)."""
    token = json.loads(REAL_PAGE_1.read_text(encoding="utf-8"))["nextPageToken"]
    total = sum(len(p) for p in TWO_PAGES)
    two_pages = [page(TWO_PAGES[0], total=total, token=token), page(TWO_PAGES[1])]
    markdown = study("NCT01811212")
    markdown["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = json.loads(
        MARKDOWN_TRIAL.read_text(encoding="utf-8")
    )["raw_criteria"]
    # An incremental search asks for every status (a trial that closed must come back with its new status).
    incremental = {k: v for k, v in SEARCH.items() if k != "filter.overallStatus"}
    since = {**incremental, "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{SINCE},MAX]"}
    watch = {"filter.ids": ",".join(WATCH_LIST)}
    return {
        "replay_thyroid_search_2pages.yaml": (
            f"the default search, pageSize {PAGE_SIZE}, over two pages: {TWO_PAGES[0]} then {TWO_PAGES[1]}",
            search_pages(SEARCH, two_pages, PAGE_SIZE),
        ),
        f"replay_api_source_since_{SINCE}.yaml": (
            f"ApiSource.records(since={SINCE}): the search with filter.advanced (one page: {UPDATED_SINCE}), "
            f"then the watch list {list(WATCH_LIST)} (only {WATCHED_IN_SHARED} is in ../shared)",
            search_pages(since, [page(UPDATED_SINCE, total=len(UPDATED_SINCE))], 1000)
            + search_pages(watch, [page(WATCHED_IN_SHARED, total=len(WATCHED_IN_SHARED))], 1000),
        ),
        "replay_study_NCT03690388.yaml": (
            "GET /studies/NCT03690388 (COSMIC-311) -> studies/NCT03690388.json",
            [interaction("/studies/NCT03690388", {"format": "json"}, study("NCT03690388"))],
        ),
        "replay_study_NCT01811212_markdown_criteria.yaml": (
            "GET /studies/NCT01811212 -> studies/NCT01811212.json with eligibilityCriteria REPLACED by the live "
            "Markdown text (raw_criteria of ../shared/bench/trec2021_topic11_thyroid/trials/NCT01811212.json)",
            [interaction("/studies/NCT01811212", {"format": "json"}, markdown)],
        ),
        "replay_version.yaml": (
            "GET /version (dataTimestamp made up; format as in the OpenAPI spec)",
            [interaction("/version", None, VERSION)],
        ),
    }


def render(what: str, interactions: list[dict[str, Any]]) -> str:
    header = (
        "# SYNTHESISED by tests/cassettes/build_cassettes.py from real records in ../shared -- NOT a recording.\n"
        f"# Replays: {what}.\n"
        "# Do not edit by hand; rerun: .venv/bin/python tests/cassettes/build_cassettes.py\n"
    )
    data = {"version": 1, "interactions": interactions}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    assert yaml.safe_load(text) == data, "the YAML does not round-trip"
    return header + text


def build() -> dict[str, str]:
    """File name -> cassette text."""
    return {name: render(what, items) for name, (what, items) in cassettes().items()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in build().items():
        path = HERE / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            path.write_text(text, encoding="utf-8")
    verb = "out of date" if check else "written"
    print(f"{len(stale)} cassette(s) {verb}: {', '.join(stale) or '-'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
