"""Fuzz target: archives (.zip, and the .gz and .tar the archive extractor also reads).

An input that starts with a zip, gzip or tar-ish first byte is read as it is. Any other
input is turned into a well-formed zip whose member names, contents and compression come
from the input, so the fuzzer reaches the members' own extractors without first having to
forge checksums.

    .venv/bin/python fuzz/fuzz_zip.py fuzz/corpus/zip fuzz/seeds/zip -max_total_time=600
"""

from __future__ import annotations

import io
import zipfile

import atheris
import harness

_RAW_FIRST_BYTES = (ord("P"), 0x1F)
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def zip_from(data: bytes) -> bytes:
    fdp = atheris.FuzzedDataProvider(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for _ in range(fdp.ConsumeIntInRange(1, 6)):
            name = fdp.ConsumeUnicodeNoSurrogates(24) or "member"
            method = _METHODS[fdp.ConsumeIntInRange(0, len(_METHODS) - 1)]
            content = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 8192))
            zf.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


def one_input(data: bytes) -> None:
    if not data:
        return
    if data[0] in _RAW_FIRST_BYTES or data[257:262] == b"ustar":
        harness.check(data, "bundle.zip")
    else:
        harness.check(zip_from(data[1:]), "bundle.zip")


if __name__ == "__main__":
    harness.run(one_input)
