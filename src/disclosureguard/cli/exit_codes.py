"""Exit statuses. A failure never exits 0 and never shares a code with a decision."""

from __future__ import annotations

from ..model import Action

ALLOW = 0
USAGE = 2  # click's own code for a bad command line
FAILURE = 3  # a file could not be scanned at all, or a policy / case file is malformed
WARN = 10
REDACT = 20
BLOCK = 30

FOR_ACTION = {Action.ALLOW: ALLOW, Action.WARN: WARN, Action.REDACT: REDACT, Action.BLOCK: BLOCK}

HELP = (
    "Exit status: 0 allow, 10 warn, 20 redact, 30 block (the strictest over all paths); "
    "2 usage error; 3 a file or configuration could not be read."
)
