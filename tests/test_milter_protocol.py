"""The milter server at the protocol level: an MTA-side client speaks to it over a real socket.

The scan function here returns verdicts built from the message text, so these tests check the
protocol, buffering and failure handling; test_milter_postfix.py runs the real scanner and Postfix.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable

import pytest

from disclosureguard.milter import protocol as p
from disclosureguard.milter import server as server_module
from disclosureguard.milter.config import Listen, MilterConfig
from disclosureguard.milter.server import MilterServer
from disclosureguard.model import Action, Finding, Place, Reason, Recipient, RecipientVerdict, Verdict
from disclosureguard.pool_worker import Scanned

# What Postfix 3.7 offers: every action, every protocol step flag.
POSTFIX_ACTIONS = 0x1FF
POSTFIX_PROTOCOL = 0x1FFFFF


class MtaClient:
    """Just enough of the MTA side of the protocol to drive one message at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> MtaClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, command: bytes, data: bytes = b"") -> None:
        self.writer.write(p.encode(command, data))
        await self.writer.drain()

    async def reply(self, timeout: float = 10) -> p.Packet:
        packet = await asyncio.wait_for(p.read_packet(self.reader), timeout)
        assert packet is not None, "the milter closed the connection"
        return packet

    async def negotiate(self, actions: int = POSTFIX_ACTIONS, protocol: int = POSTFIX_PROTOCOL) -> p.Packet:
        await self.send(p.OPTNEG, struct.pack("!III", 6, actions, protocol))
        return await self.reply()

    async def message(self, sender: str, recipients: list[str], headers: list[tuple[str, str]], body: bytes,
                      queue_id: str = "ABC123") -> list[p.Packet]:
        """Send one message; the packets that answer its end (manipulations, then the verdict)."""
        await self.send(p.MACRO, b"M" + b"i\0" + queue_id.encode() + b"\0")
        await self.send(p.MAIL, f"<{sender}>\0".encode())
        assert (await self.reply()).command == p.CONTINUE
        for r in recipients:
            await self.send(p.RCPT, f"<{r}>\0SIZE=10\0".encode())
            assert (await self.reply()).command == p.CONTINUE
        for name, value in headers:
            await self.send(p.HEADER, name.encode() + b"\0 " + value.encode() + b"\0")
            assert (await self.reply()).command == p.CONTINUE
        await self.send(p.EOH)
        assert (await self.reply()).command == p.CONTINUE
        for i in range(0, len(body), 65535):
            await self.send(p.BODY, body[i:i + 65535])
            assert (await self.reply()).command == p.CONTINUE
        await self.send(p.BODYEOB)
        answers = []
        while True:
            packet = await self.reply()
            answers.append(packet)
            if packet.command in (p.ACCEPT, p.REPLYCODE, p.TEMPFAIL, p.REJECT):
                return answers

    async def close(self) -> None:
        await self.send(p.QUIT)
        self.writer.close()


SEEN: list[tuple[bytes, str, tuple[str, ...]]] = []


async def scan_by_keyword(data: bytes, name: str, to: tuple[str, ...]) -> Scanned:
    """BLOCK-ME in the text blocks every recipient, WARN-ME warns; SLOW waits; BOOM raises."""
    SEEN.append((data, name, to))
    if b"SLOW" in data:
        await asyncio.sleep(0.5)
    if b"BOOM" in data:
        raise RuntimeError("scanner exploded")
    decision = Action.BLOCK if b"BLOCK-ME" in data else Action.WARN if b"WARN-ME" in data else Action.ALLOW
    finding = Finding("UK_POSTCODE", "JE3 8XY", 0.9, 1, 0, 7, Place("email body, paragraph 1"))
    reasons = tuple(Reason("withheld-detail" if decision == Action.BLOCK else "partner-not-contact", decision, a,
                           "Sarah Smith's address", (0,)) for a in to if decision > Action.ALLOW)
    recips = tuple(RecipientVerdict(Recipient(a, "unknown"), decision) for a in to)
    return Scanned(Verdict(name, decision, recips, (finding,), reasons, ()))


@pytest.fixture
def run_server() -> Callable[..., None]:
    """run_server(body, **config): start a server on a free port, run ``body(port)``, stop it."""

    def run(body: Callable[[int], Awaitable[None]], **config: object) -> None:
        async def main() -> None:
            cfg = MilterConfig(listen=Listen("inet", "127.0.0.1", 0), **config)  # type: ignore[arg-type]
            server = MilterServer(cfg, scan_by_keyword)
            await server.start()
            try:
                await body(server.port)
            finally:
                await server.stop(grace=1)

        SEEN.clear()
        asyncio.run(asyncio.wait_for(main(), 30))

    return run


HEADERS = [("From", "worker@gov.je"), ("To", "mjones@example.net"), ("Subject", "Visit")]


