"""Where studies come from: the live API, a directory of study JSON files, or a zip of them.

Every source yields `StudyRecord`s, or `StudyFile`s that `decode` turns into them, to the same ingestion code
(`matcher.ingest`). A file source hands over bytes, not decoded JSON: decoding is most of an import's work and is done
where the ingestion runs its workers. A file source is a snapshot (like ClinicalTrials.gov's bulk download, a zip of
about 598,000 files), so it is always read whole, one file at a time; only the API is asked for changes.
"""

from __future__ import annotations

import json
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from stream_unzip import UnzipError, stream_unzip

from matcher.config import Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.ctgov_parse import normalise_nct_id
from matcher.errors import CtGovDataError, SourceError


@dataclass(frozen=True)
class StudyRecord:
    """One study object, or the reason a file could not be read as one."""

    origin: str
    study: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class StudyFile:
    """A file's bytes, read but not yet decoded (`decode`): small to send to a worker process."""

    origin: str
    data: bytes


class StudySource(Protocol):
    name: str
    incremental: bool

    def records(self, since: date | None) -> Iterator[StudyRecord | StudyFile]: ...


def decode(item: StudyRecord | StudyFile) -> Iterator[StudyRecord]:
    """The study records of a file (one study object, or a page or list of them); a record passes through."""
    if isinstance(item, StudyRecord):
        yield item
    else:
        yield from _studies_in(item.origin, item.data)


def _studies_in(origin: str, text: str | bytes) -> Iterator[StudyRecord]:
    """A file holds one study object, or a page/list of them."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        yield StudyRecord(origin, None, f"not valid JSON: {exc}")
        return
    except RecursionError:
        yield StudyRecord(origin, None, "not readable JSON: nested too deeply")
        return
    items = data.get("studies") if isinstance(data, dict) and "studies" in data else data
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            yield StudyRecord(origin, item)
        else:
            yield StudyRecord(origin, None, f"expected a study object, found {type(item).__name__}")


class DirectorySource:
    incremental = False

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise SourceError(f"{path} is not a directory")
        self.path = path
        self.name = f"dir:{path.resolve()}"

    def records(self, since: date | None) -> Iterator[StudyRecord | StudyFile]:
        for file in sorted(self.path.glob("*.json")):
            try:
                yield StudyFile(str(file), file.read_bytes())
            except OSError as exc:
                yield StudyRecord(str(file), None, f"cannot read: {exc}")


class ZipSource:
    """A zip of study JSON files, read as a stream in the archive's order: one member in memory at a time, and not
    even the archive's list of names (for the bulk download's 598,000 members that list alone is about 300 MiB)."""

    incremental = False
    READ_SIZE = 1 << 16

    def __init__(self, path: Path) -> None:
        if not zipfile.is_zipfile(path):
            raise SourceError(f"{path} is not a zip file")
        self.path = path
        self.name = f"zip:{path.resolve()}"

    def records(self, since: date | None) -> Iterator[StudyRecord | StudyFile]:
        try:
            with self.path.open("rb") as handle:
                for raw_name, _size, chunks in stream_unzip(self._read(handle)):
                    member = raw_name.decode("utf-8", "replace")
                    if member.endswith(".json"):
                        yield StudyFile(f"{self.path}!{member}", b"".join(chunks))
                    else:
                        deque(chunks, maxlen=0)  # every member is read through, or the stream cannot go on
        except (OSError, UnzipError) as exc:
            raise SourceError(f"cannot read {self.path}: {type(exc).__name__} {exc}".rstrip()) from exc

    def _read(self, handle: BinaryIO) -> Iterable[bytes]:
        while chunk := handle.read(self.READ_SIZE):
            yield chunk


class ApiSource:
    """The default RAIR-DTC search plus the watch list, from the live API (or a server that answers like it)."""

    incremental = True

    def __init__(self, client: CtGovClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.name = client.base_url
        try:
            self.watch_list = tuple(dict.fromkeys(normalise_nct_id(item) for item in settings.watch_list))
        except CtGovDataError as exc:
            raise SourceError(f"watch_list: {exc}") from exc

    def search_params(self, since: date | None) -> dict[str, str | int]:
        """The full pull asks for statuses that can enrol; an incremental one for every status, so that a stored
        trial that closes (or is suspended) is fetched with its new status instead of staying "recruiting"."""
        params: dict[str, str | int] = {
            "query.cond": self.settings.search_condition,
            "query.term": self.settings.search_term,
        }
        if since is None:
            params["filter.overallStatus"] = ",".join(self.settings.search_statuses)
        else:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
        return params

    def records(self, since: date | None) -> Iterator[StudyRecord]:
        """Every study of the search, then of the watch list; an item that is not an object is an unreadable
        record (counted failed, named by its place), like a file that holds no study."""
        self.client.start_run()
        page_size = self.settings.page_size
        searches = [("search", self.search_params(since))]
        if self.watch_list:
            # The watch list is fetched every time, whatever its status or update date.
            searches.append(("watch list", {"filter.ids": ",".join(self.watch_list)}))
        for label, params in searches:
            for position, item in enumerate(self.client.studies(params, page_size), start=1):
                if isinstance(item, dict):
                    yield StudyRecord(self.name, item)
                else:
                    origin = f"{self.name} ({label}, study {position})"
                    yield StudyRecord(origin, None, f"expected a study object, found {type(item).__name__}")


def open_source(spec: str | None, settings: Settings) -> StudySource:
    """``--source``: an http(s) URL (default: the configured API), a directory, or a zip file."""
    if spec is None or spec.startswith(("http://", "https://")):
        session = make_session(settings.retries, retry_after_max_s=settings.retry_after_max_s)
        client = CtGovClient(
            spec or settings.ctgov_url,
            session,
            timeout_s=settings.timeout_s,
            interval_s=settings.request_interval_s,
            retry_after_max_s=settings.retry_after_max_s,
            request_deadline_s=settings.request_deadline_s,
            run_deadline_s=settings.run_deadline_s or None,
        )
        return ApiSource(client, settings)
    path = Path(spec).expanduser()
    if path.is_dir():
        return DirectorySource(path)
    if path.is_file():
        return ZipSource(path)
    raise SourceError(f"--source {spec}: no such directory or zip file, and not an http(s) URL")
