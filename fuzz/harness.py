"""What every fuzz target shares: the instrumented extractor, fuzzing limits and the invariant.

A target feeds bytes to ``disclosureguard.extract.extract`` under one file name. The
extractor promises never to raise for bad content, so the only failures are an exception
escaping it, a result that is not a well-formed ``Document``, or (caught by libFuzzer
itself) a crash, a hang past ``-timeout`` or memory past ``-rss_limit_mb``.

Set ``FUZZ_UNEXPECTED_LOG=path`` to append one line per distinct exception type that the
extractor's catch-all turned into a ``corrupt`` problem: not a failure (the verdict is still
an error, never an allow), but a sign of a parser path nobody anticipated.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable

import atheris

# Everything the extractors run is instrumented, so libFuzzer's coverage feedback reaches
# into pypdf, the email package and zipfile, not only our own modules. FUZZ_NO_INSTRUMENT=1
# skips that (seconds of start-up) for the short smoke runs in tests/test_fuzz_smoke.py.
_INSTRUMENTED = ["disclosureguard", "pypdf", "email", "zipfile", "tarfile", "gzip", "html", "charset_normalizer"]
with (
    contextlib.nullcontext()
    if os.environ.get("FUZZ_NO_INSTRUMENT") == "1"
    else atheris.instrument_imports(include=_INSTRUMENTED)
):
    from disclosureguard.extract import ExtractContext, extract
    from disclosureguard.extract.formats import formats
    from disclosureguard.limits import Limits
    from disclosureguard.model import Document

    formats()  # the registry imports the format modules on first use: do it under instrumentation

# Smaller than the defaults so a run spends its time on parsing paths rather than on
# inflating 200 MB; the limits themselves are exercised by tests/test_hostile_*.py.
FUZZ_LIMITS = Limits(
    max_bytes=4 * 1024 * 1024,
    max_decompressed_bytes=32 * 1024 * 1024,
    max_pages=50,
    max_parts=500,
    max_depth=6,
    max_text_chars=4_000_000,
)
# pypdf logs a warning for every repair it makes to a damaged file: at fuzzing rates that
# buries libFuzzer's own report. Its records stop at a null handler; the extractor's own
# handler on pypdf.filters (which turns inflate failures into problems) still sees them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False
_CATCH_ALL = re.compile(r"could not be read \((\w+):")
_seen_unexpected: set[str] = set()


def check(data: bytes, name: str) -> Document:
    """Extract ``data`` as ``name`` and check the result; raise AssertionError on a broken one."""
    doc = extract(data, name, ExtractContext(limits=FUZZ_LIMITS))
    if not isinstance(doc, Document):
        raise AssertionError(f"extract returned {type(doc).__name__}, not a Document")
    for _prefix, part in doc.walk():
        for problem in part.problems:
            if not (problem.cause and problem.message):
                raise AssertionError(f"a problem without a cause or message: {problem!r}")
            _note_unexpected(problem.message)
    for segment in doc.all_segments():
        if not isinstance(segment.text, str):
            raise AssertionError("a segment whose text is not a string")
    return doc


def _note_unexpected(message: str) -> None:
    log = os.environ.get("FUZZ_UNEXPECTED_LOG")
    m = _CATCH_ALL.search(message)
    if not log or not m or m.group(1) in _seen_unexpected:
        return
    _seen_unexpected.add(m.group(1))
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{m.group(1)}: {message[:300]}\n")


def run(one_input: Callable[[bytes], None]) -> None:
    """Hand ``one_input`` to libFuzzer with the command line's options and corpus folders."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
