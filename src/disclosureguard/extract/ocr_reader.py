"""Tesseract's words of a greyscale page, from an engine process kept per reader thread.

Each reader thread of a process starts one engine (:mod:`.ocr_engine`, Tesseract's library
loaded once) and sends it page after page: a page then costs Tesseract's reading of it and
not its start (0.25 s of CPU, a fifth of a clean 300 dpi page's). The engine stays a process
of its own, as the ``tesseract`` command was, so that the kernel can end it:

- before each page its CPU limit (RLIMIT_CPU) is set to what it has used plus the page's
  time limit, so a page that runs over is ended by the kernel even when the worker that sent
  it was killed meanwhile; an engine waiting for a page reads the end of its input when its
  worker is gone, and exits;
- a page not answered within the time limit (wall clock) has its engine killed; the next
  page starts a new one;
- a crash in Tesseract ends the engine, not the scanner: that page is an OcrUnavailable.

Where the engine cannot start (no libtesseract beside the command), each page goes to the
``tesseract`` command as before, under ``prlimit``.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import IO

from PIL import Image

from . import ocr_engine

_ENGINE = Path(ocr_engine.__file__).resolve()
_START_LIMIT = 30.0  # seconds an engine may take to load Tesseract (about 0.3 s)
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed or cannot run."""


def read_tsv(grey: Image.Image, timeout: float) -> str:
    """Tesseract's TSV (header line first) of a greyscale picture, read within ``timeout``
    seconds of wall clock and of CPU. Raises OcrUnavailable or TimeoutError."""
    if _command_only():
        return _command_tsv(grey, timeout)
    engine = _engine_of_this_thread(timeout)
    if engine is None:
        return _command_tsv(grey, timeout)
    return engine.read(grey, timeout)


