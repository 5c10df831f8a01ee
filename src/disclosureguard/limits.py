"""Limits per document: each has a default and a setting, and going past one is an error."""

from __future__ import annotations

from dataclasses import dataclass, fields


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
