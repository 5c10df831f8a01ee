"""Where items are scanned: a local pool of processes, or the workers of a Dask cluster.

Both run :func:`record.scan_item` through a :class:`ScanPool`, so a file that hangs or
crashes an extractor is killed at the time limit and becomes an error verdict on either.
On Dask, each worker process keeps one ScanPool (as many scanning processes as it has
threads), built once from the picklable :class:`ScannerConfig`; the pool's processes load
the model and case index once each.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from ..judge import ScannerConfig
from ..model import Verdict
from ..pool import ScanPool
from .record import ScanRequest, scan_item

DAEMON_HELP = (
    "Dask workers run as daemon processes, which may not start the scanning processes that bound "
    "each scan's time: start them with DASK_DISTRIBUTED__WORKER__DAEMON=False (or `dask worker --no-nanny`)"
)


class Executor(Protocol):
    def submit(self, request: ScanRequest) -> Future[dict[str, Any]]: ...

    def close(self, cancel: bool = False) -> None: ...


class LocalExecutor:
    """``workers`` local scanning processes (a ScanPool) fed by as many threads."""

    def __init__(self, config: ScannerConfig, workers: int, time_limit: float, values: bool) -> None:
        with _sigint_ignored():
            # Workers started now ignore Ctrl-C: the parent stops the run cleanly and ends them.
            self.pool = ScanPool(config, workers=workers, time_limit=time_limit)
        self.workers = workers
        self.pool_start_timeout = 120.0
        self._values = values
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch")

    def _scan(self, data: bytes, name: str, to: Sequence[str] | None) -> Verdict:
        return self.pool.scan(data, to, name=name)

    def submit(self, request: ScanRequest) -> Future[dict[str, Any]]:
        return self._threads.submit(scan_item, self._scan, request, self._values)

    def close(self, cancel: bool = False) -> None:
        self._threads.shutdown(wait=True, cancel_futures=cancel)
        self.pool.close()
        # ScanPool starts a replacement for a killed worker on a thread of its own, which close()
        # does not wait for: one still starting when the interpreter exits prints a traceback,
        # and one that finishes after close() leaves an idle worker behind.
        replacing = [t for t in threading.enumerate() if t.name.endswith("(_replace)")]
        for thread in replacing:
            thread.join(timeout=self.pool_start_timeout)
        if replacing:
            self.pool.close()  # again: stops the worker a late replacement left idle


class DaskExecutor:
    """Items go to a Dask cluster as tasks; each task returns its record."""

    def __init__(self, address: str, config: ScannerConfig, time_limit: float, values: bool,
                 connect_timeout: float = 30.0) -> None:
        try:
            from distributed import Client  # late: only a Dask run needs it (the [dask] extra)
        except ImportError as e:
            raise RuntimeError(
                "a Dask run needs Dask: install disclosureguard[dask] (pip install 'disclosureguard[dask]')"
            ) from e

        self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        self._config = config
        self._time_limit = time_limit
        self._values = values
        self._live: dict[int, Any] = {}  # a Dask future is cancelled once nothing refers to it
        self._lock = threading.Lock()
        try:
            daemonic = self.client.run(_is_daemonic)
        except Exception:
            self.client.close()
            raise
        if any(daemonic.values()):
            self.client.close()
            raise RuntimeError(DAEMON_HELP)
        self.workers = max(1, sum(self.client.nthreads().values()))
        self._prepare_workers()

    def _prepare_workers(self) -> None:
        """Build each worker's ScanPool now, so a worker that can't (no package, no index) fails the run at once."""
        tasks = [
            self.client.submit(prepare_dask_worker, self._config, self._time_limit, pure=False, workers=[address],
                               allow_other_workers=False)
            for address in self.client.nthreads()
        ]
        try:
            self.client.gather(tasks)
        except Exception as e:
            self.client.close()
            raise RuntimeError(f"a Dask worker could not load the scanner: {type(e).__name__}: {e}") from None

    def submit(self, request: ScanRequest) -> Future[dict[str, Any]]:
        result: Future[dict[str, Any]] = Future()
        task = self.client.submit(scan_on_dask_worker, self._config, self._time_limit, request, self._values,
                                  pure=False)
        with self._lock:
            self._live[id(result)] = task

        def done(finished: Any) -> None:
            with self._lock:
                self._live.pop(id(result), None)
            if result.cancelled():
                return
            try:
                result.set_result(finished.result())
            except BaseException as e:  # a lost worker or a failed task: the runner records an error
                result.set_exception(e)

        task.add_done_callback(done)
        return result

    def close(self, cancel: bool = False) -> None:
        with self._lock:
            tasks = list(self._live.values())
            self._live.clear()
        if cancel and tasks:
            with contextlib.suppress(Exception):  # the cluster may already be gone; nothing left to stop
                self.client.cancel(tasks)
        self.client.close()


# --- on the Dask worker -------------------------------------------------------------------

_pools: dict[tuple[ScannerConfig, float], ScanPool] = {}
_pools_lock = threading.Lock()


def scan_on_dask_worker(config: ScannerConfig, time_limit: float, request: ScanRequest, values: bool) -> dict[str, Any]:
    """A Dask task: scan one item in this worker's cached ScanPool and return its record."""
    pool = _worker_pool(config, time_limit)
    return scan_item(lambda data, name, to: pool.scan(data, to, name=name), request, values)


def prepare_dask_worker(config: ScannerConfig, time_limit: float) -> None:
    """A Dask task: build this worker's ScanPool (scanning processes with the model and case index)."""
    _worker_pool(config, time_limit)


def _worker_pool(config: ScannerConfig, time_limit: float) -> ScanPool:
    """This worker process's ScanPool for ``config``, built on first use and kept."""
    key = (config, time_limit)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            if multiprocessing.current_process().daemon:
                raise RuntimeError(DAEMON_HELP)
            pool = ScanPool(config, workers=_worker_threads(), time_limit=time_limit)
            _pools[key] = pool
        return pool


def _worker_threads() -> int:
    from distributed import get_worker

    try:
        return max(1, int(get_worker().state.nthreads))
    except (ValueError, AttributeError):  # not inside a worker task: one process is enough
        return 1


def _is_daemonic() -> bool:
    return bool(multiprocessing.current_process().daemon)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while child processes start, so they inherit the ignoring (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
