"""HTTP client for the ClinicalTrials.gov API v2: paging, retries, rate limit. Yields study JSON.

Facts it relies on (../shared/ctgov/README.md section 5, openapi/ctg-oas-v2.2.0.5.yaml):
- ``GET /studies`` pages with ``nextPageToken``; follow-up requests repeat every parameter except
  ``countTotal``, ``pageSize`` and ``pageToken``. ``pageSize`` is at most 1000.
- Errors come back as plain text (400 bad parameter, 404 unknown study). A page token can expire at the
  daily data refresh; the API then answers 400 to the follow-up request.
- Rate limits are not documented; robots.txt asks for one request a second.
- ``countTotal=true`` puts ``totalCount`` on the first page only; the studies received across the pages must add
  up to it (a page that lacks its ``nextPageToken`` would otherwise end a search early without a word).

Nothing waits without bound (docs/configuration.md): a ``Retry-After`` longer than ``retry_after_max_s`` ends the
request with an error instead of a wait, each answer's body must arrive within ``request_deadline_s`` however
slowly it trickles, and a whole run stops at ``run_deadline_s``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
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
DEFAULT_RETRY_AFTER_MAX_S = 300.0
_CHUNK = 64 * 1024


class _CappedRetry(Retry):
    """urllib3's `Retry`, except that a ``Retry-After`` longer than ``retry_after_cap_s`` is not waited for: the
    answer is handed back as it is (urllib3's own ``retry_after_max`` would wait the capped time and ask again,
    into the same refusal), and `CtGovClient` turns it into an error that names the wait asked for."""

    retry_after_cap_s: float = DEFAULT_RETRY_AFTER_MAX_S

    def new(self, **kw: Any) -> _CappedRetry:
        retry = super().new(**kw)
        retry.retry_after_cap_s = self.retry_after_cap_s
        return retry

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any) -> _CappedRetry:
        response = kwargs.get("response") or (args[0] if args else None)
        if (
            response is not None
            and response.status in self.RETRY_AFTER_STATUS_CODES
            and self.respect_retry_after_header
        ):
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.retry_after_cap_s:
                raise MaxRetryError(kwargs.get("_pool"), url or "", None)  # type: ignore[arg-type]
        return super().increment(method, url, *args, **kwargs)


def make_session(
    retries: int, backoff_factor: float = 1.0, retry_after_max_s: float = DEFAULT_RETRY_AFTER_MAX_S
) -> requests.Session:
    """A session that retries 429 and 5xx with exponential backoff and honours ``Retry-After`` up to
    ``retry_after_max_s`` (a longer one is handed back unretried; `CtGovClient` reports it)."""
    retry = _CappedRetry(
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
    retry.retry_after_cap_s = retry_after_max_s
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
        timeout_s: connect timeout, and the longest wait for the answer's headers or for any one read of its body.
        interval_s: the least time between two requests (politeness).
        retry_after_max_s: a ``Retry-After`` longer than this is an error, not a wait (give `make_session` the same).
        request_deadline_s: the longest the body of one answer may take to arrive in full, however it trickles.
        run_deadline_s: the longest a run (from `start_run`, or the first request) may take; None: no limit.
    """

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        *,
        timeout_s: float = 30.0,
        interval_s: float = 1.0,
        retry_after_max_s: float = DEFAULT_RETRY_AFTER_MAX_S,
        request_deadline_s: float = 300.0,
        run_deadline_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout_s = timeout_s
        self.interval_s = interval_s
        self.retry_after_max_s = retry_after_max_s
        self.request_deadline_s = request_deadline_s
        self.run_deadline_s = run_deadline_s
        self._clock = clock
        self._sleep = sleep
        self._last_request: float | None = None
        self._run_ends: float | None = None

    def start_run(self) -> None:
        """Start the run's clock: no request is sent, and no answer read, past ``run_deadline_s`` from now."""
        self._run_ends = None if self.run_deadline_s is None else self._clock() + self.run_deadline_s

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            remaining = self.interval_s - (self._clock() - self._last_request)
            if remaining > 0:
                self._sleep(remaining)
        self._last_request = self._clock()

    def _check_run_deadline(self, url: str) -> None:
        if self._run_ends is None:
            self.start_run()
        if self._run_ends is not None and self._clock() >= self._run_ends:
            raise CtGovTimeout(
                f"the run passed its deadline of {self.run_deadline_s:g} s (run_deadline_s) before {url} was answered"
            )

    def _get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        url = f"{self.base_url}{path}"
        self._check_run_deadline(url)
        self._wait_turn()
        try:
            response = self.session.get(url, params=params, timeout=self.timeout_s, stream=True)
        except requests.Timeout as exc:
            raise CtGovTimeout(f"no answer from {url} within {self.timeout_s:g} s") from exc
        except requests.RequestException as exc:
            # With a Retry mounted, requests reports a read timeout as ConnectionError(MaxRetryError(reason=
            # ReadTimeoutError)) (psf/requests#5430); it is still a timeout.
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(reason, ReadTimeoutError):
                raise CtGovTimeout(f"no answer from {url} within {self.timeout_s:g} s") from exc
            raise CtGovConnectionError(f"cannot reach {url}: {exc}") from exc
        with response:
            body = self._read_body(response)
        logger.info("HTTP GET %s -> %s", response.url, response.status_code)
        if response.status_code != 200:
            text = body.decode(response.encoding or "utf-8", errors="replace")
            wait = _retry_after(response)
            if wait is not None and wait > self.retry_after_max_s:
                text = (
                    f"it asks to wait {wait:g} s (Retry-After), more than retry_after_max_s ({self.retry_after_max_s:g}"
                    f" s); not waiting. Its answer: {text.strip()[:300]}"
                )
            error = PageTokenExpired if params and "pageToken" in params and response.status_code == 400 else None
            raise (error or CtGovHTTPError)(response.status_code, response.url, text)
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise CtGovDataError(f"{response.url} did not answer with JSON: {body[:200]!r}") from exc

    def _read_body(self, response: requests.Response) -> bytes:
        """The whole body, read a chunk at a time against the request's deadline (and the run's)."""
        ends = self._clock() + self.request_deadline_s
        run_ends = self._run_ends if self._run_ends is not None else ends
        chunks: list[bytes] = []
        received = 0
        response.raw.decode_content = True  # gzip is undone as it arrives
        try:
            while True:
                now = self._clock()
                if now >= min(ends, run_ends):
                    which = (
                        f"the request deadline of {self.request_deadline_s:g} s (request_deadline_s)"
                        if ends <= run_ends
                        else f"the run deadline of {self.run_deadline_s:g} s (run_deadline_s)"
                    )
                    raise CtGovTimeout(
                        f"the answer from {response.url} was cut off at {which}: {received} bytes had arrived"
                    )
                chunk = response.raw.read1(_CHUNK)  # at most one read of the socket
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
                received += len(chunk)
        except ReadTimeoutError as exc:
            raise CtGovTimeout(f"the answer from {response.url} stalled for {self.timeout_s:g} s") from exc
        except (Urllib3Error, OSError) as exc:
            raise CtGovConnectionError(
                f"the answer from {response.url} broke off after {received} bytes: {exc}"
            ) from exc

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
            CtGovDataError: a page is not a page, page 1 has no ``totalCount``, or a token comes back twice.
        """
        first: dict[str, str | int] = {**params, "format": "json", "pageSize": min(page_size, 1000)}
        first["countTotal"] = "true"
        request = first
        page_number = 1
        tokens: set[str] = set()
        while True:
            page = self._get("/studies", request)
            if not isinstance(page, dict) or not isinstance(page.get("studies"), list):
                raise CtGovDataError(f"page {page_number} of /studies has no 'studies' list")
            if page_number == 1:
                total = page.get("totalCount")
                if not isinstance(total, int) or isinstance(total, bool) or total < 0:
                    raise CtGovDataError(f"page 1 of /studies has no totalCount (countTotal=true was asked): {total!r}")
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            token = str(token)
            if token in tokens:
                raise CtGovDataError(
                    f"page {page_number} of /studies repeats the nextPageToken {token[:80]!r} of an earlier page: "
                    "following it would loop"
                )
            tokens.add(token)
            # Follow-up pages repeat every parameter except countTotal (pageSize stays, as the API expects it
            # to stay constant across pages), plus the token.
            request = {k: v for k, v in first.items() if k != "countTotal"} | {"pageToken": token}
            page_number += 1

    def studies(self, params: Mapping[str, str | int], page_size: int = 1000) -> Iterator[object]:
        """Every item of a search's ``studies`` lists (study objects, unless the API errs), across pages; restarts
        once from page 1 if a page token expires.

        Raises:
            CtGovDataError: the items received do not add up to the first page's ``totalCount``.
        """
        for attempt in (1, 2):
            received, total = 0, 0
            try:
                for number, page in enumerate(self.pages(params, page_size), start=1):
                    if number == 1:
                        total = page["totalCount"]
                    received += len(page["studies"])
                    if received > total:
                        raise CtGovDataError(f"received {received} studies, more than the totalCount {total} of page 1")
                    yield from page["studies"]
                if received != total:
                    raise CtGovDataError(
                        f"received {received} of {total} studies (totalCount): the pages ended early "
                        "(a page without nextPageToken); the run fails so that the next one asks again"
                    )
                return
            except PageTokenExpired:
                if attempt == 2:
                    raise
                logger.warning("page token expired (data refreshed); restarting the search from page 1")


def _retry_after(response: requests.Response) -> float | None:
    """The wait a 429 or 503 asks for, in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if response.status_code not in Retry.RETRY_AFTER_STATUS_CODES or not value:
        return None
    try:
        return float(Retry(0).parse_retry_after(value))
    except Urllib3Error:
        return None
