"""The CLI run in this process through click's CliRunner, for tests where a new process adds
nothing but the interpreter's start and the imports (seconds each).

Tests about the process itself (its exit status as the shell sees it, a kill at the time
limit, no network, everything a real stderr shows: log lines, library warnings) start the
installed command instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from disclosureguard.cli.main import cli


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: bytes | str | None = None) -> Ran:
    """The command's exit code and output; a crash is re-raised (as a Traceback would fail a test)."""
    result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="disclosureguard")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
