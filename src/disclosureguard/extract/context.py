"""State shared by the extractors while they read one document and what is nested in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import LimitExceeded
from ..limits import Limits
from ..model import Document


class Dispatch(Protocol):
    def __call__(self, data: bytes, name: str, ctx: ExtractContext, media_type: str | None = None) -> Document: ...


@dataclass(frozen=True)
class NestedReader:
    """What a container format needs of the format registry to read what is nested in it.

    Passed down in the context (``extract()`` puts it there) rather than imported, so that
    the registry imports the formats and no format imports the registry back.
    """

    extract: Dispatch  # reads a nested file as a document of its own
    recognises: Callable[[bytes], bool]  # whether some format reads these bytes by their content


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
    registry: NestedReader | None = None

    def nested(self) -> ExtractContext:
        """The context for a part nested one level deeper; the budget is shared."""
        if self.depth + 1 > self.limits.max_depth:
            raise LimitExceeded("max_depth", f"nested more than {self.limits.max_depth} levels deep")
        return ExtractContext(limits=self.limits, depth=self.depth + 1, budget=self.budget, registry=self.registry)

    def reader(self) -> NestedReader:
        """The registry's entry points, for a format that reads files nested in its own."""
        if self.registry is None:
            raise RuntimeError("a format read outside extract() cannot read what is nested in it")
        return self.registry

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
