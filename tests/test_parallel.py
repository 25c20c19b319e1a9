"""matcher.parallel: the same work gives the same results inline, in worker processes and on a Dask cluster.

The work is real: parsing the eligibility texts of real ClinicalTrials.gov studies from ../shared."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import pytest

from matcher import parallel
from matcher.eligibility.parser import parse_text
from matcher.errors import ConfigError, MatcherError
from matcher.parallel import InlineExecutor, ordered_map, work_pool
from tests.conftest import SHARED

STUDIES = sorted((SHARED / "ctgov" / "studies").glob("NCT*.json"))[:8]


def _criteria_texts() -> list[str]:
    return [json.loads(Path(p).read_text())["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
            for p in STUDIES]  # fmt: skip


def _stored(parsed: list[list]) -> list[list]:
    return [[c.to_stored() for c in criteria] for criteria in parsed]


@pytest.fixture(scope="module")
def reference() -> list[list]:
    return _stored([parse_text(t) for t in _criteria_texts()])


def test_worker_processes_give_the_inline_results_in_input_order(reference: list[list]) -> None:
    with work_pool(workers=2) as pool:
        got = list(ordered_map(pool, parse_text, _criteria_texts(), in_flight=3))
    assert _stored(got) == reference


def test_a_dask_cluster_gives_the_inline_results(reference: list[list]) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        work_pool(dask=cluster.scheduler_address) as pool,
    ):
        got = list(ordered_map(pool, parse_text, _criteria_texts(), in_flight=4))
    assert _stored(got) == reference


def test_ordered_map_reads_its_input_lazily_and_keeps_the_window() -> None:
    taken = count()
    pulled: list[int] = []

    def items():
        for i in range(10):
            pulled.append(next(taken))
            yield i

    results = ordered_map(InlineExecutor(), str, items(), in_flight=3)
    assert next(results) == "0"
    assert len(pulled) == 3  # the window, not the whole input
    assert list(results) == [str(i) for i in range(1, 10)]


def test_an_error_in_one_call_reaches_the_caller_at_its_place() -> None:
    results = ordered_map(InlineExecutor(), int, ["1", "x", "3"], in_flight=2)
    assert next(results) == 1
    with pytest.raises(ValueError, match="'x'"):
        next(results)


def test_bad_settings_name_the_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="at least 1"), work_pool(workers=0):
        pass
    monkeypatch.setattr(parallel, "DASK_CONNECT_TIMEOUT_S", 1)
    with (
        pytest.raises(MatcherError, match=r"Dask scheduler at tcp://127\.0\.0\.1:9"),
        work_pool(dask="tcp://127.0.0.1:9"),
    ):
        pass
