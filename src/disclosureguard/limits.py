"""Limits per document: each has a default and a setting, and going past one is an error."""

from __future__ import annotations

import re
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
    ocr_max_pages: int = 50  # pages or pictures OCR reads in one document; 0 turns OCR off
    ocr_page_time_limit: float = 20.0  # seconds OCR may spend on one page or picture

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", re.I)
# Settings with a flag of their own: one name and one way to set each.
_OWN_FLAG = {"time_limit": "--time-limit SECONDS"}
_ZERO_ALLOWED = {"ocr_max_pages"}  # 0 turns the feature off


def parse_size(value: str | int) -> int:
    """Bytes from a whole number of bytes or a size with a binary suffix: 512M, 2G, 50MiB, 100K."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size in bytes or with a suffix (512M, 2G); got {value!r}")
    if isinstance(value, int):
        return value
    m = _SIZE.fullmatch(str(value))
    if m is None:
        raise ValueError(f"expected a size in bytes or with a suffix (512M, 2G); got {value!r}")
    number = float(m.group(1)) * _UNITS[m.group(2).upper()]
    if number != int(number):
        raise ValueError(f"expected a whole number of bytes; got {value!r}")
    return int(number)


def size_limit_names() -> list[str]:
    return [n for n in Limits.names() if n.endswith("_bytes")]


def parse_limits(settings: Iterable[str], base: Limits | None = None) -> Limits:
    """Limits from ``NAME=VALUE`` settings (``max_pages=500``, ``max_bytes=50M``) over ``base``."""
    base = base or Limits()
    kinds = {f.name: f.type for f in fields(Limits)}
    changes: dict[str, Any] = {}
    settable = [n for n in Limits.names() if n not in _OWN_FLAG]
    for item in settings:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if name in _OWN_FLAG:
            raise ValueError(f"{name} is set with {_OWN_FLAG[name]}, not --limit")
        if not sep or name not in kinds:
            raise ValueError(f"expected NAME=VALUE with NAME one of {', '.join(settable)}")
        try:
            value: int | float
            if name.endswith("_bytes"):
                value = parse_size(raw)
            else:
                value = int(raw) if kinds[name] in (int, "int") else float(raw)
        except ValueError:
            kind = "a size in bytes or with a suffix (512M, 2G)" if name.endswith("_bytes") else "a number"
            raise ValueError(f"{name} takes {kind}") from None
        if value < 0 or (value == 0 and name not in _ZERO_ALLOWED):
            raise ValueError(f"{name} must be more than 0")
        changes[name] = value
    return replace(base, **changes)
