"""pypdf's log lines: read for damaged streams, and never passed on with input in them.

pypdf (and pdfminer, where present) log warnings that quote the input: ``'utf-16-be' codec
can't decode ... initial string: b'\\xfe\\xff\\x00C...'``, ``Ignoring final token of
odd-length line b'... 9434765919'``. Those loggers stop propagating here; what they log
is re-logged under ``disclosureguard.pdf`` as a fixed sentence naming only the module
that complained, so an operator's stderr, log file or the worker pool's output never
carries a value from a document.

Streams pypdf could not inflate: it logs a warning and carries on with what it got.

Reading leniently, pypdf inflates a damaged Flate stream byte by byte and returns what it
could (often nothing), saying so only in a log warning. A page whose content stream could
not be inflated would then look empty: "no text" where the truth is "not read". This
collects those warnings for the thread that is reading the PDF, so the extractor can
report the page as a problem instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

_FILTERS_LOGGER = "pypdf.filters"
# zlib's own message, which pypdf logs as it is: "Error -3 while decompressing data: ..."
_INFLATE_FAILED = "while decompressing"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        sink: list[str] | None = getattr(self._local, "sink", None)
        if sink is not None and _INFLATE_FAILED in record.getMessage():
            sink.append(record.getMessage())

    @contextmanager
    def collecting(self) -> Iterator[list[str]]:
        outer = getattr(self._local, "sink", None)
        sink: list[str] = []
        self._local.sink = sink
        try:
            yield sink
        finally:
            self._local.sink = outer


_COLLECTOR = _Collector()
_logger = logging.getLogger(_FILTERS_LOGGER)
_logger.addHandler(_COLLECTOR)
if _logger.level == logging.NOTSET or _logger.level > logging.WARNING:
    # A root logger set to ERROR must not hide these warnings from the collector.
    _logger.setLevel(logging.WARNING)


class _Withhold(logging.Handler):
    """Re-logs a third-party PDF library's record without its message (which may quote input)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._out = logging.getLogger("disclosureguard.pdf")

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        source = record.name.split(".", 1)[0]
        self._out.log(
            logging.INFO,  # what it means for the scan is a Problem in the verdict; this is the trace
            "%s %s in %s (its message is withheld: it may quote the document)",
            source,
            record.levelname.lower(),
            record.module,
        )


WITHHOLD = _Withhold()
for _name in ("pypdf", "pdfminer", "pikepdf"):
    _third = logging.getLogger(_name)
    _third.addHandler(WITHHOLD)
    _third.propagate = False


def inflate_failures() -> AbstractContextManager[list[str]]:
    """``with inflate_failures() as failed:`` — ``failed`` lists the streams that would not inflate."""
    return _COLLECTOR.collecting()
