"""disclosureguard: stop children's and families' data reaching people not entitled to it.

>>> from disclosureguard import Scanner
>>> verdict = Scanner(cases="samples/cases").scan("letter.txt", to=["mjones@example.net"])
>>> verdict.decision.label, verdict.to_dict()["reasons"]
"""

from typing import TYPE_CHECKING, Any

from .errors import CaseFileError, ConfigError, DisclosureGuardError, InputError, PolicyError
from .limits import Limits
from .model import Action, Finding, Problem, Reason, Recipient, Verdict

if TYPE_CHECKING:
    from .scanner import Analysis, Scanner, scan

_LAZY = {"Analysis", "Scanner", "scan"}


def __getattr__(name: str) -> Any:
    # The scanner pulls in spaCy and Presidio (seconds, hundreds of MB): only when asked for,
    # so the mail hook's parent process and `audit verify` start at once.
    if name in _LAZY:
        from . import scanner

        return getattr(scanner, name)
    raise AttributeError(f"module 'disclosureguard' has no attribute {name!r}")

__all__ = [
    "Action",
    "Analysis",
    "CaseFileError",
    "ConfigError",
    "DisclosureGuardError",
    "Finding",
    "InputError",
    "Limits",
    "PolicyError",
    "Problem",
    "Reason",
    "Recipient",
    "Scanner",
    "Verdict",
    "scan",
]
__version__ = "0.1.0"
