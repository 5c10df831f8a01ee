"""A pool of scanning processes, each with its own Scanner, where a runaway scan is killed.

Parsing hostile files can hang or exhaust memory inside a C extension, where no Python
timeout reaches. So each scan runs in a worker process that the pool kills when the scan
passes its time limit or the worker dies; the caller then gets a verdict whose error says
so (never an allow), and a fresh worker takes the dead one's place. The mail hook and the
batch scanner both use this pool.

A task may also ask for a redacted copy (``Task.redact``, :meth:`ScanPool.redact_task`): when
its verdict is ``redact`` the worker redacts the findings behind that decision and sends the
verified copy back with the verdict, inside the same time limit. A copy that cannot be made or
verified comes back as an error, never as the unredacted bytes.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import resource
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from .judge import Judge, ScannerConfig
from .model import Action, Problem, Verdict
from .source import Source, read_source

if TYPE_CHECKING:
    from .scanner import Analysis, Scanner

log = logging.getLogger(__name__)

_READY = "ready"
_FAILED = "failed"


@dataclass(frozen=True)
class Task:
    data: bytes
    name: str
    to: tuple[str, ...] | None = None
    media_type: str | None = None
    redact: bool = False  # when the verdict is redact, also make the redacted copy


@dataclass(frozen=True)
class Redaction:
    """A redacted copy made in a worker: its bytes and what was removed, or why it could not
    be made (``data`` is then ``None`` and ``error`` names the cause, never a value)."""

    data: bytes | None
    removed: tuple[tuple[str, str, str], ...] = ()  # (entity type, location, rule): never a value
    format: str = ""
    notes: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Scanned:
    """A verdict, and the redacted copy when the task asked for one and the verdict is redact."""

    verdict: Verdict
    redaction: Redaction | None = None


def _redact(analysis: Analysis) -> Redaction:
    """The verified redacted copy of what ``analysis`` scanned, or the reason there is none."""
    from .redact import redact_analysis  # late: scan-only workers never load the redactors

    try:
        result = redact_analysis(analysis)
    except Exception as e:
        # RedactionError, VerificationFailed (a removed value was still there) or a redactor bug.
        # The type only: an exception's text can quote the document.
        return Redaction(None, error=f"could not redact ({type(e).__name__})")
    removed = tuple((r.entity_type, r.location, r.rule) for r in result.removed)
    return Redaction(result.data, removed, result.format, tuple(result.notes))


def _run_task(scanner: Scanner, task: Task) -> Scanned:
    to = list(task.to) if task.to else None
    if not task.redact:
        return Scanned(scanner.scan(task.data, to, name=task.name, media_type=task.media_type))
    analysis = scanner.analyse(task.data, to, name=task.name, media_type=task.media_type)
    verdict = analysis.verdict
    if verdict.decision != Action.REDACT:
        return Scanned(verdict)
    return Scanned(verdict, _redact(analysis))


def _worker_main(conn: Connection, config: ScannerConfig, memory_limit: int | None) -> None:
    """A worker: load a Scanner once, then scan what the pool sends until told to stop."""
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    try:
        from .scanner import Scanner

        scanner = Scanner.from_config(config)
    except Exception as e:
        conn.send((_FAILED, f"{type(e).__name__}: {e}"))
        return
    conn.send((_READY, None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            conn.send(("ok", _run_task(scanner, task)))
        except Exception as e:  # the scan itself failed: the parent turns this into an error verdict
            conn.send(("error", f"{type(e).__name__}"))


class _Worker:
    def __init__(self, ctx: mp.context.SpawnContext, config: ScannerConfig, memory_limit: int | None,
                 generation: int) -> None:
        self.generation = generation
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, config, memory_limit), daemon=True)
        self.process.start()
        child.close()
        self.tasks = 0

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError(f"a scanning worker did not start within {timeout:.0f} s")
        status, detail = self.conn.recv()
        if status != _READY:
            self.kill()
            raise RuntimeError(f"a scanning worker could not load its scanner: {detail}")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # already gone: nothing to tell it
            self.conn.send(None)
        self.process.join(timeout=5)
        self.kill()


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
        self._idle: queue.Queue[_Worker] = queue.Queue()
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

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._config, self._memory_limit, self._generation)

    def _start_workers(self, count: int) -> list[_Worker]:
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

    def submit(self, task: Task) -> Future[Verdict]:
        return self._threads.submit(self.scan_task, task)

    def submit_scan(
        self, data: bytes, name: str, to: Sequence[str] | None = None, media_type: str | None = None
    ) -> Future[Verdict]:
        return self.submit(Task(data, name, tuple(to) if to else None, media_type))

    def scan(self, data: bytes, name: str, to: Sequence[str] | None = None, media_type: str | None = None) -> Verdict:
        return self.scan_task(Task(data, name, tuple(to) if to else None, media_type))

    def scan_task(self, task: Task) -> Verdict:
        """The verdict (a redacted copy the task asked for is dropped: see :meth:`redact_task`)."""
        return self._run(task).verdict

    def redact_task(self, task: Task) -> Scanned:
        """The verdict and, when it is redact, the redacted copy (or why there is none)."""
        return self._run(replace(task, redact=True))

    def submit_redact(self, task: Task) -> Future[Scanned]:
        return self._threads.submit(self.redact_task, task)

    def _run(self, task: Task) -> Scanned:
        """What the worker made of the task; a scan that failed is an error verdict, never an allow."""
        if self._closed:
            raise RuntimeError("the scan pool is closed")
        try:
            worker = self._idle.get(timeout=self._start_timeout)
        except queue.Empty:
            return self._failure(task, "unavailable", "no scanning worker could be started")
        started = time.monotonic()
        try:
            worker.conn.send(task)
            if not worker.conn.poll(self.time_limit):
                worker.kill()
                self._replace_later()
                message = f"not scanned within the time limit of {self.time_limit:g} s (limit: time_limit)"
                return self._failure(task, "timeout", message)
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            self._replace_later()
            code = worker.process.exitcode
            return self._failure(task, "crashed", f"the scanning process died while reading it (exit code {code})")
        worker.tasks += 1
        self._release(worker)
        log.debug("scanned a document in %.3f s", time.monotonic() - started)
        if status == "ok":
            return payload
        return self._failure(task, "scanner-error", f"the scanner failed on it ({payload})")

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self._generation:
            worker.stop()  # retired by a reload, which started its successor already
        elif worker.tasks >= self._max_tasks:
            worker.stop()
            self._replace_later()
        else:
            self._idle.put(worker)

    def _failure(self, task: Task, cause: str, message: str) -> Scanned:
        return Scanned(self.failure(task.name, task.data, task.to, Problem(task.name, cause, message)))

    def failure(self, name: str, data: bytes | None, to: Sequence[str] | None, problem: Problem) -> Verdict:
        """The verdict for a document that could not be scanned (judged by this pool's policy)."""
        return self._judge.failure(name, data, to, problem)

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


class IsolatedScanner:
    """``Scanner.scan`` in one killable worker process, for a command that was given a time limit.

    The file is read here (within max_bytes) and scanned there; past the time limit the
    worker is killed and the verdict is a ``timeout`` error.
    """

    def __init__(self, config: ScannerConfig) -> None:
        self._limits = config.limits
        self._pool = ScanPool(config, workers=1, time_limit=config.limits.time_limit)

    def scan(
        self, source: Source, to: Sequence[str] | None = None, *, name: str | None = None,
        media_type: str | None = None,
    ) -> Verdict:
        data, display = read_source(source, name, self._limits)
        if data is None:
            problem = Problem(display, "limit", f"larger than max_bytes={self._limits.max_bytes}: not read")
            return self._pool.failure(display, None, to, problem)
        return self._pool.scan(data, display, to, media_type)

    def close(self) -> None:
        self._pool.close()
