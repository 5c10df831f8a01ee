"""One error hierarchy. Every failure becomes a reason in a verdict or one clear message."""

from __future__ import annotations


class DisclosureGuardError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(DisclosureGuardError):
    """An input file could not be opened at all (missing, a directory, unreadable)."""


class ConfigError(DisclosureGuardError):
    """A policy, case file or setting does not fit its schema.

    The message names the file, the field and what was expected.
    """

    def __init__(self, file: str, field: str, expected: str) -> None:
        self.file = file
        self.field = field
        self.expected = expected
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {expected}")


class PolicyError(ConfigError):
    """A policy file is malformed."""


class CaseFileError(ConfigError):
    """A case file is malformed."""


class ExtractionError(DisclosureGuardError):
    """A part of a document could not be read. ``cause`` is a short code for the verdict."""

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause
        super().__init__(message)


class LimitExceeded(ExtractionError):
    """A document went past one of the configured limits; ``limit`` names the setting."""

    def __init__(self, limit: str, message: str) -> None:
        self.limit = limit
        super().__init__("limit", f"{message} (limit: {limit})")
