"""The milter server: one asyncio task per MTA connection, scans in the pool.

The loop never blocks on a scan: the message goes to a :class:`ScanPool` worker through a
thread, and while it waits the session sends SMFIR_PROGRESS so the MTA's timeout does not
fire. A protocol error or a bug on one connection closes that connection only; the MTA
then applies ``milter_default_action`` (tempfail) to the message it was sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from ..audit import AuditLog
from ..model import Verdict
from . import protocol as p
from .actions import Message, Outcome, failure_outcome, find_override, outcome
from .config import MilterConfig

log = logging.getLogger("disclosureguard.milter")

# scan(data, name, recipients) -> Verdict, run off the event loop.
ScanFunction = Callable[[bytes, str, tuple[str, ...]], Awaitable[Verdict]]
PROGRESS_EVERY = 5.0  # seconds between SMFIR_PROGRESS while a scan runs
WANT_ACTIONS = p.SMFIF_ADDHDRS | p.SMFIF_QUARANTINE
SKIP_STEPS = p.SMFIP_NOCONNECT | p.SMFIP_NOHELO | p.SMFIP_NOUNKNOWN | p.SMFIP_NODATA | p.SMFIP_HDR_LEADSPC


@dataclass
class _MessageState:
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw_headers: list[bytes] = field(default_factory=list)
    parts: list[bytes] = field(default_factory=list)  # the body
    size: int = 0
    oversize: bool = False


class MilterServer:
    """Serves the milter protocol; ``config`` and ``scan`` may be swapped at run time (reload)."""

    def __init__(self, config: MilterConfig, scan: ScanFunction, audit: AuditLog | None = None) -> None:
        self.config = config
        self.scan = scan
        self.audit = audit
        self.active: set[asyncio.Task[None]] = set()
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> asyncio.AbstractServer:
        listen = self.config.listen
        if listen.family == "unix":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(listen.path)  # a socket left by a previous run
            self._server = await asyncio.start_unix_server(self._handle, path=listen.path)
            os.chmod(listen.path, 0o660)
        else:
            self._server = await asyncio.start_server(self._handle, listen.host, listen.port, reuse_address=True)
        return self._server

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self, grace: float = 30.0) -> None:
        """Stop accepting; let connections under way finish (up to ``grace`` seconds)."""
        if self._server is not None:
            self._server.close()
        if self.active:
            _done, pending = await asyncio.wait(set(self.active), timeout=grace)
            for task in pending:
                task.cancel()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.active.add(task)
        session = _Session(self, reader, writer)
        try:
            await session.run()
        except p.ProtocolError as e:
            log.warning("closing a connection: milter protocol error (%s)", e)
        except (ConnectionError, asyncio.IncompleteReadError):
            log.info("the MTA closed a connection")
        except asyncio.CancelledError:
            raise
        except Exception:  # our bug: the MTA tempfails this one message; the service goes on
            log.exception("closing a connection after an internal error")
        finally:
            self.active.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _Session:
    def __init__(self, server: MilterServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.macros: dict[str, str] = {}
        self.msg = _MessageState()
        self.leadspace = False
        self.negotiated = False

    async def send(self, *packets: bytes) -> None:
        for packet in packets:
            self.writer.write(packet)
        await self.writer.drain()

    async def run(self) -> None:
        while True:
            packet = await p.read_packet(self.reader)
            if packet is None or packet.command == p.QUIT:
                return
            if not self.negotiated and packet.command != p.OPTNEG:
                raise p.ProtocolError(f"command {packet.command!r} before option negotiation")
            reply = await self.dispatch(packet)
            if reply is not None:
                await self.send(reply)

    async def dispatch(self, packet: p.Packet) -> bytes | None:
        cmd, data = packet.command, packet.data
        if cmd == p.OPTNEG:
            reply, agreed = p.optneg_reply(p.parse_optneg(data), WANT_ACTIONS, SKIP_STEPS)
            self.leadspace = bool(agreed & p.SMFIP_HDR_LEADSPC)
            self.negotiated = True
            return reply
        if cmd == p.MACRO:
            self.macros.update(p.parse_macros(data))
            return None
        if cmd in (p.ABORT, p.QUIT_NC):
            self.msg = _MessageState()  # the MTA gave this message up; the connection goes on
            if cmd == p.QUIT_NC:
                self.macros.clear()
            return None
        if cmd == p.MAIL:
            self.msg = _MessageState(sender=p.parse_address(data))
            return p.encode(p.CONTINUE)
        if cmd == p.RCPT:
            self.msg.recipients.append(p.parse_address(data))
            return p.encode(p.CONTINUE)
        if cmd == p.HEADER:
            name, value = p.parse_header(data)
            raw = name + (b":" if self.leadspace else b": ") + value.replace(b"\r\n", b"\n").replace(
                b"\n", b"\r\n") + b"\r\n"
            if self._count(len(raw)):
                self.msg.raw_headers.append(raw)
                self.msg.headers.append((name.decode("utf-8", "replace"), value.decode("utf-8", "replace")))
            return p.encode(p.CONTINUE)
        if cmd == p.EOH:
            return p.encode(p.CONTINUE)
        if cmd == p.BODY:
            if self._count(len(data)):
                self.msg.parts.append(data)
            return p.encode(p.CONTINUE)
        if cmd == p.BODYEOB:
            if data and self._count(len(data)):
                self.msg.parts.append(data)
            await self.end_of_message()
            return None
        if cmd in (p.CONNECT, p.HELO, p.DATA, p.UNKNOWN):
            return p.encode(p.CONTINUE)
        raise p.ProtocolError(f"unknown milter command {cmd!r}")

    def _count(self, size: int) -> bool:
        """Whether to buffer ``size`` more bytes: past the size limit keep only the fact."""
        if self.msg.oversize:
            return False
        self.msg.size += size
        if self.msg.size > self.server.config.max_message_bytes:
            self.msg.oversize = True
            self.msg.parts.clear()
            self.msg.raw_headers.clear()
            self.msg.headers.clear()
            return False
        return True

    async def end_of_message(self) -> None:
        state, self.msg = self.msg, _MessageState()
        config = self.server.config
        queue_id = self.macros.get("i", "")
        message = Message(
            ref=queue_id or f"dg-{secrets.token_hex(5)}",
            sender=state.sender,
            recipients=tuple(dict.fromkeys(state.recipients)),
            message_id=_header(state.headers, "message-id"),
            override=find_override(state.headers),
        )
        if state.oversize:
            result = failure_outcome(message, "oversize", config)
        else:
            data = b"".join([*_known_header_first(state), b"\r\n", *state.parts])
            state.parts.clear()
            result = await self._scan(data, message, config)
        if self.server.audit is not None:
            try:  # recorded before the MTA hears the answer: no message goes unrecorded
                await asyncio.get_running_loop().run_in_executor(None, self.server.audit.append, result.audit)
            except OSError as e:
                log.error("message %s: the audit log could not be written (%s)", message.ref, e.strerror or e)
                result = failure_outcome(message, "audit-failed", replace(config, on_failure="tempfail"))
        await self.apply(result)
        log.info("message %s: %s (%s)", message.ref, result.audit.get("action"), result.audit.get("decision"))

    async def _scan(self, data: bytes, message: Message, config: MilterConfig) -> Outcome:
        name = f"message {message.ref}"
        scan = asyncio.ensure_future(self.server.scan(data, name, message.recipients))
        # The pool enforces the time limit per scan; this bound also covers waiting for a free
        # worker, so a backlog turns into tempfails instead of the MTA's own timeout.
        deadline = asyncio.get_running_loop().time() + config.time_limit * 2 + 10
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                scan.cancel()
                return failure_outcome(message, "timeout", config)
            done, _ = await asyncio.wait({scan}, timeout=min(PROGRESS_EVERY, remaining))
            if done:
                break
            await self.send(p.encode(p.PROGRESS))
        try:
            verdict = scan.result()
        except Exception as e:  # the pool itself failed: fail closed
            log.error("message %s: the scan failed (%s)", message.ref, type(e).__name__)
            return failure_outcome(message, "scanner-error", config)
        return outcome(verdict, message, config)

    async def apply(self, result: Outcome) -> None:
        if result.kind == "accept":
            # With HDR_LEADSPC agreed the MTA stores a header value as sent: give it its space.
            pad = " " if self.leadspace else ""
            await self.send(*(p.add_header(n, pad + v) for n, v in result.headers), p.encode(p.ACCEPT))
        elif result.kind == "hold":
            await self.send(p.quarantine(result.hold_reason), p.encode(p.ACCEPT))
        elif result.kind in ("reject", "tempfail"):
            await self.send(p.reply_code(result.code, list(result.lines)))
        else:
            raise ValueError(f"unknown outcome {result.kind!r}")


# The extractor recognises a message by its first header line; the MTA may put any first.
_RECOGNISED_FIRST = ("received", "from", "to", "subject", "date", "message-id", "mime-version", "return-path")


def _known_header_first(state: _MessageState) -> list[bytes]:
    """The header lines, one the extractor recognises moved to the front (order means nothing to it)."""
    raws = list(state.raw_headers)
    for i, (name, _value) in enumerate(state.headers):
        if name.strip().lower() in _RECOGNISED_FIRST:
            return [raws[i], *raws[:i], *raws[i + 1:]]
    return raws


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for n, v in headers:
        if n.lower() == name:
            return v.strip()
    return None


def install_signal_handlers(loop: asyncio.AbstractEventLoop, on_reload: Callable[[], None],
                            on_stop: Callable[[], None]) -> None:
    loop.add_signal_handler(signal.SIGHUP, on_reload)
    loop.add_signal_handler(signal.SIGTERM, on_stop)
    loop.add_signal_handler(signal.SIGINT, on_stop)
