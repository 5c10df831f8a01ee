"""What a format is: how to recognise its content and which function reads it.

This module knows nothing of the formats themselves: each format module builds its
:class:`Format` here, and the registry (``formats.py``) imports the format modules and
orders them — imports go one way, from the registry down to the formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Document
from .context import ExtractContext

Extractor = Callable[[bytes, str, ExtractContext], Document]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    extract: Extractor
    # formats whose content this one's name may legitimately hold (a .txt that is an email)
    compatible: tuple[str, ...] = field(default=())

    def accepts_content_of(self, other: Format | None) -> bool:
        return other is not None and (other.name == self.name or other.name in self.compatible)
