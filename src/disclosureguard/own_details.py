"""The organisation's own details (letterhead address, switchboard, staff mailboxes) are never findings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Finding
from .policy.domains import domain_class
from .policy.model import Organisation

_NON_ALNUM = re.compile(r"[\W_]+")
_MIN_LEN = 4


def _norm(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def _digits(text: str) -> str:
    d = re.sub(r"\D", "", text)
    return "0" + d[2:] if d.startswith("44") and len(d) >= 11 else d


class OwnDetails:
    def __init__(self, org: Organisation) -> None:
        self._org = org
        self._texts = [_norm(d) for d in org.own_details if _norm(d)]
        self._numbers = {_digits(d) for d in org.own_details if len(_digits(d)) >= 7}

    def is_own(self, f: Finding) -> bool:
        if f.entity_type == "EMAIL_ADDRESS" and domain_class(f.text.strip(), self._org) == "internal":
            return True
        if f.entity_type == "PHONE_NUMBER":
            return _digits(f.text) in self._numbers
        value = _norm(f.text)
        return len(value) >= _MIN_LEN and any(value in own for own in self._texts)

    def remove(self, findings: Sequence[Finding]) -> list[Finding]:
        return [f for f in findings if not self.is_own(f)]
