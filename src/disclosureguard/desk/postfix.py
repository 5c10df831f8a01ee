"""The desk's hands on the real Postfix queue: release from hold, delete, read a held message.

Commands run with ``-c CONFIG_DIR`` for the instance the milter guards. ``postsuper`` needs
root (or the mail system's owner): in production the desk runs them through a narrow sudo
rule (docs/desk.md), given here as the command prefix. A queue id is checked before it
reaches a command line.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field

from ..errors import DisclosureGuardError

_QUEUE_ID = re.compile(r"^[0-9A-Za-z]{5,32}$")


class QueueError(DisclosureGuardError):
    """Postfix did not do what the desk asked; the message names the queue id and the cause."""


@dataclass(frozen=True)
class PostfixQueue:
    config_dir: str | None = None
    postsuper: tuple[str, ...] = field(default=("postsuper",))
    postqueue: tuple[str, ...] = field(default=("postqueue",))
    postcat: tuple[str, ...] = field(default=("postcat",))

    @classmethod
    def from_settings(cls, config_dir: str | None, prefix: str = "") -> PostfixQueue:
        pre = tuple(shlex.split(prefix))
        return cls(config_dir, (*pre, "postsuper"), (*pre, "postqueue"), (*pre, "postcat"))

    def _run(self, command: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
        conf = ("-c", self.config_dir) if self.config_dir else ()
        try:
            return subprocess.run([*command, *conf, *args], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise QueueError(f"{command[-1]} could not run ({type(e).__name__})") from None

    def release(self, queue_id: str) -> None:
        """Take the message off hold and ask for its delivery now."""
        _check(queue_id)
        result = self._run(self.postsuper, "-H", queue_id)
        if result.returncode != 0 or "released from hold" not in result.stderr.lower():
            raise QueueError(f"message {queue_id} was not released: it is not in the hold queue "
                             f"(postsuper exit {result.returncode})")
        self._run(self.postqueue, "-i", queue_id)  # best effort: the queue manager sends it anyway

    def delete(self, queue_id: str) -> None:
        _check(queue_id)
        result = self._run(self.postsuper, "-d", queue_id, "hold")  # only from the hold queue
        if result.returncode != 0 or "deleted" not in result.stderr.lower():
            raise QueueError(f"message {queue_id} was not deleted: it is not in the hold queue "
                             f"(postsuper exit {result.returncode})")

    def content(self, queue_id: str) -> bytes:
        """The held message's headers and body, as Postfix stores them."""
        _check(queue_id)
        conf = ("-c", self.config_dir) if self.config_dir else ()
        try:
            result = subprocess.run([*self.postcat, *conf, "-h", "-b", "-q", queue_id], capture_output=True,
                                    timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise QueueError(f"postcat could not run ({type(e).__name__})") from None
        if result.returncode != 0:
            raise QueueError(f"message {queue_id} could not be read from the queue (postcat exit {result.returncode})")
        return result.stdout


def _check(queue_id: str) -> None:
    if not _QUEUE_ID.match(queue_id):
        raise QueueError("not a Postfix queue id")
