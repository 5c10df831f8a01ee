"""One scanning worker process of a :class:`~.pool.ScanPool`: what it is sent, what it sends
back, the loop it runs, and the parent's handle on it.

The worker loads a Scanner once and scans what the pool sends until told to stop. The parent
kills it when a scan passes its time limit; nothing here needs to know about time.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from .judge import ScannerConfig
from .model import Action, Analysis, Verdict
from .pool_redaction import Redaction, redact_copy

if TYPE_CHECKING:
    from .scanner import Scanner

log = logging.getLogger("disclosureguard.pool")
_READY = "ready"
_FAILED = "failed"


@dataclass(frozen=True)
class Task:
    data: bytes
    name: str
    to: tuple[str, ...] | None = None
    media_type: str | None = None
    redact: bool = False  # when the verdict is redact, also make the redacted copy
    keep_analysis: bool = False  # send back the whole Analysis, not only the verdict


@dataclass(frozen=True)
class Scanned:
    """What a task came back with: always a verdict; the redacted copy when the task asked for
    one and the verdict is redact; the analysis when the task asked to keep it."""

    verdict: Verdict
    redaction: Redaction | None = None
    analysis: Analysis | None = None


def run_task(scanner: Scanner, task: Task) -> Scanned:
    to = list(task.to) if task.to else None
    if not (task.redact or task.keep_analysis):
        return Scanned(scanner.scan(task.data, to, name=task.name, media_type=task.media_type))
    analysis = scanner.analyse(task.data, to, name=task.name, media_type=task.media_type)
    verdict = analysis.verdict
    redaction = redact_copy(analysis) if task.redact and verdict.decision == Action.REDACT else None
    return Scanned(verdict, redaction, analysis if task.keep_analysis else None)


def worker_main(conn: Connection, config: ScannerConfig, memory_limit: int | None) -> None:
    """A worker: load a Scanner once, then scan what the pool sends until told to stop."""
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    try:
        from .scanner import Scanner

        scanner = Scanner.from_config(config)
    except Exception as e:
        conn.send((_FAILED, f"{type(e).__name__}: {e}"))
        return
    warm_failure: str | None = None
    try:
        from .pool_warmup import warm_up

        warm_up(scanner)  # first-use costs paid here, not by the first message (pool_warmup.py)
    except Exception as e:
        # Only a head start: the worker still scans (a reader that fails here fails again on a
        # real document, as a problem), but the pool says so. The type only: no input's text.
        warm_failure = type(e).__name__
    conn.send((_READY, warm_failure))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            conn.send(("ok", run_task(scanner, task)))
        except Exception as e:  # the scan itself failed: the parent turns this into an error verdict
            conn.send(("error", f"{type(e).__name__}"))


class Worker:
    """The parent's handle on one worker process and the pipe to it."""

    def __init__(self, ctx: mp.context.SpawnContext, config: ScannerConfig, memory_limit: int | None,
                 generation: int) -> None:
        self.generation = generation
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, config, memory_limit), daemon=True)
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
        if detail:
            log.warning("a scanning worker's warm-up failed (%s): it scans, but its first documents pay "
                        "the start-up costs", detail)

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
