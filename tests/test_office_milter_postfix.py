"""The Smith letter attached in every spreadsheet, slide and OpenDocument format, through a
private Postfix on loopback and the `disclosureguard milter` command: the father's version is
refused with 550 naming the attachment and the rule, the mother's clean version is delivered."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from office_fixtures import FORMATS, letter
from postfix_harness import PrivatePostfix, free_port, postfix_available
from smith_case import SMITH_CASE

pytestmark = [pytest.mark.postfix, pytest.mark.xdist_group("postfix")]

ROOT = Path(__file__).resolve().parent.parent
POLICY = """\
organisation:
  internal_domains: [gov.je]
  partner_domains: [nhs.net, health.gov.je, police.je, "*.sch.je"]
"""
SENDER = "worker@gov.je"
MARK = "mjones@example.net"
SARAH = "sarah.smith@example.com"
MEDIA_TYPES = {
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xls": ("application", "vnd.ms-excel"),
    "ods": ("application", "vnd.oasis.opendocument.spreadsheet"),
    "csv": ("text", "csv"),
    "pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("application", "vnd.oasis.opendocument.text"),
}


@dataclass
class Mail:
    postfix: PrivatePostfix
    log: Path


@pytest.fixture(scope="module")
def mail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mail]:
    if not postfix_available():
        message = "Postfix is not installed or not runnable as root here (scripts/system-deps installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("office-milter")
    cases = tmp / "cases"
    cases.mkdir()
    (cases / "smith.yaml").write_text(SMITH_CASE)
    policy = tmp / "policy.yaml"
    policy.write_text(POLICY)
    port = free_port()
    log = tmp / "milter.log"
    cmd = [sys.executable, "-m", "disclosureguard.cli.main", "milter", "--listen", f"inet:127.0.0.1:{port}",
           "--cases", str(cases), "--policy", str(policy), "--no-model", "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    milter = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=tmp)
    postfix = PrivatePostfix({"guard": f"inet:127.0.0.1:{port}"})
    try:
        postfix.start()
        deadline = time.monotonic() + 90
        while True:
            if milter.poll() is not None:
                raise RuntimeError(f"the milter exited with {milter.returncode}:\n{log.read_text()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the milter did not listen:\n{log.read_text()}")
            time.sleep(0.1)
        yield Mail(postfix, log)
    finally:
        postfix.remove()
        milter.send_signal(signal.SIGTERM)
        try:
            milter.wait(20)
        except subprocess.TimeoutExpired:
            milter.kill()


def send(mail: Mail, to: str, fmt: str, data: bytes) -> tuple[int, str, str]:
    marker = f"m-{uuid.uuid4().hex[:12]}"
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = to
    msg["Subject"] = "Contact arrangements"
    msg["X-Test-Marker"] = marker
    msg.set_content("Please find the letter attached.")
    maintype, subtype = MEDIA_TYPES[fmt]
    if maintype == "text":
        msg.add_attachment(data.decode(), subtype=subtype, filename=f"letter.{fmt}")
    else:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"letter.{fmt}")
    with smtplib.SMTP("127.0.0.1", mail.postfix.ports["guard"], timeout=120) as smtp:
        smtp.ehlo("client.gov.je")
        smtp.mail(SENDER)
        smtp.rcpt(to)
        code, text = smtp.data(msg.as_bytes())
    return code, text.decode(), marker


@pytest.mark.parametrize("fmt", FORMATS)
def test_fathers_letter_attached_is_refused_and_the_mothers_is_delivered(mail: Mail, fmt: str) -> None:
    code, text, marker = send(mail, MARK, fmt, letter(fmt, "father"))
    assert code == 550, text
    assert "withheld-detail" in text and f"letter.{fmt}" in text and MARK in text
    assert "Seaview" not in text and "JE3 8XY" not in text
    code, text, marker = send(mail, SARAH, fmt, letter(fmt, "mother"))
    assert code == 250, text
    assert mail.postfix.wait_delivered(SARAH, marker) is not None
