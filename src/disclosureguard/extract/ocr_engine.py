"""The OCR engine process: Tesseract's library loaded once, reading one page after another.

Run as a program of its own (``python -I -S ocr_engine.py``, by :mod:`.ocr_reader`), not
imported by the scanner: it needs only the standard library, so it starts without the
package. Starting the ``tesseract`` command costs about 0.25 s of CPU a page before it reads
anything (most of it building the legacy engine's table of ambiguous characters, which the
LSTM model Debian ships never uses); this process pays that once.

Protocol, on standard input and output: the engine writes one byte, ``R``, once Tesseract is
ready. Then for each page the reader writes a header (width, height: two little-endian
unsigned 32-bit integers) and width x height bytes of 8-bit greyscale pixels; the engine
answers with a 4-byte little-endian length and Tesseract's TSV (with its header line), or
the length 0xFFFFFFFF when Tesseract failed on the page. End of input ends the engine.

The page is given with no resolution, as a PNM file was to the command: Tesseract judges
the resolution from the text, and its words are the command's to the byte.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import struct
import sys
from typing import Any

HEADER = struct.Struct("<II")
LENGTH = struct.Struct("<I")
FAILED = 0xFFFFFFFF
PSM_AUTO = 3  # the command's --psm 3: automatic page segmentation, no orientation detection
TSV_COLUMNS = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\t"
               "conf\ttext\n")
MAX_SIDE = 32_767  # Leptonica's and Tesseract's limit on a picture's side


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    lib = ctypes.CDLL(name)
    lib.TessBaseAPICreate.restype = ctypes.c_void_p
    lib.TessBaseAPIInit3.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPIInit3.restype = ctypes.c_int
    lib.TessBaseAPISetPageSegMode.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                                        ctypes.c_int, ctypes.c_int]
    lib.TessBaseAPIRecognize.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.TessBaseAPIRecognize.restype = ctypes.c_int
    lib.TessBaseAPIGetTsvText.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.TessBaseAPIGetTsvText.restype = ctypes.c_void_p  # freed by TessDeleteText, so not c_char_p
    lib.TessDeleteText.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIClear.argtypes = [ctypes.c_void_p]
    return lib


def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _read_exactly(stream: object, size: int) -> bytes | None:
    read = stream.read  # type: ignore[attr-defined]
    chunks = []
    left = size
    while left:
        chunk = read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(lib: ctypes.CDLL, api: int, source: object, sink: object) -> None:
    """Read pages from ``source`` until its end, answering each on ``sink``."""
    write, flush = sink.write, sink.flush  # type: ignore[attr-defined]
    trim = _malloc_trim()
    while True:
        header = _read_exactly(source, HEADER.size)
        if header is None:
            return
        width, height = HEADER.unpack(header)
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            return  # not a page this reader sends: stop rather than guess
        pixels = _read_exactly(source, width * height)
        if pixels is None:
            return
        lib.TessBaseAPISetImage(api, pixels, width, height, 1, width)
        answer = None
        if lib.TessBaseAPIRecognize(api, None) == 0:
            text = lib.TessBaseAPIGetTsvText(api, 0)
            if text:
                answer = TSV_COLUMNS.encode() + ctypes.string_at(text)
                lib.TessDeleteText(text)
        lib.TessBaseAPIClear(api)
        if trim is not None:
            trim(0)  # give the page's memory back while the engine waits for the next one
        if answer is None:
            write(LENGTH.pack(FAILED))
        else:
            write(LENGTH.pack(len(answer)) + answer)
        flush()


def main() -> int:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read by libgomp when the library loads
    try:
        lib = _library()
        api = lib.TessBaseAPICreate()
        if not api or lib.TessBaseAPIInit3(api, None, b"eng") != 0:
            return 3
    except OSError:
        return 2  # no libtesseract: the reader falls back to the command
    lib.TessBaseAPISetPageSegMode(api, PSM_AUTO)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sink.write(b"R")
    sink.flush()
    serve(lib, api, source, sink)
    return 0


if __name__ == "__main__":
    sys.exit(main())
