"""Fuzz target: any bytes named as an email message (.eml), attachments and all.

.venv/bin/python fuzz/fuzz_email.py fuzz/corpus/email fuzz/seeds/email -max_total_time=600
"""

from __future__ import annotations

import harness


def one_input(data: bytes) -> None:
    harness.check(data, "message.eml")


if __name__ == "__main__":
    harness.run(one_input)
