"""The Smith family of shared/spec/case-file.md, as the tests use it (mark has a NINO)."""

SMITH_CASE = """\
case: CSC-2021-004512
title: Smith family
people:
  - id: lily
    role: child
    names: [Lily Smith, Lily-Mae Smith]
    born: 2014-03-02
    identifiers:
      UK_NHS: 943 476 5919
    addresses: ["12 Rue de Haut, St Helier, JE2 4AB"]
  - id: sarah
    role: parent
    names: [Sarah Smith]
    addresses: ["Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"]
    phones: ["07700 900456"]
    emails: [sarah.smith@example.com]
    withhold:
      - details: [address, phone, email]
        from: [mark]
  - id: mark
    role: parent
    names: [Mark Jones]
    emails: [mjones@example.net]
    identifiers:
      UK_NINO: JY 12 34 56 A
  - id: janet
    role: referrer
    names: [Janet Cooper]
    withhold:
      - details: [identity]
        from: [family]
contacts:
  - email: dsl@stmarys.sch.je
    name: Anne Le Brun
    organisation: St Mary's School
    role: professional
"""
