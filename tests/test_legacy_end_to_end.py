"""The Smith letter in RTF, .msg, winmail.dat and .doc through the CLI, the batch scanner and the
milter behind a real Postfix on loopback.

To the father the letter holds the mother's withheld address: block (exit 30, 550 5.7.1) for
withheld-detail, naming the place. The clean letter to the mother is allowed and delivered.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from cli_run import Ran, run_cli
from disclosureguard.cli.main import main
from legacy_fixtures import FATHER, FILE_NAMES, FORMATS, MOTHER, legacy_letter
from postfix_harness import PrivatePostfix, free_port, postfix_available

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BLOCK, ALLOW = 30, 0
MEDIA = {"rtf": ("application", "rtf"), "msg": ("application", "vnd.ms-outlook"),
         "msg-attachment": ("application", "vnd.ms-outlook"), "winmail.dat": ("application", "ms-tnef"),
         "doc": ("application", "msword")}
SECRETS = ["Seaview", "JE3 8XY", "St Brelade", "Sarah", "Smith"]


def cli(*args: str) -> Ran:
    return run_cli(*args)  # in this process: a real process would add only its start


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("legacy")
    out: dict[tuple[str, str], Path] = {}
    for fmt in FORMATS:
        for to in ("father", "mother"):
            path = folder / to / fmt / FILE_NAMES[fmt]
            path.parent.mkdir(parents=True)
            path.write_bytes(legacy_letter(fmt, to))
            out[fmt, to] = path
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_blocks_the_letter_to_the_father_and_allows_the_clean_one_to_the_mother(files, fmt: str):
    common = ("--cases", str(SAMPLES / "cases"), "--policy", str(SAMPLES / "policy.yaml"), "--no-model",
              "--format", "json")
    p = cli("scan", str(files[fmt, "father"]), "--to", FATHER, *common)
    verdict = json.loads(p.stdout)
    assert (p.returncode, verdict["decision"]) == (BLOCK, "block"), p.stderr
    assert "withheld-detail" in {r["rule"] for r in verdict["reasons"]}
    assert verdict["errors"] == []
    p = cli("scan", str(files[fmt, "mother"]), "--to", MOTHER, *common)
    verdict = json.loads(p.stdout)
    assert (p.returncode, verdict["decision"], verdict["reasons"], verdict["errors"]) == (ALLOW, "allow", [], [])


def test_batch_judges_each_format_and_takes_outlook_recipients_from_the_file(files, tmp_path: Path):
    folder = next(iter(files.values())).parents[2]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["batch", str(folder), "--cases", str(SAMPLES / "cases"), "--policy",
                     str(SAMPLES / "policy.yaml"), "--no-model", "--workers", "1", "--out", str(tmp_path / "sweep")])
    assert code == BLOCK, err.getvalue()
    records = {r["path"]: r for r in map(json.loads, (tmp_path / "sweep" / "verdicts.jsonl").read_text().splitlines())}
    assert len(records) == len(files)
    for (fmt, to), path in files.items():
        record = records[str(path)]
        assert record["errors"] == [], (fmt, to)
        expected = "block" if to == "father" else "allow"
        assert record["decision"] == expected, (fmt, to, record["reasons"])
        if to == "father":
            assert "withheld-detail" in {r["rule"] for r in record["reasons"]}
        if fmt in ("msg", "msg-attachment", "winmail.dat"):
            assert [r["address"] for r in record["recipients"]] == [FATHER if to == "father" else MOTHER]


# -- the milter behind Postfix --------------------------------------------------------------


@pytest.fixture(scope="module")
def postfix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePostfix]:
    if not postfix_available():
        message = "Postfix is not installed or not runnable as root here (scripts/system-deps installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("legacy-milter")
    port = free_port()
    log = tmp / "milter.log"
    cmd = [sys.executable, "-m", "disclosureguard.cli.main", "milter", "--listen", f"inet:127.0.0.1:{port}",
           "--cases", str(SAMPLES / "cases"), "--policy", str(SAMPLES / "policy.yaml"), "--no-model",
           "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    milter = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=tmp)
    server = PrivatePostfix({"guard": f"inet:127.0.0.1:{port}"})
    try:
        server.start()
        deadline = time.monotonic() + 90
        while True:
            assert milter.poll() is None, log.read_text()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield server
    finally:
        server.remove()
        milter.send_signal(signal.SIGTERM)
        try:
            milter.wait(20)
        except subprocess.TimeoutExpired:
            milter.kill()


def _message(to: str, fmt: str, data: bytes) -> tuple[EmailMessage, str]:
    marker = f"m-{uuid.uuid4().hex[:12]}"
    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = to
    msg["Subject"] = "Contact arrangements"
    msg["X-Test-Marker"] = marker
    msg.set_content("Please find the letter attached.")
    maintype, subtype = MEDIA[fmt]
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=FILE_NAMES[fmt])
    return msg, marker


def _send(server: PrivatePostfix, to: str, msg: EmailMessage) -> tuple[int, str]:
    with smtplib.SMTP("127.0.0.1", server.ports["guard"], timeout=200) as smtp:
        smtp.ehlo("client.gov.je")
        for step in (lambda: smtp.mail("worker@gov.je"), lambda: smtp.rcpt(to)):
            code, reply = step()
            assert code == 250, (code, reply, server.maillog.read_text()[-2000:] if server.maillog.exists() else "")
        code, text = smtp.data(msg.as_bytes())
        return code, text.decode()


@pytest.mark.postfix
@pytest.mark.xdist_group("postfix")
@pytest.mark.parametrize("fmt", FORMATS)
def test_milter_refuses_the_attachment_to_the_father_and_delivers_the_clean_one_to_the_mother(postfix, fmt: str):
    msg, marker = _message(FATHER, fmt, legacy_letter(fmt, "father"))
    code, text = _send(postfix, FATHER, msg)
    assert code == 550 and "5.7.1" in text and "withheld-detail" in text and FILE_NAMES[fmt] in text, text
    assert not [s for s in SECRETS if s.lower() in text.lower()], text
    msg, marker = _message(MOTHER, fmt, legacy_letter(fmt, "mother"))
    code, text = _send(postfix, MOTHER, msg)
    assert code == 250, text
    assert postfix.wait_delivered(MOTHER, marker, timeout=60) is not None