class Engine:
    """One engine process and the pipes to it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.pid = process.pid
        assert process.stdin is not None and process.stdout is not None
        self._to: IO[bytes] = process.stdin
        self._from: IO[bytes] = process.stdout
        # ended with the thread that kept it (its thread-local goes) and at the process's exit
        self._finalizer = weakref.finalize(self, _end, process)

    @classmethod
    def start(cls, timeout: float) -> Engine | None:
        """A ready engine, or None when Tesseract's library cannot be loaded here."""
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(_ENGINE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, close_fds=True)
        engine = cls(process)
        engine._limit_cpu(max(_START_LIMIT, timeout))
        try:
            ready = engine._receive(1, time.monotonic() + max(_START_LIMIT, timeout))
        except (TimeoutError, OcrUnavailable):
            ready = b""
        if ready != b"R":
            engine.close()
            return None
        return engine

    def read(self, grey: Image.Image, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        self._limit_cpu(timeout)
        try:
            self._to.write(ocr_engine.HEADER.pack(grey.width, grey.height))
            self._to.write(grey.tobytes())
            self._to.flush()
            (length,) = ocr_engine.LENGTH.unpack(self._receive(ocr_engine.LENGTH.size, deadline))
            if length == ocr_engine.FAILED:
                raise OcrUnavailable("Tesseract failed on the page")
            return self._receive(length, deadline).decode("utf-8", errors="replace")
        except TimeoutError:
            self.close()  # still reading: killed, and the next page starts a new engine
            raise TimeoutError("OCR took longer than the per-page limit") from None
        except (BrokenPipeError, OcrUnavailable):
            self._ended()
            raise self._why_ended() from None
        except BaseException:
            self.close()  # mid-page: what it reads next would not start a page
            raise

    def _receive(self, size: int, deadline: float) -> bytes:
        fd = self._from.fileno()
        ready = select.poll()  # not select(): a descriptor past 1024 is fine
        ready.register(fd, select.POLLIN)
        chunks: list[bytes] = []
        left = size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not ready.poll(max(1, math.ceil(remaining * 1000))):
                raise TimeoutError("no answer within the per-page limit")
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise OcrUnavailable("the engine ended")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _limit_cpu(self, seconds: float) -> None:
        """The engine may use ``seconds`` more of CPU; the kernel ends it past that (SIGXCPU at
        the soft limit, which ends a process that does not handle it). Only the soft limit
        moves: raising a hard limit needs CAP_SYS_RESOURCE, which the scanner need not have,
        so a hard limit set per page would end the engine once its pages add up to it."""
        soft = math.ceil(self.cpu_seconds() + max(1.0, seconds))
        with contextlib.suppress(OSError, ValueError):  # the wall-clock limit still ends the page
            hard = resource.prlimit(self.pid, resource.RLIMIT_CPU)[1]
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.prlimit(self.pid, resource.RLIMIT_CPU, (soft, hard))

    def cpu_seconds(self) -> float:
        """CPU seconds the engine has used (0 once it is gone)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def alive(self) -> bool:
        return self.process.poll() is None

    def _why_ended(self) -> Exception:
        code = self.process.returncode
        if code in (-signal.SIGXCPU, -signal.SIGKILL):  # the kernel, at the CPU limit
            return TimeoutError("OCR used more CPU time than the per-page limit")
        return OcrUnavailable(f"Tesseract failed (status {code})")

    def _ended(self) -> None:
        """Wait for an engine that closed its end (it crashed or the kernel ended it)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self._finalizer()
        with contextlib.suppress(OSError):
            self._from.close()


def _end(process: subprocess.Popen[bytes]) -> None:
    """End an engine: the end of its input makes it exit; one that does not is killed."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# Engines by process and thread: a forked child has none of its parent's threads or pipes.
_local = threading.local()
_engines: dict[int, list[weakref.ref[Engine]]] = {}  # weak: a thread's end ends its engine
_no_engine: set[int] = set()  # processes where the engine could not start: the command serves
_lock = threading.Lock()


def _command_only() -> bool:
    return os.getpid() in _no_engine


def _engine_of_this_thread(timeout: float) -> Engine | None:
    pid = os.getpid()
    engine: Engine | None = getattr(_local, "engine", None)
    if engine is not None and getattr(_local, "pid", None) == pid and engine.alive():
        return engine
    engine = Engine.start(timeout)
    if engine is None:
        _no_engine.add(pid)
        return None
    _local.engine, _local.pid = engine, pid
    with _lock:
        mine = _engines.setdefault(pid, [])
        mine[:] = [ref for ref in mine if (e := ref()) is not None and e.alive()]
        mine.append(weakref.ref(engine))
    return engine


def engines_cpu_seconds() -> float:
    """CPU seconds of this process's live engines (a live child is not in RUSAGE_CHILDREN
    until it has ended): for benches that count OCR's CPU time."""
    with _lock:
        engines = [ref() for ref in _engines.get(os.getpid(), [])]
    return sum(e.cpu_seconds() for e in engines if e is not None and e.alive())


def _command_tsv(grey: Image.Image, timeout: float) -> str:
    """The same through the ``tesseract`` command, one process a page, its CPU capped by prlimit.

    The page goes in as a PNG at zlib level 1 (0.06 s to write, and Leptonica reads it 0.15 s
    faster than a PNM); with no resolution in it, as in a PNM, Tesseract judges the
    resolution from the text (a BMP states 96 dpi, which cost degraded scans a third of their
    NINOs and postcodes)."""
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("Tesseract is not installed (scripts/system-deps installs it)")
    limit = ["prlimit", f"--cpu={max(1, math.ceil(timeout))}", "--core=0"] if shutil.which("prlimit") else []
    with tempfile.NamedTemporaryFile(prefix="dg-ocr-", suffix=".png") as picture:
        grey.save(picture, format="PNG", compress_level=1)
        picture.flush()
        command = [*limit, "tesseract", picture.name, "stdout", "-l", "eng", "--psm", "3", "tsv"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:  # run() has killed it
            raise TimeoutError("OCR took longer than the per-page limit") from None
        except OSError as e:
            raise OcrUnavailable(f"Tesseract could not be started ({type(e).__name__})") from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise TimeoutError("OCR used more CPU time than the per-page limit")
    if done.returncode:
        raise OcrUnavailable(f"Tesseract failed (status {done.returncode})")
    return done.stdout.decode("utf-8", errors="replace")

