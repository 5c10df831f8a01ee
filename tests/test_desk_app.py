"""The desk's web application in process: accounts, sign-in, CSRF, lock-out, values only on item pages.

Real parts throughout: the SQLite store on disk, argon2 hashes, asgi-csrf, Starlette's
signed session, the hash-chained audit log; requests go through Starlette's TestClient.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from disclosureguard.audit import verify
from disclosureguard.desk.app import create_app
from disclosureguard.desk.auth import LoginPolicy, add_user
from disclosureguard.desk.settings import DeskConfig, DeskConfigError
from disclosureguard.desk.store import Store

PASSWORD = "correct horse battery"
VALUE = "943 476 5919"
VERDICT = {
    "source": "message ABC123DEF", "decision": "block",
    "recipients": [{"address": "mjones@example.net", "class": "case-person", "decision": "block"}],
    "findings": [{"entity_type": "UK_NHS", "text": VALUE, "score": 1.0, "location": "body, paragraph 2",
                  "hidden": False, "case": "CSC-2021-004512", "person": "lily", "detail": "identifiers"}],
    "reasons": [{"rule": "withheld-detail", "action": "block", "recipient": "mjones@example.net",
                 "message": "Lily Smith's NHS number must not go to Mark Jones", "findings": [0]}],
    "errors": [],
}
PLACES = [{"location": "body, paragraph 2", "text": VALUE, "before": "Her NHS number is ", "after": " as held."}]


@pytest.fixture()
def desk(tmp_path: Path) -> tuple[TestClient, Store, Path]:
    store_path, audit = tmp_path / "desk.sqlite", tmp_path / "audit.jsonl"
    store = Store(store_path)
    add_user(store, "alice", PASSWORD, "reviewer")
    add_user(store, "root", PASSWORD + "!", "admin")
    store.record_hold("ABC123DEF", "worker@gov.je", ["mjones@example.net"], "block", ["withheld-detail"],
                      ["CSC-2021-004512"], VERDICT, PLACES)
    app = create_app(DeskConfig(store=str(store_path), audit_log=str(audit),
                                login=LoginPolicy(failures=5, lock_for=600)))
    return TestClient(app, base_url="http://127.0.0.1"), store, audit


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    m = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert m, page.text
    return m.group(1)


def sign_in(client: TestClient, name: str = "alice", password: str = PASSWORD) -> None:
    r = client.post("/login", data={"name": name, "password": password, "csrftoken": csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_store_file_is_private_and_in_wal_mode(desk: tuple[TestClient, Store, Path]) -> None:
    _client, store, _audit = desk
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    with store.connect() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("BEGIN IMMEDIATE")  # an open write keeps the -wal and -shm files there
        db.execute("UPDATE users SET role = role")
        sides = sorted(store.path.parent.glob("desk.sqlite-*"))
        assert [p.name for p in sides] == ["desk.sqlite-shm", "desk.sqlite-wal"]
        for side in sides:
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side.name
        db.execute("COMMIT")


def test_passwords_are_stored_as_argon2_hashes(desk: tuple[TestClient, Store, Path]) -> None:
    _client, store, _audit = desk
    user = store.user("alice")
    assert user is not None and user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_no_page_with_values_without_signing_in(desk: tuple[TestClient, Store, Path]) -> None:
    client, _store, _audit = desk
    for path in ("/held", "/held/1", "/sweeps", "/findings/1", "/report", "/users"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login", path
        assert VALUE not in r.text


def test_values_only_on_the_item_page_and_each_view_is_audited(desk: tuple[TestClient, Store, Path]) -> None:
    client, _store, audit = desk
    sign_in(client)
    listing = client.get("/held")
    assert "ABC123DEF" in listing.text and VALUE not in listing.text and "withheld-detail" in listing.text
    item = client.get("/held/1")
    assert item.status_code == 200
    assert f'<mark class="hit">{VALUE}</mark>' in item.text
    assert "Her NHS number is" in item.text
    assert item.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in item.headers["content-security-policy"]
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [r["action"] for r in records] == ["login", "view-held"]
    assert records[1]["user"] == "alice" and records[1]["item"] == 1 and records[1]["ref"] == "ABC123DEF"
    assert VALUE not in audit.read_text()
    assert verify(audit).ok


def test_a_post_without_the_csrf_token_is_refused(desk: tuple[TestClient, Store, Path]) -> None:
    client, store, _audit = desk
    sign_in(client)
    r = client.post("/held/1/return", data={"note": "Please remove the NHS number"})
    assert r.status_code == 403
    other = TestClient(client.app, base_url="http://127.0.0.1")  # no cookies at all: a forged login
    r = other.post("/login", data={"name": "alice", "password": PASSWORD})
    assert r.status_code == 403
    item = store.held_item(1)
    assert item is not None and item["status"] == "held"


def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(desk: tuple[TestClient, Store, Path]) -> None:
    client, _store, audit = desk
    for _ in range(4):
        r = client.post("/login", data={"name": "alice", "password": "wrong password!", "csrftoken": csrf(client)})
        assert r.status_code == 401
    r = client.post("/login", data={"name": "alice", "password": "wrong password!", "csrftoken": csrf(client)})
    assert r.status_code == 429 and "locked" in r.text
    r = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrftoken": csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 429
    assert client.get("/held", follow_redirects=False).status_code == 303
    actions = [json.loads(line)["action"] for line in audit.read_text().splitlines()]
    assert actions == ["login-failed"] * 4 + ["login-locked", "login-locked"]


def test_a_justification_or_note_that_quotes_a_value_is_refused(desk: tuple[TestClient, Store, Path]) -> None:
    client, store, audit = desk
    sign_in(client)
    token = csrf(client, "/held/1")
    r = client.post("/held/1/return", data={"note": "Take out 9434765919 please", "csrftoken": token})
    assert r.status_code == 400 and "quotes a value" in r.text
    r = client.post("/held/1/release", data={"justification": "short", "recipient": "mjones@example.net",
                                             "csrftoken": token})
    assert r.status_code == 400 and "at least 10 characters" in r.text
    item = store.held_item(1)
    assert item is not None and item["status"] == "held"
    assert "9434765919" not in audit.read_text()


def test_reviewers_cannot_manage_accounts_and_admins_can(desk: tuple[TestClient, Store, Path]) -> None:
    client, store, _audit = desk
    sign_in(client)
    assert client.get("/users").status_code == 403
    admin = TestClient(client.app, base_url="http://127.0.0.1")
    sign_in(admin, "root", PASSWORD + "!")
    r = admin.post("/users", data={"name": "bob", "password": "another long password", "role": "reviewer",
                                   "csrftoken": csrf(admin, "/users")}, follow_redirects=False)
    assert r.status_code == 303
    bob = store.user("bob")
    assert bob is not None and bob.role == "reviewer"


def test_signing_out_ends_the_session_on_the_server(desk: tuple[TestClient, Store, Path]) -> None:
    client, _store, _audit = desk
    sign_in(client)
    cookie = client.cookies.get("dg_desk_session")
    assert client.post("/logout", data={"csrftoken": csrf(client, "/held")}, follow_redirects=False).status_code == 303
    replay = TestClient(client.app, base_url="http://127.0.0.1", cookies={"dg_desk_session": cookie or ""})
    assert replay.get("/held", follow_redirects=False).status_code == 303


def test_the_desk_refuses_a_public_address_without_tls(tmp_path: Path) -> None:
    config = DeskConfig(store=str(tmp_path / "s.sqlite"), audit_log=str(tmp_path / "a.jsonl"), host="0.0.0.0")
    with pytest.raises(DeskConfigError, match="not a loopback address"):
        create_app(config)
    DeskConfig(store=config.store, audit_log=config.audit_log, host="::1").check()


def test_a_trusted_proxy_header_signs_in_a_known_account_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "desk.sqlite")
    add_user(store, "alice", PASSWORD, "reviewer")
    app = create_app(DeskConfig(store=str(store.path), audit_log=str(tmp_path / "a.jsonl"),
                                trusted_header="X-Remote-User", trusted_proxies=("testclient",)))
    client = TestClient(app)
    assert client.get("/held", headers={"X-Remote-User": "alice"}).status_code == 200
    assert client.get("/held", headers={"X-Remote-User": "mallory"}, follow_redirects=False).status_code == 303


def test_wrong_passwords_for_many_names_lock_the_client(tmp_path: Path) -> None:
    store = Store(tmp_path / "desk.sqlite")
    add_user(store, "alice", PASSWORD, "reviewer")
    app = create_app(DeskConfig(store=str(store.path), audit_log=str(tmp_path / "a.jsonl"),
                                login=LoginPolicy(failures=5, client_failures=6)))
    client = TestClient(app, base_url="http://127.0.0.1")
    statuses = [client.post("/login", data={"name": f"guess{n}", "password": "wrong password!",
                                            "csrftoken": csrf(client)}).status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    r = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrftoken": csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 429


def test_a_message_already_decided_cannot_be_decided_again(desk: tuple[TestClient, Store, Path]) -> None:
    client, store, audit = desk
    store.decide_held(1, "returned", "bob", "returned by another reviewer")
    sign_in(client)
    r = client.post("/held/1/release", data={"justification": "It is fine to send now.",
                                             "recipient": "mjones@example.net", "csrftoken": csrf(client, "/held/1")})
    assert r.status_code == 400 and "already decided (returned by bob)" in r.text
    assert not any(json.loads(line)["action"] == "release" for line in audit.read_text().splitlines())
