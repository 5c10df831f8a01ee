"""The review desk end to end: real Postfix, the milter, the desk under uvicorn, headless Chromium.

A message the policy blocks is held by the milter (``--on-block hold``) and recorded on the
desk; the sender is told through Postfix. A reviewer signs in with Chromium, opens it, sees
the place highlighted, and releases it with a justification: Postfix then delivers it. A
returned message is deleted from the hold queue and its sender told what to change. A
batch sweep is imported, three findings are marked in the browser and the report counts
them. Screenshots of the list and item pages are taken (DG_DESK_SCREENSHOTS=DIR keeps them).
"""

from __future__ import annotations

import json
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard.audit import verify
from disclosureguard.cli.main import cli
from disclosureguard.desk.store import Store
from postfix_harness import PrivatePostfix, free_port, postfix_available
from smith_case import SMITH_CASE

pytestmark = [pytest.mark.postfix, pytest.mark.xdist_group("postfix")]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
POLICY = "organisation:\n  internal_domains: [gov.je]\n  partner_domains: [nhs.net]\n"
SENDER = "worker@gov.je"
MARK = "mjones@example.net"
GP = "gp@nhs.net"
COLLEAGUE = "colleague@gov.je"
REVIEWER, PASSWORD = "alice", "a long reviewer password"
SARAH_ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
SECRETS = ["Sarah", "Seaview", "JE3 8XY", "St Brelade", "Flat 3"]


@dataclass
class Desk:
    postfix: PrivatePostfix
    url: str
    store: Path
    audit: Path
    logs: dict[str, Path]
    shots: Path


def _wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}:\n{log.read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"did not listen on {port}:\n{log.read_text()}")


