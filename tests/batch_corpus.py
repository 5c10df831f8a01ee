"""Archives for the batch tests, built in a temporary folder: letters, emails, a zip and an mbox
about the Smith family of shared/spec/case-file.md, and a small case file of our own."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from smith_case import SMITH_CASE

CASE = SMITH_CASE

# Another family's case whose social worker signs the letters of the corpus.
OTHER_CASE = """\
case: CSC-2099-000001
people:
  - id: tom
    role: child
    names: [Tom Renouf]
  - id: priya
    role: professional
    names: [Priya Shah]
"""
OTHER_CASE_REF = "CSC-2099-000001"

WITHHELD_ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"

LETTER_TO_FATHER = """\
Children's Social Care
Le Bas Centre, St Saviour's Road, St Helier, JE2 4RP

Mr Mark Jones
4 Clos de la Mare
St Clement
JE2 6QN

14 November 2026

Dear Mr Jones,

Re: Lily Smith

Contact with Lily will take place every other Saturday at the family centre.

Lily's mother has now moved to {address}, so the handover will no longer happen at the old address.

Yours sincerely,

Priya Shah
Social Worker
"""

NEUTRAL_LETTER = """\
Dear parent or carer,

The family centre will be closed on {day} for staff training. Sessions resume the week after.

Yours faithfully,
The Family Centre Team
"""

EMAIL = """\
From: Priya Shah <priya.shah@gov.je>
To: {to}
Subject: {subject}
Date: Mon, 16 Nov 2026 10:12:00 +0000
Message-ID: <{mid}@gov.je>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello,

{body}

Kind regards,
Priya Shah
Social Worker
"""


@dataclass(frozen=True)
class Corpus:
    root: Path
    cases: Path
    sources: tuple[Path, ...]
    recipients_csv: Path
    letter_to_father: Path
    letter_for_csv: Path  # a letter with no addressee, whose recipient comes from the CSV
    email_to_father: Path


def email(to: str, subject: str, body: str, mid: str) -> str:
    return EMAIL.format(to=to, subject=subject, body=body, mid=mid)


def build_corpus(root: Path) -> Corpus:
    """A folder of letters, a folder of .eml, a zip of both and an mbox: 14 items in all."""
    cases = root / "cases"
    cases.mkdir()
    (cases / "smith.yaml").write_text(CASE)
    (cases / "renouf.yaml").write_text(OTHER_CASE)
    archive = root / "archive"
    letters = archive / "letters"
    emails = archive / "emails"
    letters.mkdir(parents=True)
    emails.mkdir()
    father = letters / "letter-to-father.txt"
    father.write_text(LETTER_TO_FATHER.format(address=WITHHELD_ADDRESS))
    (letters / "closure-monday.txt").write_text(NEUTRAL_LETTER.format(day="Monday"))
    for_csv = letters / "note-for-father.txt"
    for_csv.write_text(f"Note: Sarah Smith now lives at {WITHHELD_ADDRESS}.\n")
    (letters / ".hidden-draft.txt").write_text("not part of the archive")
    email_father = emails / "to-father.eml"
    email_father.write_text(email("Mark Jones <mjones@example.net>", "Handover",
                                  f"Sarah has moved to {WITHHELD_ADDRESS}.", "m1"))
    (emails / "to-school.eml").write_text(email("dsl@stmarys.sch.je", "Lily",
                                                "Lily Smith will be collected at 3pm on Friday.", "m2"))
    (emails / "to-holiday-club.eml").write_text(email(
        "info@kidsclub-holidays.example.com", "Holiday club",
        "A place for Lily Smith (born 2 March 2014, NHS number 943 476 5919), please.", "m3"))
    zpath = root / "old-cases.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2024/letter-to-father.txt", LETTER_TO_FATHER.format(address=WITHHELD_ADDRESS))
        z.writestr("2024/closure-friday.txt", NEUTRAL_LETTER.format(day="Friday"))
        z.writestr("2024/mail/to-father.eml", email("mjones@example.net", "Phone",
                                                    "Sarah's new number is 07700 900456.", "z1"))
    mbox = root / "sent.mbox"
    messages = [
        email("mjones@example.net", "Address", f"Sarah lives at {WITHHELD_ADDRESS} now.", "b1"),
        email("dsl@stmarys.sch.je", "Pick-up", "Lily Smith goes home with her mother today.", "b2"),
        email("team.manager@gov.je", "Review", "The review for Lily Smith is on 12 January.", "b3"),
    ]
    mbox.write_text("".join(f"From priya.shah@gov.je Mon Nov 16 10:12:00 2026\n{m}\n" for m in messages))
    csv_path = root / "recipients.csv"
    csv_path.write_text(f"path,recipients\n{for_csv},mjones@example.net\n")
    return Corpus(root, cases, (archive, zpath, mbox), csv_path, father, for_csv, email_father)


CORPUS_ITEMS = 12  # 3 letters + 3 emails in folders, 3 zip members, 3 mbox messages


def add_corrupt_docx(folder: Path) -> Path:
    """A .docx that is a zip header and then garbage."""
    path = folder / "corrupt.docx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(64) + b"garbage, not a word document")
    return path


def add_slow_file(folder: Path) -> Path:
    """A real input that takes the scanner many seconds on an idle machine (15 MB of one letter,
    no spaces; under max_text_chars, so only the clock stops it). Tests bound it at a 1 s limit
    in a run of its own, and compare other verdicts under a limit no small file comes near: a
    shared 3 s limit failed both ways with the machine's load."""
    path = folder / "scanned-form.txt"
    path.write_bytes(b"a" * 15_000_000)
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]
