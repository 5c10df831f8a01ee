"""The batch run: items in, one committed record per item out, resumable at any point.

The main thread enumerates items lazily, skips those the checkpoint already holds, reads
each remaining one and hands it to an executor, keeping a bounded number of items (and of
bytes) in flight so memory stays flat however many files there are. Each record is
committed to the checkpoint, then appended to the JSON lines report, as it arrives. Every
failure on the way (an unreadable file, a scan that timed out or killed its worker, a lost
Dask worker) becomes that item's error verdict, never an allow, and the run goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..judge import Judge, ScannerConfig
from ..model import Action, Problem
from .checkpoint import Checkpoint
from .executors import Executor
from .progress import Progress
from .record import ScanRequest, make_record
from .reports import CSV_NAME, HTML_NAME, JSONL_NAME, JsonlLog, write_csv, write_html
from .secure import private_dir
from .sources import Item, ItemReadError, count_items, iter_items

CHECKPOINT_NAME = "checkpoint.sqlite"


@dataclass(frozen=True)
class BatchSettings:
    sources: tuple[str, ...]
    out: str
    config: ScannerConfig
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    recipients_file: str | None = None
    values: bool = True
    time_limit: float = 60.0
    max_in_flight: int | None = None  # default: four items per worker
    max_bytes_in_flight: int = 256 * 1024 * 1024
    html_limit: int = 5000

    def checkpoint_settings(self) -> dict[str, Any]:
        """What must not change between a run and its resumption (it changes the verdicts)."""
        return {
            "cases": list(self.config.cases),
            "policy": self.config.policy,
            "model": self.config.model,
            "catalogues": list(self.config.catalogues),
            "values": self.values,
            "recipients": self.recipients_file,
        }


@dataclass
class BatchResult:
    out: Path
    total: int  # items in the checkpoint
    scanned: int  # scanned in this run
    skipped: int  # already in the checkpoint
    decisions: dict[str, int]
    worst: Action
    interrupted: bool = False

    @property
    def jsonl(self) -> Path:
        return self.out / JSONL_NAME

    @property
    def csv(self) -> Path:
        return self.out / CSV_NAME

    @property
    def html(self) -> Path:
        return self.out / HTML_NAME


class BatchInterrupted(Exception):
    def __init__(self, result: BatchResult) -> None:
        self.result = result
        super().__init__("interrupted")


def run_batch(
    settings: BatchSettings,
    make_executor: Callable[[], Executor],
    progress: Progress | None = None,
) -> BatchResult:
    """Scan every item of ``settings.sources`` not yet in the checkpoint, then write the reports.

    Raises :class:`BatchInterrupted` (after committing what had finished and leaving the
    JSON lines consistent) on Ctrl-C; running it again resumes.
    """
    out = private_dir(settings.out)
    progress = progress or Progress(enabled=False)
    checkpoint = Checkpoint(out / CHECKPOINT_NAME, settings.checkpoint_settings())
    try:
        judge = Judge(list(settings.config.cases) or None, settings.config.policy)
        jsonl = JsonlLog(out / JSONL_NAME, checkpoint)
        run = _Run(settings, checkpoint, jsonl, judge, progress)
        try:
            executor = make_executor()
        except BaseException:
            jsonl.close()
            raise
        interrupted = False
        progress.start()
        try:
            progress.count_in_background(lambda: count_items(settings.sources, exclude=[out]))
            run.go(executor, iter_items(settings.sources, exclude=[out]))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            executor.close(cancel=True)
            progress.finish()
        if run.replaced or interrupted:
            jsonl.rebuild()  # one line per item, whatever was replaced or half-written
        jsonl.close()
        result = BatchResult(out, checkpoint.count(), run.scanned, run.skipped, checkpoint.decision_counts(),
                             checkpoint.worst(), interrupted)
        if interrupted:
            raise BatchInterrupted(result)
        write_csv(out / CSV_NAME, checkpoint.records())
        write_html(out / HTML_NAME, checkpoint, values=settings.values, limit=settings.html_limit)
        return result
    finally:
        checkpoint.close()


class _Run:
    def __init__(self, settings: BatchSettings, checkpoint: Checkpoint, jsonl: JsonlLog, judge: Judge,
                 progress: Progress) -> None:
        self.settings = settings
        self.checkpoint = checkpoint
        self.jsonl = jsonl
        self.judge = judge
        self.progress = progress
        self.max_bytes = settings.config.limits.max_bytes
        self.scanned = 0
        self.skipped = 0
        self.replaced = False
        self._in_flight: dict[Future[dict[str, Any]], tuple[ScanRequest, str]] = {}
        self._paths_in_flight: set[str] = set()
        self._bytes_in_flight = 0

    def go(self, executor: Executor, items: Any) -> None:
        workers = max(1, int(getattr(executor, "workers", 1)))
        max_items = self.settings.max_in_flight or workers * 4
        for item in items:
            if item.path in self._paths_in_flight or self.checkpoint.is_done(item.path, item.fingerprint):
                self.skipped += 1
                self.progress.skipped()
                continue
            while self._in_flight and (
                len(self._in_flight) >= max_items or self._bytes_in_flight >= self.settings.max_bytes_in_flight
            ):
                self._collect(block=True)
            request = self._read(item)
            if request is None:
                continue
            future = executor.submit(request)
            self._in_flight[future] = (request, item.fingerprint)
            self._paths_in_flight.add(request.path)
            self._bytes_in_flight += len(request.data)
            self._collect(block=False)
        while self._in_flight:
            self._collect(block=True)

    def _read(self, item: Item) -> ScanRequest | None:
        """The item's request, or None once an unreadable item's error record is committed."""
        to = self.settings.recipients.get(item.path)
        try:
            data = item.read(self.max_bytes)
        except ItemReadError as e:
            self._fail(item.path, item.container, item.member, item.size, item.mtime, None, to, e.cause, str(e),
                       item.fingerprint)
            return None
        if data is None:
            self._fail(item.path, item.container, item.member, item.size, item.mtime, None, to, "limit",
                       f"larger than max_bytes={self.max_bytes}: not read", item.fingerprint)
            return None
        return ScanRequest(item.path, item.container, item.member, len(data), item.mtime, data, to)

    def _collect(self, block: bool) -> None:
        done, _ = wait(list(self._in_flight), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            request, fingerprint = self._in_flight.pop(future)
            self._paths_in_flight.discard(request.path)
            self._bytes_in_flight -= len(request.data)
            try:
                record = future.result()
            except Exception as e:  # the executor lost the task (a Dask worker died): an error, not a gap
                cause = "worker-lost" if type(e).__name__ == "KilledWorker" else "scan-failed"
                self._fail(request.path, request.container, request.member, request.size, request.mtime,
                           request.data, request.to, cause, f"the scan did not complete ({type(e).__name__})",
                           fingerprint)
                continue
            self._commit(record, fingerprint)

    def _fail(self, path: str, container: str, member: str | None, size: int, mtime: float | None,
              data: bytes | None, to: Sequence[str] | None, cause: str, message: str, fingerprint: str) -> None:
        verdict = self.judge.failure(path, data, to, Problem(path, cause, message))
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        self._commit(make_record(path, container, member, size, mtime, digest, verdict, self.settings.values),
                     fingerprint)

    def _commit(self, record: dict[str, Any], fingerprint: str) -> None:
        if self.checkpoint.commit(record, fingerprint):
            self.replaced = True
        self.jsonl.append(record)
        self.scanned += 1
        self.progress.scanned_one(record["decision"], len(record.get("errors") or ()))


def absolute_config(config: ScannerConfig) -> ScannerConfig:
    """The config with absolute paths, so a worker elsewhere (or in another folder) finds the same files."""
    return replace(
        config,
        cases=tuple(os.path.abspath(c) for c in config.cases),
        policy=os.path.abspath(config.policy) if config.policy else None,
        catalogues=tuple(os.path.abspath(c) for c in config.catalogues),
    )
