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
import socket
import sqlite3
import threading
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from .. import masking
from ..audit import AuditLog
from ..model import Action, Segment
from ..pool_worker import Scanned
from . import protocol as p
from .actions import Message, Outcome, failure_outcome, find_override, outcome
from .config import MilterConfig
from .rewrite import Rewrite, RewriteError, plan_rewrite

log = logging.getLogger("disclosureguard.milter")

# scan(data, name, recipients) -> the verdict (with the redacted copy when one was made), run
# off the event loop.
ScanFunction = Callable[[bytes, str, tuple[str, ...]], Awaitable[Scanned]]
PROGRESS_EVERY = 5.0  # seconds between SMFIR_PROGRESS while a scan runs
# A scan may first wait for a free worker: the bound on the whole wait is twice the scan's
# time limit plus this, after which the message is tempfailed (the scan is left to finish).
WAIT_BEYOND_LIMIT = 10.0
SKIP_STEPS = p.SMFIP_NOCONNECT | p.SMFIP_NOHELO | p.SMFIP_NOUNKNOWN | p.SMFIP_NODATA | p.SMFIP_HDR_LEADSPC


@dataclass
class _MessageState:
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw_headers: list[bytes] = field(default_factory=list)
    parts: list[bytes] = field(default_factory=list)  # the body
    size: int = 0
    oversize: bool = False  # larger than max_message_bytes: not buffered
    busy: bool = False  # the server's buffer budget was spent: not buffered


