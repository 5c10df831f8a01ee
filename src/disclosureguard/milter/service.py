"""The long-running mail hook: a scanning pool, the milter server, signals and the audit log."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from ..audit import AuditLog
from ..errors import DisclosureGuardError
from ..pool import ScanPool
from ..pool_worker import Scanned, Task
from . import config as settings
from .config import MilterConfig
from .server import MilterServer, install_signal_handlers

log = logging.getLogger("disclosureguard.milter")
STOP_GRACE = 30.0  # seconds given to messages under way when told to stop


class MilterService:
    def __init__(self, config: MilterConfig, overrides: dict[str, object] | None = None) -> None:
        self.config = config
        self._overrides = dict(overrides or {})  # command-line values: they win over the file on reload
        self.pool = ScanPool(config.scanner, workers=config.workers, time_limit=config.time_limit,
                             memory_limit=config.memory_limit)
        self.audit = AuditLog(config.audit_log) if config.audit_log else None
        self.server = MilterServer(config, self.scan, self.audit)
        self._stopping: asyncio.Event | None = None
        self._reloading = False

    async def scan(self, data: bytes, name: str, to: tuple[str, ...]) -> Scanned:
        # With on_redact=redact a redact verdict comes with its redacted copy.
        task = Task(data, name, to or None, "message/rfc822", redact=self.config.on_redact == "redact")
        return await asyncio.wrap_future(self.pool.submit(task))

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        try:
            await self.server.start()
        except OSError:
            await loop.run_in_executor(None, self.pool.close)
            raise
        install_signal_handlers(loop, lambda: loop.create_task(self.reload()), self._stopping.set)
        log.info("listening on %s with %d scanning worker(s)", self.config.listen, self.config.workers)
        try:
            await self._stopping.wait()
        finally:
            log.info("stopping: letting messages under way finish")
            await self.server.stop(STOP_GRACE)
            await loop.run_in_executor(None, self.pool.close)

    async def reload(self) -> None:
        """SIGHUP: read the settings, case index and policy again; connections stay open.

        A broken new configuration is logged and the running one stays.
        """
        if self._reloading:
            return
        self._reloading = True
        try:
            new = await asyncio.get_running_loop().run_in_executor(None, self._load_again)
        except (DisclosureGuardError, OSError) as e:
            log.error("reload failed; the previous configuration stays in force: %s", e)
            return
        finally:
            self._reloading = False
        self.pool.time_limit = new.time_limit
        self.config = new
        self.server.config = new
        log.info("reloaded the case index, the policy and the settings")

    def _load_again(self) -> MilterConfig:
        new = self.config
        if self.config.config_file:
            values = {**settings.read_file(self.config.config_file), **self._overrides}
            values.pop("listen", None)  # the socket stays: connections must not drop
            values.pop("workers", None)
            values.pop("memory_limit", None)
            values.pop("audit_log", None)
            scanner = self.config.given_scanner or self.config.scanner  # the file's settings apply anew
            new = settings.build(values, scanner, self.config.config_file, self.config.config_file)
            new = replace(new, listen=self.config.listen, workers=self.config.workers,
                          memory_limit=self.config.memory_limit, audit_log=self.config.audit_log)
        self.pool.reload(new.scanner)  # checks the case index and policy before swapping
        return new
