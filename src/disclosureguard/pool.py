"""A pool of scanning processes, each with its own Scanner, where a runaway scan is killed.

Parsing hostile files can hang or exhaust memory inside a C extension, where no Python
timeout reaches. So each scan runs in a worker process (``pool_worker.py``) that the pool kills
when the scan passes its time limit or the worker dies; the caller then gets a verdict whose
error says so (never an allow), and a fresh worker takes the dead one's place. The mail hook
and the batch scanner use this pool; a CLI scan given a time limit uses a one-worker pool
(``pool_isolated.py``). A task may also ask for a redacted copy (``pool_redaction.py``).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from .judge import Judge, ScannerConfig
from .model import Analysis, Document, Problem, Verdict
from .pool_worker import Scanned, Task, Worker
from .source import Source, oversize_problem, read_source

log = logging.getLogger(__name__)


class ScanPool:
    """``workers`` scanning processes; :meth:`scan` is thread-safe and blocks until a verdict.

    ``time_limit`` bounds each scan; ``memory_limit`` (bytes of address space per worker)
    bounds what one hostile file can take; ``max_tasks`` recycles a worker after that many
    scans so memory stays flat over a long run.
    """

    def __init__(
        self,
        config: ScannerConfig,
        workers: int = 2,
        time_limit: float | None = None,
        memory_limit: int | None = None,
        max_tasks: int = 5000,
        start_timeout: float = 120.0,
    ) -> None:
        self._ctx = mp.get_context("spawn")
        self._config = config
        self._judge = Judge(list(config.cases) or None, config.policy)
        self.time_limit = time_limit if time_limit is not None else config.limits.time_limit
        self._memory_limit = memory_limit
        self._max_tasks = max_tasks
        self._start_timeout = start_timeout
        self._size = workers
        self._generation = 0
        self._lock = threading.Lock()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
        self._closed = False
        self._replacing: list[threading.Thread] = []
        for w in self._start_workers(workers):
            self._idle.put(w)

    @property
    def config(self) -> ScannerConfig:
        return self._config

    def worker_pids(self) -> list[int]:
        """Process ids of the idle workers (for operators and tests)."""
        return [w.process.pid for w in list(self._idle.queue) if w.process.pid is not None]

    def _spawn(self) -> Worker:
        return Worker(self._ctx, self._config, self._memory_limit, self._generation)

    def _start_workers(self, count: int) -> list[Worker]:
        """Start ``count`` workers in parallel; if any cannot load its scanner, none is kept."""
        started = [self._spawn() for _ in range(count)]
        try:
            for w in started:
                w.wait_ready(self._start_timeout)
        except RuntimeError:
            for w in started:
                w.kill()
            raise
        return started

    def _replace_later(self) -> None:
        t = threading.Thread(target=self._replace, daemon=True)
        with self._lock:
            self._replacing = [r for r in self._replacing if r.is_alive()] + [t]
        t.start()

    def _replace(self) -> None:
        """Start a worker in place of one that was killed or retired."""
        if self._closed:
            return
        w = self._spawn()
        try:
            w.wait_ready(self._start_timeout)
        except RuntimeError as e:
            log.error("%s", e)
            return
        self._idle.put(w)

    def scan(
        self, source: Source, to: Sequence[str] | None = None, *, name: str | None = None,
        media_type: str | None = None,
    ) -> Verdict:
        """The verdict on ``source``, scanned in a worker (thread-safe; blocks until the verdict)."""
        return self._run_source(source, to, name, media_type, keep_analysis=False).verdict

    def analyse(
        self, source: Source, to: Sequence[str] | None = None, *, name: str | None = None,
        media_type: str | None = None,
    ) -> Analysis:
        """Like :meth:`scan`, with the document, segments and findings the worker found."""
        scanned = self._run_source(source, to, name, media_type, keep_analysis=True)
        if scanned.analysis is None:  # run() keeps what a task asks to keep, scanned or failed
            raise RuntimeError("a scanning worker sent a verdict without the analysis asked for")
        return scanned.analysis

    def submit(self, task: Task) -> Future[Scanned]:
        """:meth:`run` on one of the pool's threads."""
        return self._threads.submit(self.run, task)

    def _run_source(self, source: Source, to: Sequence[str] | None, name: str | None, media_type: str | None,
                    keep_analysis: bool) -> Scanned:
        """``source`` read here within max_bytes and scanned in a worker; over max_bytes it is not sent."""
        data, display = read_source(source, name, self._config.limits)
        task = Task(data or b"", display, tuple(to) if to else None, media_type, keep_analysis=keep_analysis)
        if data is None:
            return self._failure(task, oversize_problem(display, self._config.limits))
        return self.run(task)

    def run(self, task: Task) -> Scanned:
        """What a worker made of the task; a scan that failed is an error verdict, never an allow."""
        if self._closed:
            raise RuntimeError("the scan pool is closed")
        try:
            worker = self._idle.get(timeout=self._start_timeout)
        except queue.Empty:
            return self._failure(task, Problem(task.name, "unavailable", "no scanning worker could be started"))
        started = time.monotonic()
        try:
            worker.conn.send(task)
            if not worker.conn.poll(self.time_limit):
                worker.kill()
                self._replace_later()
                message = f"not scanned within the time limit of {self.time_limit:g} s (limit: time_limit)"
                return self._failure(task, Problem(task.name, "timeout", message))
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            self._replace_later()
            message = f"the scanning process died while reading it (exit code {worker.process.exitcode})"
            return self._failure(task, Problem(task.name, "crashed", message))
        worker.tasks += 1
        self._release(worker)
        log.debug("scanned a document in %.3f s", time.monotonic() - started)
        if status == "ok":
            return payload
        return self._failure(task, Problem(task.name, "scanner-error", f"the scanner failed on it ({payload})"))

    def _release(self, worker: Worker) -> None:
        if worker.generation != self._generation:
            worker.stop()  # retired by a reload, which started its successor already
        elif worker.tasks >= self._max_tasks:
            worker.stop()
            self._replace_later()
        else:
            self._idle.put(worker)

    def _failure(self, task: Task, problem: Problem) -> Scanned:
        """The verdict for a task that could not be scanned, judged by this pool's policy."""
        verdict = self._judge.failure(task.name, task.data, task.to, problem)
        if not task.keep_analysis:
            return Scanned(verdict)
        document = Document(name=task.name, media_type="application/octet-stream", problems=(problem,))
        recipients = tuple(v.recipient for v in verdict.recipients)
        return Scanned(verdict, analysis=Analysis(task.data, task.name, document, (), (), recipients, verdict))

    def reload(self, config: ScannerConfig | None = None) -> None:
        """Load the case index and policy again, without a pause in scanning.

        New workers are started and ready before the old ones retire; scans under way
        finish on the old configuration, and no request is dropped. A configuration that
        does not load raises here and leaves the old one running.
        """
        config = config or self._config
        judge = Judge(list(config.cases) or None, config.policy)
        with self._lock:
            old_config, generation = self._config, self._generation
            self._config = config
            self._generation += 1
        try:
            fresh = self._start_workers(self._size)
        except RuntimeError:
            with self._lock:
                self._config, self._generation = old_config, generation
            raise
        self._judge = judge
        for w in fresh:
            self._idle.put(w)
        retired = []
        for _ in range(self._idle.qsize()):
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            if w.generation == self._generation:
                self._idle.put(w)
            else:
                retired.append(w)
        for w in retired:
            w.stop()

    def close(self) -> None:
        self._closed = True
        self._threads.shutdown(wait=True)
        with self._lock:
            replacing = list(self._replacing)
        for t in replacing:  # a replacement still starting would otherwise outlive the pool
            t.join(timeout=self._start_timeout)
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break

    def __enter__(self) -> ScanPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))
