"""Batch scanning of what was already sent: every file of folders, zip archives and mbox files.

Resumable (an SQLite checkpoint), streamed (memory stays flat), on a local process pool or a
Dask cluster; reports as JSON lines, a CSV summary and an HTML page an IG officer can act on.
"""

from .runner import BatchInterrupted, BatchResult, BatchSettings, absolute_config, run_batch

__all__ = ["BatchInterrupted", "BatchResult", "BatchSettings", "absolute_config", "run_batch"]