def test_negotiation_asks_for_headers_body_changes_when_redacting_and_quarantine_when_holding(run_server) -> None:
    async def body(port: int, expected_actions: int) -> None:
        c = await MtaClient.connect(port)
        answer = await c.negotiate()
        version, actions, protocol = struct.unpack("!III", answer.data)
        assert answer.command == p.OPTNEG and version == 6
        assert actions == expected_actions
        assert protocol & p.SMFIP_NOCONNECT and protocol & p.SMFIP_HDR_LEADSPC
        await c.close()

    rewrite = p.SMFIF_ADDHDRS | p.SMFIF_CHGHDRS | p.SMFIF_CHGBODY
    run_server(lambda port: body(port, rewrite))  # the default redacts in transit
    run_server(lambda port: body(port, p.SMFIF_ADDHDRS), on_redact="reject")
    run_server(lambda port: body(port, rewrite | p.SMFIF_QUARANTINE), on_block="hold")


def test_an_mta_that_cannot_hold_is_refused_when_holding_is_configured(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.send(p.OPTNEG, struct.pack("!III", 6, p.SMFIF_ADDHDRS, POSTFIX_PROTOCOL))
        assert await asyncio.wait_for(c.reader.read(), 5) == b""  # the MTA then applies its default action

    run_server(body, on_failure="hold")


def test_an_allowed_message_is_accepted_with_headers_and_scanned_with_envelope_recipients(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["a@gov.je", "B@Gov.JE"], HEADERS, b"Hello\r\n")
        assert answers[-1].command == p.ACCEPT
        added = [a.data for a in answers if a.command == p.ADDHEADER]
        assert b"X-DisclosureGuard-Decision\0 allow\0" in added
        assert b"X-DisclosureGuard-Ref\0 ABC123\0" in added
        await c.close()

    run_server(body)
    data, name, to = SEEN[0]
    assert to == ("a@gov.je", "b@gov.je") and name == "message ABC123"
    assert data.startswith(b"From: worker@gov.je\r\n") and data.endswith(b"\r\n\r\nHello\r\n")


def test_a_blocked_message_gets_a_550_reply_code(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["mjones@example.net"], HEADERS, b"BLOCK-ME\r\n")
        last = answers[-1]
        assert last.command == p.REPLYCODE
        text = last.data.rstrip(b"\0").decode()
        assert text.startswith("550-5.7.1 Not sent: it must not go to mjones@example.net (rule withheld-detail)")
        assert "\r\n550 5.7.1 Reference ABC123" in text and "JE3 8XY" not in text
        await c.close()

    run_server(body)


def test_a_blocked_message_can_be_quarantined(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["mjones@example.net"], HEADERS, b"BLOCK-ME\r\n")
        assert [a.command for a in answers] == [p.QUARANTINE, p.ACCEPT]
        await c.close()

    run_server(body, on_block="hold")


def test_several_messages_on_one_connection_and_an_abort_in_between(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        await c.send(p.MAIL, b"<x@gov.je>\0")
        assert (await c.reply()).command == p.CONTINUE
        await c.send(p.RCPT, b"<mjones@example.net>\0")
        assert (await c.reply()).command == p.CONTINUE
        await c.send(p.ABORT)
        first = await c.message("worker@gov.je", ["a@gov.je"], HEADERS, b"one\r\n", queue_id="Q1")
        second = await c.message("worker@gov.je", ["b@gov.je"], HEADERS, b"WARN-ME\r\n", queue_id="Q2")
        assert first[-1].command == p.ACCEPT and second[-1].command == p.ACCEPT
        assert any(b"warn" in a.data for a in second if a.command == p.ADDHEADER)
        await c.close()

    run_server(body)
    assert [to for _, _, to in SEEN] == [("a@gov.je",), ("b@gov.je",)]


def test_an_oversize_message_is_tempfailed_without_being_buffered(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["a@gov.je"], HEADERS, b"x" * 200_000)
        text = answers[-1].data.decode()
        assert text.startswith("451-4.7.0 ") and "larger than" in text
        await c.close()

    run_server(body, max_message_bytes=100_000)
    assert SEEN == []


def test_past_the_servers_buffer_budget_new_messages_are_tempfailed_and_the_budget_comes_back() -> None:
    async def main() -> None:
        cfg = MilterConfig(listen=Listen("inet", "127.0.0.1", 0), max_buffered_bytes=150_000)
        server = MilterServer(cfg, scan_by_keyword)
        await server.start()
        first = await MtaClient.connect(server.port)
        await first.negotiate()
        slow = asyncio.ensure_future(
            first.message("worker@gov.je", ["a@gov.je"], HEADERS, b"SLOW\r\n" + b"x" * 100_000))
        await asyncio.sleep(0.2)  # the first message is held while it is scanned
        second = await MtaClient.connect(server.port)
        await second.negotiate()
        answers = await second.message("worker@gov.je", ["b@gov.je"], HEADERS, b"y" * 100_000)
        assert answers[-1].data.startswith(b"451-4.7.0 ") and b"holding as much mail" in answers[-1].data
        assert (await slow)[-1].command == p.ACCEPT
        assert server.buffered == 0
        answers = await second.message("worker@gov.je", ["b@gov.je"], HEADERS, b"y" * 100_000)
        assert answers[-1].command == p.ACCEPT
        await first.close()
        await second.close()
        await server.stop(grace=1)
        assert server.buffered == 0

    asyncio.run(asyncio.wait_for(main(), 30))


def test_a_scan_that_raises_is_tempfailed(run_server) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["a@gov.je"], HEADERS, b"BOOM\r\n")
        assert answers[-1].data.startswith(b"451-4.7.0 ")
        await c.close()

    run_server(body)


def test_a_slow_scan_sends_progress_and_a_stuck_one_is_tempfailed(run_server, monkeypatch) -> None:
    monkeypatch.setattr(server_module, "PROGRESS_EVERY", 0.05)
    monkeypatch.setattr(server_module, "WAIT_BEYOND_LIMIT", 0.0)

    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["a@gov.je"], HEADERS, b"SLOW\r\n")
        assert p.PROGRESS in [a.command for a in answers]
        assert answers[-1].command == p.REPLYCODE and answers[-1].data.startswith(b"451-4.7.0 ")
        await c.close()

    run_server(body, time_limit=0.15)  # the whole wait is bounded by 0.3 s; the scan takes 0.5 s


