"""Where batch work runs: in this process, in worker processes on this machine, or on a Dask cluster.

    with work_pool(workers=2) as pool:                      # or work_pool(dask="tcp://10.0.0.5:8786")
        for result in ordered_map(pool, evaluate_batch, batches, in_flight=8):
            write(result)                                   # the caller is the one writer

All three are a `concurrent.futures.Executor`, so the calling code is the same whichever runs the work, and results
always come back to the caller: the database, the outbox and the run lock stay with one process. Worker processes
are started with "spawn", as Dask's are fresh interpreters too: a function and its arguments must be picklable and
must not rely on state the parent built (an open database connection, a module-level cache filled at run time).
``ordered_map`` keeps at most ``in_flight`` calls submitted, so memory is bounded by the window, not the input.

Dask is optional (``pip install 'matcher[dask]'``); docs/deploy.md says when a deployment needs it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from matcher.errors import ConfigError, MatcherError

T = TypeVar("T")
R = TypeVar("R")

DASK_CONNECT_TIMEOUT_S = 10


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class InlineExecutor(Executor):
    """Runs each call in this process when it is submitted: `--workers 1`, debugging, and the reference the
    parallel runs are compared with."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001  (handed to the caller through the future, as pools do)
            future.set_exception(exc)
        return future


@contextmanager
def work_pool(workers: int = 1, dask: str | None = None) -> Iterator[Executor]:
    """An executor for `workers` local processes (1: this process), or for the Dask scheduler at `dask`.

    Raises:
        ConfigError: `workers` is below 1, or `dask` is given without the `distributed` package installed.
        MatcherError: the Dask scheduler does not answer within DASK_CONNECT_TIMEOUT_S.
    """
    if dask:
        with _dask_executor(dask) as executor:
            yield executor
        return
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1 (got {workers})")
    if workers == 1:
        yield InlineExecutor()
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError("--dask needs the 'distributed' package: pip install 'matcher[dask]'") from exc
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise MatcherError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        yield client.get_executor()
    finally:
        client.close()


def ordered_map(pool: Executor, fn: Callable[[T], R], items: Iterable[T], in_flight: int) -> Iterator[R]:
    """``fn`` over ``items`` on ``pool``, results in the order of ``items``, with at most ``in_flight`` calls
    submitted and not yet taken: the input is read lazily and unread results never pile up. An exception in a
    call is raised here, when its result is reached."""
    window: deque[Future[R]] = deque()
    for item in items:
        window.append(pool.submit(fn, item))
        if len(window) >= in_flight:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()
