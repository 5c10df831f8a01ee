"""Regenerate the RTF and Outlook samples of samples/documents/.

Run: .venv/bin/python samples/make_legacy_documents.py

- letter-to-father.rtf: samples/letters/letter-to-father.txt as Word writes RTF (every few
  characters in its own ``{\\insrsid}`` group), so Sarah Smith's withheld address is not in
  the file as one run of bytes.
- handover-to-father.msg: an Outlook message to Mark Jones whose body is that letter,
  addressed in the .msg itself (the recipients come from the file, as an .eml's do).

The people are those of samples/cases/smith-CSC-2021-004512.yaml (all fictional). Building
the .msg needs the dev dependency aspose-email-foss.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from legacy_fixtures import FATHER, letter_lines, msg_bytes, rtf_letter  # noqa: E402

OUT = ROOT / "samples" / "documents"


def main() -> None:
    lines = letter_lines("letter-to-father.txt")
    (OUT / "letter-to-father.rtf").write_bytes(rtf_letter(lines))
    (OUT / "handover-to-father.msg").write_bytes(msg_bytes([FATHER], "\n".join(lines), subject="Contact"))


if __name__ == "__main__":
    main()
