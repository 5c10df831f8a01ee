"""`disclosureguard batch`: sweep archives of what was already sent, resumably, locally or on Dask."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import DisclosureGuardError
from ..limits import Limits
from . import exit_codes
from .options import fail, scanner_config, scanner_options, time_limit_option

if TYPE_CHECKING:
    from ..batch import BatchSettings
    from ..batch.executors import Executor

INTERRUPTED = 130


@click.command(
    epilog=exit_codes.HELP
    + " 130: interrupted (run the same command again to resume)."
    "\n\n\b\nExamples:\n"
    "  disclosureguard batch /archive/2023 sent.mbox letters.zip --cases cases/ --out sweep-2023/\n"
    "  disclosureguard batch /archive --cases cases.idx --recipients letters.csv --workers 8 --out sweep/\n"
    "  disclosureguard batch /srv/archive --cases /srv/cases \\\n"
    "      --dask-scheduler tcp://10.0.0.5:8786 --out sweep/",
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@scanner_options
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for the checkpoint and reports (created 0700; reports 0600). Reuse it to resume.")
@click.option("--recipients", "recipients_csv", type=click.Path(exists=True, dir_okay=False), default=None,
              help="CSV with columns path,recipients (addresses separated by ;) saying who each letter went to.")
@click.option("--allow-unmatched", "allow_unmatched", is_flag=True,
              help="Accept --recipients rows whose path matches no scanned file (otherwise they are listed and "
                   "the run exits 3).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local scanning processes (default: one per core).")
@click.option("--dask-scheduler", "dask_scheduler", metavar="ADDRESS", default=None,
              help="Scan on a Dask cluster (tcp://host:8786) instead of local processes.")
@time_limit_option(f"{Limits().time_limit:g}")
@click.option("--no-values", "no_values", is_flag=True,
              help="Leave matched values out of every report (JSON lines, CSV, HTML).")
@click.option("--html-limit", "html_limit", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Most files listed in the HTML report (the CSV and JSON lines hold all).")
def batch(sources: tuple[str, ...], cases_dir: str | None, case_files: tuple[str, ...], policy: str | None,
          model: str | None, no_model: bool, limit_settings: tuple[str, ...],
          out: str, recipients_csv: str | None, allow_unmatched: bool, workers: int | None,
          dask_scheduler: str | None, time_limit: float | None, no_values: bool, html_limit: int) -> None:
    """Scan every file of SOURCES (folders, zip archives, mbox files, .eml folders) and report
    what went to whom: one verdict per file in OUT/verdicts.jsonl, a CSV summary (OUT/summary.csv)
    and an HTML report (OUT/report.html), worst first.

    Recipients come from each email's To/Cc/Bcc, from --recipients for letters, or from the
    letter's addressee. A checkpoint (OUT/checkpoint.sqlite) records every file as it is
    scanned: if the run stops (Ctrl-C, a crash, kill -9), run the same command again and it
    carries on where it stopped. A file that hangs or crashes a scanner becomes an error and
    the run goes on.
    """
    from ..batch import BatchInterrupted, BatchSettings, absolute_config, run_batch
    from ..batch.progress import Progress
    from ..batch.recipients_csv import load_recipients

    if workers is not None and dask_scheduler:
        raise click.UsageError("give --workers or --dask-scheduler, not both")
    config = absolute_config(scanner_config(cases_dir, case_files, policy, model, no_model, limit_settings,
                                            time_limit=time_limit))
    try:
        recipients = load_recipients(recipients_csv) if recipients_csv else {}
    except DisclosureGuardError as e:
        fail(str(e))
    settings = BatchSettings(
        sources=tuple(sources), out=out, config=config, recipients=recipients,
        recipients_file=str(click.format_filename(recipients_csv)) if recipients_csv else None,
        values=not no_values, time_limit=config.limits.time_limit, html_limit=html_limit,
    )
    try:
        with _sigterm_interrupts():
            result = run_batch(settings, _executor_factory(settings, workers, dask_scheduler), Progress())
    except BatchInterrupted as stopped:
        r = stopped.result
        click.echo(f"disclosureguard: interrupted after {r.total:,} files; run the same command to resume",
                   err=True)
        raise SystemExit(INTERRUPTED) from None
    except DisclosureGuardError as e:
        fail(str(e))
    except RuntimeError as e:  # scanning workers could not start, or the Dask cluster is unfit
        fail(str(e))
    except OSError as e:
        fail(f"cannot connect or write: {e}")
    counts = ", ".join(f"{d} {result.decisions.get(d, 0):,}" for d in ("block", "redact", "warn", "allow"))
    click.echo(f"{result.total:,} files ({result.scanned:,} scanned now, {result.skipped:,} already done): {counts}")
    click.echo(f"reports: {result.jsonl}  {result.csv}  {result.html}")
    unmatched = _unmatched(result.out / "checkpoint.sqlite", recipients)
    if unmatched and not allow_unmatched:
        first = ", ".join(unmatched[:3]) + (", ..." if len(unmatched) > 3 else "")
        fail(f"{len(unmatched):,} row(s) of {recipients_csv} match no scanned file ({first}): those letters were "
             "not judged for the recipients the CSV gives; fix the paths, or pass --allow-unmatched")
    raise SystemExit(exit_codes.FOR_ACTION[result.worst])


def _unmatched(checkpoint: Path, recipients: dict[str, tuple[str, ...]]) -> list[str]:
    """The --recipients paths that no item of the run (as the checkpoint holds them) has."""
    if not recipients:
        return []
    db = sqlite3.connect(f"file:{checkpoint}?mode=ro", uri=True)
    try:
        return [path for path in recipients
                if db.execute("SELECT 1 FROM items WHERE path = ?", (path,)).fetchone() is None]
    finally:
        db.close()


def _executor_factory(settings: BatchSettings, workers: int | None,
                      dask_scheduler: str | None) -> Callable[[], Executor]:
    from ..batch.executors import DaskExecutor, LocalExecutor
    from ..pool import default_workers

    config, values, time_limit = settings.config, settings.values, settings.time_limit
    if dask_scheduler:
        return lambda: DaskExecutor(dask_scheduler, config, time_limit, values)
    return lambda: LocalExecutor(config, workers or default_workers(), time_limit, values)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl-C: finished scans are kept, the run resumes next time."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
