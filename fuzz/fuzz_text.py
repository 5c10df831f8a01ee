"""Fuzz target: any bytes named as a plain-text letter.

.venv/bin/python fuzz/fuzz_text.py fuzz/corpus/text fuzz/seeds/text -max_total_time=600
"""

from __future__ import annotations

import harness


def one_input(data: bytes) -> None:
    harness.check(data, "letter.txt")


if __name__ == "__main__":
    harness.run(one_input)
