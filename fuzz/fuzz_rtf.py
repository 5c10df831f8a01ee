"""Fuzz target: RTF documents (the tokenizer, the destination walk, escapes, objects).

Input that starts with ``{`` is read as it is; any other input is put inside a small letter
(after the font table, in the body) so mutations reach the reader rather than the sniffing.

    .venv/bin/python fuzz/fuzz_rtf.py fuzz/corpus/rtf fuzz/seeds/rtf -max_total_time=600
"""

from __future__ import annotations

import os

import atheris
import harness

if os.environ.get("FUZZ_NO_INSTRUMENT") != "1":
    with atheris.instrument_imports(include=["disclosureguard", "olefile"]):
        import olefile  # noqa: F401

        from disclosureguard.extract import ole1, rtf, rtf_reader, rtf_tokens  # noqa: F401

HEAD = b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}\\pard "


def one_input(data: bytes) -> None:
    if data[:1] == b"{":
        harness.check(data, "letter.rtf")
    else:
        harness.check(HEAD + data + b"\\par}", "letter.rtf")


if __name__ == "__main__":
    harness.run(one_input)
