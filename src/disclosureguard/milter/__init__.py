"""The mail hook: a milter for Postfix and Sendmail that checks each message before it is accepted."""

from .actions import Message, Outcome, outcome
from .config import MilterConfig, parse_listen
from .server import MilterServer

__all__ = ["Message", "MilterConfig", "MilterServer", "Outcome", "outcome", "parse_listen"]