class MilterServer:
    """Serves the milter protocol; ``config`` and ``scan`` may be swapped at run time (reload)."""

    def __init__(self, config: MilterConfig, scan: ScanFunction, audit: AuditLog | None = None) -> None:
        self.config = config
        self.scan = scan
        self.audit = audit
        self.active: set[asyncio.Task[None]] = set()
        self.buffered = 0  # bytes of messages held by all connections, bounded by max_buffered_bytes
        self._server: asyncio.Server | None = None

    async def start(self) -> asyncio.AbstractServer:
        # Replies scrub names from the input; their recognisers load in the background, once.
        threading.Thread(target=masking.warm, name="masking-warm", daemon=True).start()
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
        except Exception as e:  # our bug: the MTA tempfails this one message; the service goes on
            # Type and place only: an exception's text may quote the message.
            where = traceback.extract_tb(e.__traceback__)[-1]
            log.error("closing a connection after an internal error (%s at %s:%d)", type(e).__name__,
                      os.path.basename(where.filename), where.lineno)
        finally:
            session.reset()
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
        self.actions = 0  # the SMFIF_* actions agreed with the MTA
        sock = writer.get_extra_info("socket")
        tcp = sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6)
        self.quickack_socket = sock if tcp and hasattr(socket, "TCP_QUICKACK") else None

    async def send(self, *packets: bytes) -> None:
        self.writer.write(b"".join(packets))  # one segment: no waiting on ACKs between packets
        await self.writer.drain()

    def _quick_ack(self) -> None:
        """Acknowledge at once what the MTA sends.

        The MTA writes a macro packet and then the command it belongs to without waiting for a
        reply; with Nagle on its side and delayed ACKs on ours, the second write waits ~40 ms
        for our ACK of the first. Linux's TCP_QUICKACK lasts only until the next receive, so it
        is set again before each read.
        """
        if self.quickack_socket is not None:
            try:
                self.quickack_socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            except OSError:
                self.quickack_socket = None

    async def run(self) -> None:
        while True:
            self._quick_ack()
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
            self.actions = wanted_actions(self.server.config)
            reply, agreed = p.optneg_reply(p.parse_optneg(data), self.actions, SKIP_STEPS)
            self.leadspace = bool(agreed & p.SMFIP_HDR_LEADSPC)
            self.negotiated = True
            return reply
        if cmd == p.MACRO:
            self.macros.update(p.parse_macros(data))
            return None
        if cmd in (p.ABORT, p.QUIT_NC):
            self.reset()  # the MTA gave this message up; the connection goes on
            if cmd == p.QUIT_NC:
                self.macros.clear()
            return None
        if cmd == p.MAIL:
            self.reset()
            self.msg.sender = p.parse_address(data)
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

    def reset(self) -> _MessageState:
        """Start a fresh message; give the old one's bytes back to the server's budget."""
        old, self.msg = self.msg, _MessageState()
        if not (old.oversize or old.busy):
            self.server.buffered -= old.size
        return old

    def _count(self, size: int) -> bool:
        """Whether to buffer ``size`` more bytes: past a limit keep only the fact, and drop the rest."""
        msg = self.msg
        if msg.oversize or msg.busy:
            return False
        config = self.server.config
        if msg.size + size > config.max_message_bytes:
            msg.oversize = True
        elif self.server.buffered + size > config.max_buffered_bytes:
            msg.busy = True
        else:
            msg.size += size
            self.server.buffered += size
            return True
        self.server.buffered -= msg.size
        msg.parts.clear()
        msg.raw_headers.clear()
        msg.headers.clear()
        return False

    async def end_of_message(self) -> None:
        state = self.msg
        config = self.server.config
        queue_id = self.macros.get("i", "")
        message = Message(
            ref=queue_id or f"dg-{secrets.token_hex(5)}",
            sender=state.sender,
            recipients=tuple(dict.fromkeys(state.recipients)),
            message_id=_header(state.headers, "message-id"),
            override=find_override(state.headers),
        )
        if state.oversize or state.busy:
            self.reset()
            result = self._fit(failure_outcome(message, "oversize" if state.oversize else "busy", config))
            if result.kind == "hold" and config.desk_store:
                result = await self._record_hold(result, None, message, config)
        else:
            data = b"".join([*_known_header_first(state), b"\r\n", *state.parts])
            state.parts.clear()
            try:
                result = self._fit(await self._scan(data, message, config))
                if result.kind == "hold" and config.desk_store:  # recorded before the MTA hears of it
                    result = await self._record_hold(result, data, message, config)
            finally:
                del data
                self.reset()
        if self.server.audit is not None:
            try:  # recorded before the MTA hears the answer: no message goes unrecorded
                await asyncio.get_running_loop().run_in_executor(None, self.server.audit.append, result.audit)
            except OSError as e:
                log.error("message %s: the audit log could not be written (%s)", message.ref, e.strerror or e)
                result = failure_outcome(message, "audit-failed", replace(config, on_failure="tempfail"))
        await self.apply(result)
        log.info("message %s: %s (%s)", message.ref, result.audit.get("action"), result.audit.get("decision"))
        if config.notice_relay and message.sender:
            self._notify(result, message, config)

    async def _record_hold(self, result: Outcome, data: bytes | None, message: Message,
                           config: MilterConfig) -> Outcome:
        """Put a held message on the review desk; a hold that cannot be recorded is tempfailed,
        so no message waits in the hold queue unknown to the reviewers."""
        from ..desk.holds import extracted_segments, record_hold
        from ..desk.store import Store

        loop = asyncio.get_running_loop()
        segments: tuple[Segment, ...] = ()
        if data is not None and result.verdict is not None:
            try:  # the text around each finding, for the reviewer; bounded like a scan
                segments = await asyncio.wait_for(loop.run_in_executor(
                    None, extracted_segments, data, f"message {message.ref}", config.scanner.limits),
                    config.time_limit)
            except Exception as e:  # the hold is recorded without the text around the findings
                log.warning("message %s: the held text could not be prepared for the desk (%s)", message.ref,
                            type(e).__name__)
        store_path = config.desk_store
        assert store_path is not None
        try:
            await loop.run_in_executor(None, lambda: record_hold(
                Store(store_path), message.ref, message.sender, message.recipients, result.verdict,
                segments, list(result.audit.get("rules", [])), str(result.audit.get("decision", "error"))))
        except (OSError, sqlite3.Error) as e:
            log.error("message %s: the hold could not be recorded on the desk (%s)", message.ref, type(e).__name__)
            return failure_outcome(message, "desk-failed", replace(config, on_failure="tempfail"))
        return result

    def _notify(self, result: Outcome, message: Message, config: MilterConfig) -> None:
        """Tell the sender, off the loop and after the MTA has its answer; a failure is logged."""
        from ..desk import notices

        verdict = result.verdict.to_dict(values=True) if result.verdict is not None else {}
        own = [message.sender, *message.recipients]
        rules = list(result.audit.get("rules", []))
        if result.kind == "hold":
            subject, body = notices.held_notice(message.ref, message.recipients, rules, notices.places(verdict, own))
        elif (result.kind == "accept" and config.notify_on_warn and result.verdict is not None
              and any(rv.decision == Action.WARN for rv in result.verdict.recipients)):
            warn_rules = sorted({r.rule for r in result.verdict.reasons if r.action == Action.WARN})
            subject, body = notices.warned_notice(message.ref, message.recipients, warn_rules,
                                                  notices.places(verdict, own))
        else:
            return
        relay = notices.Relay.parse(str(config.notice_relay), config.notice_from)
        future = asyncio.get_running_loop().run_in_executor(
            None, notices.send_notice, relay, message.sender, subject, body, message.ref)

        def done(f: asyncio.Future[None]) -> None:
            if f.exception() is not None:
                log.error("message %s: the notice to the sender could not be sent (%s)", message.ref,
                          type(f.exception()).__name__)
            else:
                log.info("message %s: the sender was told", message.ref)
        future.add_done_callback(done)

    async def _scan(self, data: bytes, message: Message, config: MilterConfig) -> Outcome:
        name = f"message {message.ref}"
        scan = asyncio.ensure_future(self.server.scan(data, name, message.recipients))
        # The pool enforces the time limit per scan; this bound also covers waiting for a free
        # worker, so a backlog turns into tempfails instead of the MTA's own timeout.
        deadline = asyncio.get_running_loop().time() + config.time_limit * 2 + WAIT_BEYOND_LIMIT
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
            result = scan.result()
        except Exception as e:  # the pool itself failed: fail closed
            log.error("message %s: the scan failed (%s)", message.ref, type(e).__name__)
            return failure_outcome(message, "scanner-error", config)
        rewrite, error = None, None
        if result.redaction is not None:
            redaction = result.redaction
            if redaction.data is None:
                error = redaction.error or "could not redact"
            else:
                try:  # off the loop: the body is re-read to give it CRLF line ends
                    rewrite = await asyncio.get_running_loop().run_in_executor(
                        None, plan_rewrite, data, redaction.data, redaction.removed)
                except RewriteError as e:  # names a header, never a value
                    log.warning("message %s: the redacted copy cannot be applied: %s", message.ref, e)
                    error = "could not redact (RewriteError)"
        return replace(outcome(result.verdict, message, config, rewrite, error), verdict=result.verdict)

    def _fit(self, result: Outcome) -> Outcome:
        """The outcome this connection can carry out.

        Holding may be switched on by a reload after a connection agreed its actions without
        quarantine: such a message is tempfailed, and held when the MTA tries it again.
        """
        if result.kind == "hold" and not self.actions & p.SMFIF_QUARANTINE:
            audit = {**result.audit, "action": f"tempfail-{result.audit.get('action', 'hold')}"}
            return replace(result, kind="tempfail", code=451, audit=audit,
                           lines=("4.7.0 DisclosureGuard will hold this message for a reviewer; try again.",))
        if result.rewrite is not None and self.actions & REWRITE_ACTIONS != REWRITE_ACTIONS:
            # Redaction switched on by a reload: this connection may not change the body.
            audit = {**result.audit, "action": f"tempfail-{result.audit.get('action', 'redact')}"}
            return replace(result, kind="tempfail", code=451, audit=audit, rewrite=None, headers=(),
                           lines=("4.7.0 DisclosureGuard will send a redacted copy of this message; try again.",))
        return result

    async def apply(self, result: Outcome) -> None:
        if result.kind == "accept":
            # With HDR_LEADSPC agreed the MTA stores a header value as sent: give it its space.
            pad = " " if self.leadspace else ""
            edits = rewrite_packets(result.rewrite, self.leadspace) if result.rewrite is not None else []
            await self.send(*edits, *(p.add_header(n, pad + v) for n, v in result.headers), p.encode(p.ACCEPT))
        elif result.kind == "hold":
            await self.send(p.quarantine(result.hold_reason), p.encode(p.ACCEPT))
        elif result.kind in ("reject", "tempfail"):
            await self.send(p.reply_code(result.code, list(result.lines)))
        else:
            raise ValueError(f"unknown outcome {result.kind!r}")


