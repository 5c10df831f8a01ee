"""State shared by the extractors while they read one document and what is nested in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import LimitExceeded
from ..limits import Limits


@dataclass
class Budget:
    """What the whole document has used so far, across every nested part."""

    decompressed_bytes: int = 0
    parts: int = 0
    text_chars: int = 0
    ocr_pages: int = 0  # pages and pictures OCR has read


@dataclass
class ExtractContext:
    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    budget: Budget = field(default_factory=Budget)

    def nested(self) -> ExtractContext:
        """The context for a part nested one level deeper; the budget is shared."""
        if self.depth + 1 > self.limits.max_depth:
            raise LimitExceeded("max_depth", f"nested more than {self.limits.max_depth} levels deep")
        return ExtractContext(limits=self.limits, depth=self.depth + 1, budget=self.budget)

    def count_part(self, n: int = 1) -> None:
        self.budget.parts += n
        if self.budget.parts > self.limits.max_parts:
            raise LimitExceeded("max_parts", f"more than {self.limits.max_parts} parts")

    def count_decompressed(self, n: int) -> None:
        self.budget.decompressed_bytes += n
        if self.budget.decompressed_bytes > self.limits.max_decompressed_bytes:
            raise LimitExceeded(
                "max_decompressed_bytes",
                f"more than {self.limits.max_decompressed_bytes} bytes once decompressed",
            )

    def count_text(self, n: int) -> None:
        self.budget.text_chars += n
        if self.budget.text_chars > self.limits.max_text_chars:
            raise LimitExceeded("max_text_chars", f"more than {self.limits.max_text_chars} characters of text")
