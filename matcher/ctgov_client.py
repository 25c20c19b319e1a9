"""HTTP client for the ClinicalTrials.gov API v2: paging, retries, rate limit. Yields study JSON.

Facts it relies on (../shared/ctgov/README.md section 5, openapi/ctg-oas-v2.2.0.5.yaml):
- ``GET /studies`` pages with ``nextPageToken``; follow-up requests repeat every parameter except
  ``countTotal``, ``pageSize`` and ``pageToken``. ``pageSize`` is at most 1000.
- Errors come back as plain text (400 bad parameter, 404 unknown study). A page token can expire at the
  daily data refresh; the API then answers 400 to the follow-up request.
- Rate limits are not documented; robots.txt asks for one request a second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from matcher import __version__
from matcher.errors import (
    CtGovConnectionError,
    CtGovDataError,
    CtGovHTTPError,
    CtGovTimeout,
    PageTokenExpired,
)

logger = logging.getLogger(__name__)

USER_AGENT = f"matcher/{__version__} (RAIR-DTC clinical-trial matcher; +https://github.com/matcher)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


def make_session(retries: int, backoff_factor: float = 1.0) -> requests.Session:
    """A session that retries 429 and 5xx with exponential backoff and honours ``Retry-After``."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        backoff_max=60,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # give us the last response, so the error can carry its body
    )
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


class CtGovClient:
    """ClinicalTrials.gov API v2 over an injected `requests.Session`.

    Args:
        base_url: e.g. ``https://clinicaltrials.gov/api/v2`` (tests point it at a loopback server).
        session: carries retries and headers; see `make_session`.
        timeout_s: connect and read timeout of each request.
        interval_s: the least time between two requests (politeness).
    """

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        *,
        timeout_s: float = 30.0,
        interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout_s = timeout_s
        self.interval_s = interval_s
        self._clock = clock
        self._sleep = sleep
        self._last_request: float | None = None

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            remaining = self.interval_s - (self._clock() - self._last_request)
            if remaining > 0:
                self._sleep(remaining)
        self._last_request = self._clock()

    def _get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        url = f"{self.base_url}{path}"
        self._wait_turn()
        try:
            response = self.session.get(url, params=params, timeout=self.timeout_s)
        except requests.Timeout as exc:
            raise CtGovTimeout(f"no answer from {url} within {self.timeout_s:g} s") from exc
        except requests.RequestException as exc:
            # With a Retry mounted, requests reports a read timeout as ConnectionError(MaxRetryError(reason=
            # ReadTimeoutError)) (psf/requests#5430); it is still a timeout.
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(reason, ReadTimeoutError):
                raise CtGovTimeout(f"no answer from {url} within {self.timeout_s:g} s") from exc
            raise CtGovConnectionError(f"cannot reach {url}: {exc}") from exc
        logger.info("HTTP GET %s -> %s", response.url, response.status_code)
        if response.status_code != 200:
            error = PageTokenExpired if params and "pageToken" in params and response.status_code == 400 else None
            raise (error or CtGovHTTPError)(response.status_code, response.url, response.text)
        try:
            return response.json()
        except ValueError as exc:
            raise CtGovDataError(f"{response.url} did not answer with JSON: {response.text[:200]!r}") from exc

    def version(self) -> dict[str, Any]:
        """``GET /version``: ``{"apiVersion": ..., "dataTimestamp": ...}``."""
        data = self._get("/version")
        if not isinstance(data, dict):
            raise CtGovDataError(f"{self.base_url}/version: expected an object")
        return data

    def study(self, nct_id: str) -> dict[str, Any]:
        """``GET /studies/{nctId}``; requests follows the 301 from an alias id to the real one."""
        data = self._get(f"/studies/{nct_id}", {"format": "json"})
        if not isinstance(data, dict):
            raise CtGovDataError(f"{self.base_url}/studies/{nct_id}: expected an object")
        return data

    def pages(self, params: Mapping[str, str | int], page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every page of ``GET /studies`` for these parameters, following ``nextPageToken``.

        Raises:
            PageTokenExpired: a follow-up page's token was refused (the data refreshed); start again.
        """
        first: dict[str, str | int] = {**params, "format": "json", "pageSize": min(page_size, 1000)}
        first["countTotal"] = "true"
        request = first
        page_number = 1
        while True:
            page = self._get("/studies", request)
            if not isinstance(page, dict) or not isinstance(page.get("studies"), list):
                raise CtGovDataError(f"page {page_number} of /studies has no 'studies' list")
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            # Follow-up pages repeat every parameter except countTotal (pageSize stays, as the API expects it
            # to stay constant across pages), plus the token.
            request = {k: v for k, v in first.items() if k != "countTotal"} | {"pageToken": str(token)}
            page_number += 1

    def studies(self, params: Mapping[str, str | int], page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every study of a search, across pages; restarts once from page 1 if a page token expires."""
        for attempt in (1, 2):
            try:
                for page in self.pages(params, page_size):
                    yield from page["studies"]
                return
            except PageTokenExpired:
                if attempt == 2:
                    raise
                logger.warning("page token expired (data refreshed); restarting the search from page 1")