def _start(name: str, tmp: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp / f"{name}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "disclosureguard.cli.main", *args], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, env=env, cwd=tmp)
    return proc, log


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if not postfix_available() or not Path(CHROMIUM).exists():
        message = "Postfix (as root) and Debian's chromium are needed (scripts/system-deps installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("desk")
    cases = tmp / "cases"
    cases.mkdir()
    (cases / "smith.yaml").write_text(SMITH_CASE)
    (tmp / "policy.yaml").write_text(POLICY)
    store, audit = tmp / "desk.sqlite", tmp / "audit.jsonl"
    milter_port, desk_port = free_port(), free_port()
    postfix = PrivatePostfix({"guarded": f"inet:127.0.0.1:{milter_port}", "plain": None})
    (tmp / "milter.yaml").write_text(
        f"desk_store: {store}\nnotice_relay: 127.0.0.1:{postfix.ports['plain']}\nnotice_from: ig@gov.je\n"
        "notify_on_warn: true\n")
    result = CliRunner().invoke(cli, ["desk", "user", "add", REVIEWER, "--store", str(store), "--password-stdin"],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    procs: dict[str, subprocess.Popen[bytes]] = {}
    logs: dict[str, Path] = {}
    try:
        procs["milter"], logs["milter"] = _start(
            "milter", tmp, "milter", "--listen", f"inet:127.0.0.1:{milter_port}", "--cases", str(cases),
            "--policy", str(tmp / "policy.yaml"), "--no-model", "--workers", "1", "--on-block", "hold",
            "--audit-log", str(audit), "--config", str(tmp / "milter.yaml"))
        procs["desk"], logs["desk"] = _start(
            "desk", tmp, "desk", "serve", "--store", str(store), "--audit-log", str(audit), "--port", str(desk_port),
            "--postfix-config", str(postfix.conf), "--notice-relay", f"127.0.0.1:{postfix.ports['plain']}",
            "--notice-from", "ig@gov.je")
        postfix.start()
        _wait_port(milter_port, procs["milter"], logs["milter"])
        _wait_port(desk_port, procs["desk"], logs["desk"])
        shots = Path(os.environ.get("DG_DESK_SCREENSHOTS") or tmp / "shots")
        shots.mkdir(parents=True, exist_ok=True)
        yield Desk(postfix, f"http://127.0.0.1:{desk_port}", store, audit, logs, shots)
    finally:
        postfix.remove()
        for proc in procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def browser(desk: Desk, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                        headless=True, viewport={"width": 1100, "height": 760})
        page = context.new_page()
        page.goto(f"{desk.url}/held")
        assert page.url.endswith("/login")  # nothing without signing in
        page.fill("input[name=name]", REVIEWER)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login button[type=submit]")
        page.wait_for_url(f"{desk.url}/held")
        yield page
        context.close()


def send_held(desk: Desk, recipients: list[str], body: str) -> tuple[str, str]:
    """Send a message the milter holds; (queue id, marker)."""
    marker = f"m-{uuid.uuid4().hex[:12]}"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = SENDER, ", ".join(recipients), "Contact"
    msg["X-Test-Marker"] = marker
    msg.set_content(body)
    with smtplib.SMTP("127.0.0.1", desk.postfix.ports["guarded"], timeout=120) as smtp:
        smtp.ehlo("client.gov.je")
        assert smtp.mail(SENDER)[0] == 250
        for r in recipients:
            assert smtp.rcpt(r)[0] == 250
        code, reply = smtp.data(msg.as_bytes())
    assert code == 250, reply
    m = re.search(rb"queued as (\w+)", reply)
    assert m, reply
    qid = m.group(1).decode()
    assert desk.postfix.wait_held(qid) is not None, desk.postfix.log()[-3000:]
    return qid, marker


def notice_for(desk: Desk, qid: str, kind: str, timeout: float = 20) -> str:
    """The text of the notice of ``kind`` (Held / Returned / Released) about ``qid`` the sender received."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in desk.postfix.mailbox.glob(f"*.{SENDER}.eml"):
            text = path.read_text(errors="replace")
            notice = message_from_string(text, policy=default)
            if notice["X-DisclosureGuard-Notice"] == qid and str(notice["Subject"]).startswith(kind):
                return text
        time.sleep(0.2)
    raise AssertionError(f"no {kind} notice for {qid}:\n{desk.postfix.log()[-3000:]}")


def assert_no_secret(text: str) -> None:
    leaked = [s for s in SECRETS if s.lower() in text.lower()]
    assert leaked == [], f"{leaked} in:\n{text}"


def audit_records(desk: Desk) -> list[dict[str, object]]:
    return [json.loads(line) for line in desk.audit.read_text().splitlines()]


def test_held_message_is_reviewed_in_chromium_and_released_then_delivered(desk: Desk, browser: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser  # type: ignore[assignment]
    qid, marker = send_held(desk, [MARK], f"Dear Mark,\n\nSarah has moved to {SARAH_ADDRESS}.\n\nRegards")
    held = notice_for(desk, qid, "Held")
    assert "withheld-detail" in held and MARK in held and "email body" in held
    assert_no_secret(held)

    page.goto(f"{desk.url}/held")
    row = page.locator(f"tr.held-row[data-ref='{qid}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("withheld-detail")
    expect(page.locator("#held-list")).not_to_contain_text("Seaview")  # no values on the list
    page.screenshot(path=str(desk.shots / "desk-list.png"))

    row.locator("a.open").click()
    expect(page.locator("#ref")).to_have_text(qid)
    hits = page.locator("#places li.cited mark.hit")
    expect(page.locator("#places li.cited .why").first).to_contain_text("withheld-detail")
    expect(hits.first).to_be_visible()
    assert any("Seaview" in t for t in hits.all_inner_texts())
    expect(page.locator("#places")).to_contain_text("Sarah has moved to")  # the text around the place
    expect(page.locator("#recipients")).to_contain_text("withheld-detail")
    assert "?" not in page.url and "Seaview" not in page.url
    page.screenshot(path=str(desk.shots / "desk-item.png"), full_page=True)

    page.fill("#release textarea[name=justification]", "The father has a court order giving him this address.")
    page.click("#release button[type=submit]")
    expect(page.locator("#done")).to_have_text("Released.")
    expect(page.locator("#status")).to_contain_text(f"released by {REVIEWER}")

    delivered = desk.postfix.wait_delivered(MARK, marker, timeout=30)
    assert delivered is not None, desk.postfix.log()[-3000:]
    assert desk.postfix.wait_held(qid, timeout=0.5) is None
    released = notice_for(desk, qid, "Released")
    assert_no_secret(released)

    result = verify(desk.audit)
    assert result.ok, result.message
    records = audit_records(desk)
    hold = [r for r in records if r.get("event") == "milter" and r.get("ref") == qid]
    assert hold and hold[0]["action"] == "hold-block"
    views = [r for r in records if r.get("action") == "view-held" and r.get("ref") == qid]
    release = [r for r in records if r.get("action") == "release" and r.get("ref") == qid]
    assert views and views[0]["user"] == REVIEWER
    assert release and release[0]["user"] == REVIEWER and release[0]["released_to"] == [MARK]
    assert "court order" in str(release[0]["justification"])
    assert_no_secret(desk.audit.read_text())
    for log in desk.logs.values():
        assert_no_secret(log.read_text())


def test_returned_message_is_not_delivered_and_its_sender_is_told(desk: Desk, browser: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser  # type: ignore[assignment]
    qid, marker = send_held(desk, [MARK], f"Mark,\n\nSarah's new home is {SARAH_ADDRESS}.\n")
    page.goto(f"{desk.url}/held")
    page.locator(f"tr.held-row[data-ref='{qid}'] a.open").click()
    page.fill("#return textarea[name=note]", "Take the mother's new address out: it is withheld from him.")
    page.click("#return button[type=submit]")
    expect(page.locator("#done")).to_have_text("Returned to the sender.")

    notice = notice_for(desk, qid, "Returned")
    assert "withheld-detail" in notice and "Take the mother's new address out" in notice and REVIEWER in notice
    assert_no_secret(notice)
    assert desk.postfix.wait_held(qid, timeout=0.5) is None  # gone from the hold queue
    time.sleep(1)
    assert not any(marker in p.read_text(errors="replace") for p in desk.postfix.delivered())
    records = audit_records(desk)
    assert any(r.get("action") == "return" and r.get("ref") == qid and r.get("user") == REVIEWER for r in records)
    assert verify(desk.audit).ok


def test_release_to_some_recipients_keeps_it_from_the_others(desk: Desk, browser: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser  # type: ignore[assignment]
    qid, marker = send_held(desk, [MARK, COLLEAGUE], f"Sarah has moved to {SARAH_ADDRESS}.\n")
    page.goto(f"{desk.url}/held")
    page.locator(f"tr.held-row[data-ref='{qid}'] a.open").click()
    mark_box = page.locator(f"#release input[value='{MARK}']")
    expect(mark_box).not_to_be_checked()  # blocked for him: not offered by default
    expect(page.locator(f"#release input[value='{COLLEAGUE}']")).to_be_checked()
    page.fill("#release textarea[name=justification]", "The colleague needs it; the father must not have it.")
    page.click("#release button[type=submit]")
    expect(page.locator("#done")).to_have_text("Released.")
    copy = desk.postfix.wait_delivered(COLLEAGUE, marker, timeout=30)
    assert copy is not None, desk.postfix.log()[-3000:]
    text = copy.read_text()
    assert "*** " not in text and "Subject: Contact" in text and "Seaview Terrace" in text  # the message as sent
    time.sleep(1)
    assert not any(marker in p.read_text(errors="replace") for p in desk.postfix.mailbox.glob(f"*.{MARK}.eml"))
    assert desk.postfix.wait_held(qid, timeout=0.5) is None
    notice = notice_for(desk, qid, "Released")
    assert f"NOT sent to {MARK}" in notice


def test_a_warned_message_goes_on_and_its_sender_is_told(desk: Desk) -> None:
    marker = f"m-{uuid.uuid4().hex[:12]}"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = SENDER, GP, "Referral"
    msg["X-Test-Marker"] = marker
    msg.set_content(f"Lily Smith was seen today; her mother Sarah lives at {SARAH_ADDRESS}.\n")
    with smtplib.SMTP("127.0.0.1", desk.postfix.ports["guarded"], timeout=120) as smtp:
        smtp.ehlo("client.gov.je")
        smtp.mail(SENDER)
        smtp.rcpt(GP)
        code, reply = smtp.data(msg.as_bytes())
    assert code == 250, reply
    qid = re.search(rb"queued as (\w+)", reply).group(1).decode()  # type: ignore[union-attr]
    delivered = desk.postfix.wait_delivered(GP, marker, timeout=30)
    assert delivered is not None and "X-DisclosureGuard-Rules: partner-not-contact" in delivered.read_text()
    notice = notice_for(desk, qid, "Sent with a warning")
    assert "partner-not-contact" in notice and GP in notice
    assert_no_secret(notice)
    assert "Lily" not in notice


def test_a_sweep_is_imported_marked_in_chromium_and_counted(desk: Desk, browser: object,
                                                           tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser  # type: ignore[assignment]
    out = tmp_path / "sweep"
    runner = CliRunner()
    result = runner.invoke(cli, ["batch", str(ROOT / "samples" / "letters"), str(ROOT / "samples" / "emails"),
                                 "--cases", str(ROOT / "samples" / "cases"), "--no-model", "--workers", "1",
                                 "--out", str(out)])
    assert result.exit_code in (0, 10, 20, 30), result.output
    result = runner.invoke(cli, ["desk", "import", str(out), "--store", str(desk.store), "--by", REVIEWER])
    assert result.exit_code == 0, result.output
    loaded = int(re.search(r"(\d+) finding", result.output).group(1))  # type: ignore[union-attr]
    assert loaded >= 3

    page.goto(f"{desk.url}/sweeps")
    rows = page.locator("tr.finding-row")
    expect(rows.first).to_be_visible()
    assert rows.count() == loaded
    marks = ["true-breach", "false-alarm", "false-alarm"]
    for n, mark in enumerate(marks):
        page.goto(f"{desk.url}/sweeps?mark=unmarked")
        page.locator("tr.finding-row a.open").first.click()
        page.check(f"#mark-form input[value='{mark}']")
        page.fill("#mark-form textarea[name=note]", f"checked by hand, round {n}")
        page.click("#mark-form button[type=submit]")
        expect(page.locator("#mark")).to_contain_text(f"by {REVIEWER}")

    page.goto(f"{desk.url}/report")
    expect(page.locator("#totals [data-mark='true-breach']")).to_have_text("1")
    expect(page.locator("#totals [data-mark='false-alarm']")).to_have_text("2")
    expect(page.locator("#totals [data-mark='already-known']")).to_have_text("0")
    expect(page.locator("#by_rule tbody tr").first).to_be_visible()
    decided = Store(desk.store).held_decisions()  # held messages the tests before this one decided
    if decided:
        expect(page.locator("#held_by_rule tbody tr", has_text="withheld-detail").first).to_be_visible()

    text = runner.invoke(cli, ["desk", "report", "--store", str(desk.store), "--format", "json"])
    summary = json.loads(text.output)
    assert summary["totals"] == {"true-breach": 1, "false-alarm": 2, "already-known": 0}
    assert sum(r["false-alarm"] for r in summary["by_recogniser"]) == 2
    held = [r for r in summary["held_by_rule"] if r["name"] == "withheld-detail"]
    for status in ("released", "partly-released", "returned"):
        expected = sum(1 for d in decided if d["status"] == status and "withheld-detail" in d["rules"])
        assert sum(r[status] for r in held) == expected
    exported = runner.invoke(cli, ["desk", "export-false-alarms", "--store", str(desk.store)]).output.splitlines()
    assert len(exported) == 2
    for line in exported:
        example = json.loads(line)
        if example["masked"]:
            assert not re.search(r"[A-Za-z0-9]", example["masked"].replace("x", "").replace("9", ""))
    marked = [r for r in audit_records(desk) if r.get("action") == "mark"]
    assert [r["mark"] for r in marked] == marks and all(r["user"] == REVIEWER for r in marked)
    assert verify(desk.audit).ok
    if os.environ.get("DG_DESK_SCREENSHOTS"):
        page.goto(f"{desk.url}/report")
        page.screenshot(path=str(desk.shots / "desk-report.png"), full_page=True)