def test_a_protocol_error_closes_that_connection_only(run_server) -> None:
    async def body(port: int) -> None:
        bad = await MtaClient.connect(port)
        bad.writer.write(struct.pack("!I", 50_000_000) + b"X")  # an absurd packet length
        await bad.writer.drain()
        assert await asyncio.wait_for(bad.reader.read(), 5) == b""  # closed by the milter
        worse = await MtaClient.connect(port)
        await worse.send(p.MAIL, b"<x@gov.je>\0")  # before negotiation
        assert await asyncio.wait_for(worse.reader.read(), 5) == b""
        garbage = await MtaClient.connect(port)
        await garbage.negotiate()
        await garbage.send(p.HEADER, b"no-terminator")
        assert await asyncio.wait_for(garbage.reader.read(), 5) == b""
        good = await MtaClient.connect(port)
        await good.negotiate()
        answers = await good.message("worker@gov.je", ["a@gov.je"], HEADERS, b"fine\r\n")
        assert answers[-1].command == p.ACCEPT
        await good.close()

    run_server(body)


def test_many_connections_are_served_at_once(run_server) -> None:
    async def one(port: int, i: int) -> bytes:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", [f"r{i}@gov.je"], HEADERS, b"SLOW\r\n", queue_id=f"Q{i}")
        await c.close()
        return answers[-1].command

    async def body(port: int) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        results = await asyncio.gather(*(one(port, i) for i in range(10)))
        assert results == [p.ACCEPT] * 10
        assert loop.time() - started < 3  # ten half-second scans overlapped

    run_server(body)


def test_stopping_lets_a_message_under_way_finish_and_refuses_new_connections() -> None:
    async def main() -> None:
        server = MilterServer(MilterConfig(listen=Listen("inet", "127.0.0.1", 0)), scan_by_keyword)
        await server.start()
        port = server.port
        c = await MtaClient.connect(port)
        await c.negotiate()
        under_way = asyncio.ensure_future(c.message("worker@gov.je", ["a@gov.je"], HEADERS, b"SLOW\r\n"))
        await asyncio.sleep(0.2)  # the scan has started
        stopping = asyncio.ensure_future(server.stop(grace=5))
        answers = await under_way
        assert answers[-1].command == p.ACCEPT
        await c.close()
        await stopping
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", port)

    asyncio.run(asyncio.wait_for(main(), 30))


def test_a_unix_socket_serves_like_a_tcp_one(tmp_path) -> None:
    path = tmp_path / "milter.sock"
    path.write_text("left over by a previous run")

    async def main() -> None:
        server = MilterServer(MilterConfig(listen=Listen("unix", path=str(path))), scan_by_keyword)
        await server.start()
        reader, writer = await asyncio.open_unix_connection(str(path))
        c = MtaClient(reader, writer)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["mjones@example.net"], HEADERS, b"BLOCK-ME\r\n")
        assert answers[-1].data.startswith(b"550-5.7.1 ")
        await c.close()
        await server.stop(grace=1)

    asyncio.run(asyncio.wait_for(main(), 30))
    assert oct(path.stat().st_mode & 0o777) == oct(0o660)


def test_reply_code_keeps_smtp_text_ascii_and_free_of_percent() -> None:
    packet = p.reply_code(550, ["5.7.1 100% sure", "5.7.1 café"])
    assert packet[5:].rstrip(b"\0") == b"550-5.7.1 100? sure\r\n550 5.7.1 caf?"
    with pytest.raises(ValueError):
        p.reply_code(250, ["2.0.0 ok"])
