"""Limits per document: each has a default and a setting, and going past one is an error."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024  # size of the input file or message
    max_decompressed_bytes: int = 200 * 1024 * 1024  # total inflated from zip/docx parts
    max_compression_ratio: float = 100.0  # per zip member: uncompressed / compressed
    max_pages: int = 2000  # PDF pages
    max_parts: int = 10_000  # zip members, MIME parts, docx parts
    max_depth: int = 10  # nesting: attachment in attachment in ...
    max_text_chars: int = 20_000_000  # extracted characters for one document
    time_limit: float = 60.0  # seconds for one document, where the caller enforces it

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def parse_limits(settings: Iterable[str], base: Limits | None = None) -> Limits:
    """Limits from ``NAME=VALUE`` settings (``max_pages=500``, ``time_limit=30``) over ``base``."""
    base = base or Limits()
    kinds = {f.name: f.type for f in fields(Limits)}
    changes: dict[str, Any] = {}
    for item in settings:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in kinds:
            raise ValueError(f"{item!r}: expected NAME=VALUE with NAME one of {', '.join(Limits.names())}")
        try:
            value: int | float = int(raw) if kinds[name] in (int, "int") else float(raw)
        except ValueError:
            raise ValueError(f"{item!r}: {name} takes a number") from None
        if value <= 0:
            raise ValueError(f"{item!r}: {name} must be more than 0")
        changes[name] = value
    return replace(base, **changes)
