"""disclosureguard: stop children's and families' data reaching people not entitled to it.

>>> from disclosureguard import Scanner
>>> verdict = Scanner(cases="samples/cases").scan("letter.txt", to=["mjones@example.net"])
>>> verdict.decision.label, verdict.to_dict()["reasons"]
"""

from .errors import CaseFileError, ConfigError, DisclosureGuardError, InputError, PolicyError
from .limits import Limits
from .model import Action, Finding, Problem, Reason, Recipient, Verdict
from .scanner import Analysis, Scanner, scan

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
