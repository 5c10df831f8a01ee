"""Fuzz target: any bytes named as a PDF.

.venv/bin/python fuzz/fuzz_pdf.py fuzz/corpus/pdf fuzz/seeds/pdf -max_total_time=600
"""

from __future__ import annotations

import harness


def one_input(data: bytes) -> None:
    harness.check(data, "report.pdf")


if __name__ == "__main__":
    harness.run(one_input)
