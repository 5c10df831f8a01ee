"""One family with the names Jersey writes every day, for the particle and layout tests.

The case file and the letter are built in code: Marco de Sousa (father), Inês Gonçalves
(mother), Kai-James Le Brocq-Vibert (child), Noah du Feu (cousin), Siobhan O'Neill (aunt)
and the social worker Jo Bisson, who signs the letters.
"""

from __future__ import annotations

from pathlib import Path

CASE_YAML = """\
case: CSC-2026-001616
title: de Sousa family
people:
  - id: kai
    role: child
    names: [Kai-James Le Brocq-Vibert]
    born: 2015-07-14
  - id: marco
    role: parent
    names: [Marco de Sousa]
    addresses: ["Flat 4, 22 La Route du Fort, St Saviour, JE2 7XY"]
    emails: [marco.desousa@example.com]
    phones: ["07911 612345"]
  - id: ines
    role: parent
    names: [Inês Gonçalves]
    addresses: ["3 Rue des Prés, Trinity, JE3 5AB"]
    phones: ["07700 512345"]
    emails: [ines.goncalves@example.net]
    withhold:
      - details: [address, phone]
        from: [marco]
  - id: noah
    role: relative
    names: [Noah du Feu]
  - id: siobhan
    role: relative
    names: [Siobhan O'Neill]
  - id: jo
    role: professional
    names: [Jo Bisson]
    phones: ["01534 612399"]
    emails: [j.bisson@gov.je]
"""

# The letterhead and office address are the organisation's own details in samples/policy.yaml.
OFFICE = "Le Bas Centre, St Saviour's Road, St Helier, JE2 4RP"
LETTERHEAD = ["Children's Social Care", OFFICE]
ADDRESS_BLOCK = ["Mr Marco de Sousa", "Flat 4, 22 La Route du Fort", "St Saviour", "JE2 7XY"]
DATE_LINE = "1 December 2026"
SALUTATION = "Dear Mr de Sousa,"
BODY = [
    "Re: Kai-James Le Brocq-Vibert",
    "Thank you for meeting me with Inês Gonçalves last week. Kai-James is settled at school, and "
    "Mrs Gonçalves tells me that his cousin Noah du Feu visits on Saturdays. Siobhan O'Neill has "
    "offered to help with the school run. As agreed, Mr de Sousa will collect Kai-James on Fridays; "
    "Sousa family time will be on Sundays, and de Sousa's parents may join.",
]
CLOSING = "Kind regards,"
SIGN_OFF = ["Jo Bisson", "Social Worker", "Direct line 01534 612399", OFFICE]


def write_case(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "de-sousa.yaml"
    path.write_text(CASE_YAML, encoding="utf-8")
    return folder


def letter_text() -> str:
    """The letter as plain text: letterhead, address block, salutation, body, sign-off."""
    parts = [
        "\n".join(LETTERHEAD),
        "\n".join(ADDRESS_BLOCK),
        DATE_LINE,
        SALUTATION,
        *BODY,
        CLOSING,
        "\n".join(SIGN_OFF),
    ]
    return "\n\n".join(parts) + "\n"
