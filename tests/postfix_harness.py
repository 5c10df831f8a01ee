"""A private Postfix instance on loopback for the mail hook's integration tests.

Everything lives in one temporary folder: the configuration, the queue, the log and a
mailbox folder where a ``pipe`` transport writes each delivered message as
``<queue id>.<recipient>.eml``. Each named SMTP listener gets a free port and its own
``smtpd_milters`` (or none), so one instance can serve several milter set-ups at once.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

POSTFIX = shutil.which("postfix") or ("/usr/sbin/postfix" if Path("/usr/sbin/postfix").exists() else None)
POSTQUEUE = shutil.which("postqueue") or "/usr/sbin/postqueue"

DELIVER_SCRIPT = """#!/bin/sh
# argv: mailbox folder, queue id, recipient. One file per recipient; the write is atomic by rename.
umask 022
tmp="$1/.$2.$3.$$"
cat > "$tmp" && mv "$tmp" "$1/$2.$3.eml"
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postfix_available() -> bool:
    return POSTFIX is not None and os.geteuid() == 0


class PrivatePostfix:
    """``PrivatePostfix({"guarded": "inet:127.0.0.1:9000", "plain": None})``; then ``.ports[name]``."""

    def __init__(self, listeners: Mapping[str, str | None], root: Path | None = None) -> None:
        if POSTFIX is None:
            raise RuntimeError("postfix is not installed (scripts/system-deps installs it)")
        # Postfix daemons run as the postfix user: the folder must be reachable by it, so it is
        # made directly under /tmp, not inside pytest's private (0700) tree.
        self.root = root or Path(tempfile.mkdtemp(prefix="dg-postfix-"))
        self.root.chmod(0o755)
        self.conf = self.root / "conf"
        self.queue = self.root / "queue"
        self.data = self.root / "data"
        self.mailbox = self.root / "mailbox"
        self.maillog = self.root / "maillog"
        for d in (self.conf, self.queue, self.data, self.mailbox):
            d.mkdir(exist_ok=True)
        shutil.chown(self.data, user="postfix")  # master takes its lock there as the mail owner
        self.mailbox.chmod(0o777)  # the pipe transport runs as nobody
        self.deliver = self.root / "deliver.sh"
        self.deliver.write_text(DELIVER_SCRIPT)
        self.deliver.chmod(0o755)
        self.ports = {name: free_port() for name in listeners}
        self._write_config(listeners)
        self.started = False

    def _write_config(self, listeners: Mapping[str, str | None]) -> None:
        main = f"""\
compatibility_level = 3.6
queue_directory = {self.queue}
data_directory = {self.data}
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = dg-test.localdomain
mydomain = localdomain
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
relay_domains =
alias_maps =
alias_database =
local_recipient_maps =
smtp_dns_support_level = disabled
default_transport = filedrop
relay_transport = filedrop
filedrop_destination_recipient_limit = 1
maillog_file = {self.maillog}
maillog_file_prefixes = /var, /dev/stdout, {self.root}
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 10s
milter_command_timeout = 30s
milter_content_timeout = 120s
smtpd_milters =
non_smtpd_milters =
biff = no
delay_warning_time = 0
smtputf8_enable = no
message_size_limit = 20480000
"""
        (self.conf / "main.cf").write_text(main)
        lines = []
        for name, milter in listeners.items():
            lines.append(f"127.0.0.1:{self.ports[name]} inet n - n - - smtpd")
            lines.append(f"  -o syslog_name=postfix-{name}")
            lines.append(f"  -o smtpd_milters={milter or ''}")
        lines += [
            "pickup    unix  n       -       n       60      1       pickup",
            "cleanup   unix  n       -       n       -       0       cleanup",
            "qmgr      unix  n       -       n       300     1       qmgr",
            "rewrite   unix  -       -       n       -       -       trivial-rewrite",
            "bounce    unix  -       -       n       -       0       bounce",
            "defer     unix  -       -       n       -       0       bounce",
            "trace     unix  -       -       n       -       0       bounce",
            "verify    unix  -       -       n       -       1       verify",
            "flush     unix  n       -       n       1000?   0       flush",
            "proxymap  unix  -       -       n       -       -       proxymap",
            "showq     unix  n       -       n       -       -       showq",
            "error     unix  -       -       n       -       -       error",
            "retry     unix  -       -       n       -       -       error",
            "discard   unix  -       -       n       -       -       discard",
            "anvil     unix  -       -       n       -       1       anvil",
            "scache    unix  -       -       n       -       1       scache",
            "postlog   unix-dgram n  -       n       -       1       postlogd",
            "filedrop  unix  -       n       n       -       -       pipe",
            f"  flags=R user=nobody argv={self.deliver} {self.mailbox} ${{queue_id}} ${{recipient}}",
        ]
        (self.conf / "master.cf").write_text("\n".join(lines) + "\n")

    def _postfix(self, command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        # postfix prints its errors only to a terminal: `script` gives it one.
        return subprocess.run(["script", "-qec", f"{POSTFIX} -c {self.conf} {command}", "/dev/null"],
                              capture_output=True, text=True, timeout=timeout)

    def start(self) -> None:
        result = self._postfix("start")
        if result.returncode != 0:
            raise RuntimeError(f"postfix did not start:\n{result.stdout}\n{result.stderr}\n{self.log()}")
        self.started = True
        for name, port in self.ports.items():
            self._wait_port(name, port)

    def _wait_port(self, name: str, port: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"postfix listener {name} did not open port {port}:\n{self.log()}")

    def stop(self) -> None:
        if self.started:
            self._postfix("stop")
            self.started = False

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def flush(self) -> None:
        self._postfix("flush")

    def log(self) -> str:
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else "(no maillog)"

    def queue_entries(self) -> list[dict[str, object]]:
        """Every message in the queue (postqueue -j), with its queue_name (hold, active, ...)."""
        out = subprocess.run([POSTQUEUE, "-c", str(self.conf), "-j"], capture_output=True, text=True, timeout=30)
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    def held(self) -> list[dict[str, object]]:
        return [e for e in self.queue_entries() if e.get("queue_name") == "hold"]

    def delivered(self) -> list[Path]:
        return sorted(p for p in self.mailbox.glob("*.eml"))

    def wait_delivered(self, recipient: str, marker: str, timeout: float = 20.0) -> Path | None:
        """The delivered copy for ``recipient`` whose text holds ``marker``, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in self.mailbox.glob(f"*.{recipient}.eml"):
                if marker in path.read_text(errors="replace"):
                    return path
            time.sleep(0.1)
        return None

    def wait_held(self, queue_id: str, timeout: float = 20.0) -> dict[str, object] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.held():
                if entry.get("queue_id") == queue_id:
                    return entry
            time.sleep(0.2)
        return None
