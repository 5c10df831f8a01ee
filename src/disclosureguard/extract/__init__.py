"""Extraction: bytes and a name in, a :class:`Document` out.

Each format lives in its own module and registers a :class:`Format`. This module only
decides which format a file is (by its content, checked against its name) and turns
every failure into a :class:`Problem` — an extractor never makes a scan crash, and a
part it could not read is never silently empty.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import ExtractionError, LimitExceeded
from ..model import Document, Problem
from .context import ExtractContext, NestedReader
from .format import Format
from .formats import declared_format, recognises, sniff_format
from .text import binary_kind

__all__ = ["ExtractContext", "Format", "extract"]


def extract(data: bytes, name: str, ctx: ExtractContext | None = None, media_type: str | None = None) -> Document:
    """Read every piece of text in ``data``; never raises for bad content."""
    ctx = ctx or ExtractContext()
    if ctx.registry is None:  # the formats reach this dispatcher through the context, not an import
        ctx = replace(ctx, registry=_READER)
    if len(data) > ctx.limits.max_bytes:
        return _failed(name, "limit", f"{len(data)} bytes is more than max_bytes={ctx.limits.max_bytes}")
    actual = sniff_format(data, name, media_type)
    declared = declared_format(name, media_type)
    problems: list[Problem] = []
    if declared is not None and declared is not actual and not declared.accepts_content_of(actual):
        found = actual.name if actual else (binary_kind(data) or "unrecognised data")
        problems.append(Problem(name, "type-mismatch", f"named as {declared.name} but the content is {found}"))
    if actual is None:
        if not problems:
            problems.append(Problem(name, "unsupported", "unrecognised file type: not scanned"))
        return Document(name=name, media_type="application/octet-stream", problems=tuple(problems))
    try:
        doc = actual.extract(data, name, ctx)
    except LimitExceeded as e:
        return _failed(name, "limit", str(e), problems)
    except ExtractionError as e:
        return _failed(name, e.cause, str(e), problems)
    except RecursionError:
        return _failed(name, "corrupt", "structure nested too deeply to read", problems)
    except MemoryError:
        return _failed(name, "limit", "ran out of memory reading it", problems)
    except Exception as e:  # a parser's own bug or an unforeseen corruption: a problem, never a crash
        return _failed(name, "corrupt", f"could not be read ({type(e).__name__}: {str(e)[:160]})", problems)
    if problems:
        doc = Document(
            name=doc.name,
            media_type=doc.media_type,
            segments=doc.segments,
            children=doc.children,
            problems=tuple(problems) + doc.problems,
            envelope=doc.envelope,
        )
    return doc


def _failed(name: str, cause: str, message: str, earlier: list[Problem] | None = None) -> Document:
    return Document(
        name=name,
        media_type="application/octet-stream",
        problems=(*(earlier or ()), Problem(name, cause, message)),
    )


_READER = NestedReader(extract=extract, recognises=recognises)
