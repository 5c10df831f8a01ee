"""The milter records a hold on the desk before the MTA hears of it; a hold it cannot record is tempfailed."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from disclosureguard.desk.store import Store
from disclosureguard.milter import protocol as p
from test_milter_protocol import HEADERS, MtaClient, run_server  # noqa: F401  (run_server is a fixture)


def test_a_held_message_is_recorded_on_the_desk_with_its_verdict_and_places(
        run_server: Callable[..., None], tmp_path: Path) -> None:  # noqa: F811
    store_path = tmp_path / "desk.sqlite"

    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["mjones@example.net"], HEADERS,
                                  b"BLOCK-ME she lives at JE3 8XY now\r\n", queue_id="4ED6820E813")
        assert [a.command for a in answers] == [p.QUARANTINE, p.ACCEPT]
        await c.close()

    run_server(body, on_block="hold", desk_store=str(store_path))
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    store = Store(store_path)
    [listed] = store.held_list()
    assert listed["ref"] == "4ED6820E813" and listed["sender"] == "worker@gov.je"
    assert listed["recipients"] == ["mjones@example.net"] and listed["rules"] == ["withheld-detail"]
    item = store.held_item(listed["id"])
    assert item is not None and item["status"] == "held"
    assert item["verdict"]["findings"][0]["text"] == "JE3 8XY"
    [place] = item["places"]
    assert place["text"] == "JE3 8XY" and place["before"].endswith("she lives at ") and place["after"] == " now"


def test_a_hold_that_cannot_be_recorded_is_tempfailed_not_held(run_server: Callable[..., None],  # noqa: F811
                                                               tmp_path: Path) -> None:
    async def body(port: int) -> None:
        c = await MtaClient.connect(port)
        await c.negotiate()
        answers = await c.message("worker@gov.je", ["mjones@example.net"], HEADERS, b"BLOCK-ME\r\n")
        assert p.QUARANTINE not in [a.command for a in answers]
        assert answers[-1].command == p.REPLYCODE and answers[-1].data.startswith(b"451")
        await c.close()

    run_server(body, on_block="hold", desk_store=str(tmp_path / "no such folder" / "desk.sqlite"))


def test_the_milter_settings_for_the_desk_are_checked() -> None:
    import pytest

    from disclosureguard.errors import ConfigError
    from disclosureguard.judge import ScannerConfig
    from disclosureguard.milter.config import build

    config = build({"desk_store": "/var/lib/dg/desk.sqlite", "notice_relay": "127.0.0.1:10026",
                    "notify_on_warn": True}, ScannerConfig())
    assert config.desk_store == "/var/lib/dg/desk.sqlite" and config.notice_relay == "127.0.0.1:10026"
    assert config.notify_on_warn is True and config.notice_from == "disclosureguard@localhost"
    with pytest.raises(ConfigError, match="HOST:PORT"):
        build({"notice_relay": "localhost"}, ScannerConfig())
    with pytest.raises(ConfigError, match="true or false"):
        build({"notify_on_warn": "yes"}, ScannerConfig())