REWRITE_ACTIONS = p.SMFIF_ADDHDRS | p.SMFIF_CHGHDRS | p.SMFIF_CHGBODY


def wanted_actions(config: MilterConfig) -> int:
    """Add headers always; quarantine only when a setting holds mail, and change headers and the
    body only when the gateway redacts in transit (an MTA may not offer them)."""
    holds = "hold" in (config.on_block, config.on_redact, config.on_failure)
    actions = p.SMFIF_ADDHDRS | (p.SMFIF_QUARANTINE if holds else 0)
    return actions | (REWRITE_ACTIONS if config.on_redact == "redact" else 0)


def rewrite_packets(rewrite: Rewrite, leadspace: bool) -> list[bytes]:
    """The header edits, then the new body in chunks the MTA joins."""
    pad = b" " if leadspace else b""
    packets = []
    for edit in rewrite.headers:
        value = pad + edit.value if edit.value else b""
        if edit.index == 0:
            packets.append(p.add_raw_header(edit.name, value))
        else:
            packets.append(p.change_header(edit.name, edit.index, value))
    return packets + p.replace_body(rewrite.body)


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


def install_signal_handlers(loop: asyncio.AbstractEventLoop, on_reload: Callable[[], object],
                            on_stop: Callable[[], object]) -> None:
    loop.add_signal_handler(signal.SIGHUP, on_reload)
    loop.add_signal_handler(signal.SIGTERM, on_stop)
    loop.add_signal_handler(signal.SIGINT, on_stop)
