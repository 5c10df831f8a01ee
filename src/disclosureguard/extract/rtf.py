"""RTF documents (.rtf): body, headers, footnotes, comments, field codes, properties, objects.

The reading is in rtf_reader.py; this module turns its parts into segments (one per
paragraph of the body, so a letter's address block reads line by line as in a .docx) and
its embedded objects into nested documents.
"""

from __future__ import annotations

from ..model import Document, Problem, Segment
from .context import ExtractContext
from .format import Format
from .html import html_to_text
from .ole1 import read_ole1
from .rtf_reader import (
    DELETED,
    HIDDEN_TEXT,
    VISIBLE,
    Part,
    Piece,
    RtfContent,
    join_surrogates,
    looks_like_rtf,
    read_rtf,
)
from .text import text_segments

MEDIA_TYPE = "application/rtf"
_FLAG_KIND = {VISIBLE: None, HIDDEN_TEXT: "hidden-text", DELETED: "tracked-deletion"}


def _paragraph_texts(paragraph: list[Piece]) -> dict[str, str]:
    by_flag: dict[str, list[str]] = {}
    for piece in paragraph:
        by_flag.setdefault(piece.flag, []).append(piece.text)
    return {flag: join_surrogates("".join(texts)).strip() for flag, texts in by_flag.items()}


def _part_segments(part: Part, ctx: ExtractContext) -> list[Segment]:
    out: list[Segment] = []

    def add(text: str, location: str, kind: str, hidden: bool) -> None:
        if text:
            ctx.count_text(len(text))
            out.append(Segment(text=text, location=location, kind=kind, hidden=hidden, field=part.field))

    if part.per_paragraph:
        number = 0
        for paragraph in part.paragraphs:
            texts = _paragraph_texts(paragraph)
            if not any(texts.values()):
                continue
            number += 1
            where = f"{part.where}, paragraph {number}"
            for flag, text in texts.items():
                if flag == VISIBLE:
                    add(text, where, part.kind, part.hidden)
                else:
                    add(text, f"{where}, {flag}", _FLAG_KIND.get(flag, "hidden-text") or part.kind, True)
        return out
    merged: dict[str, list[str]] = {}
    for paragraph in part.paragraphs:
        for flag, text in _paragraph_texts(paragraph).items():
            if text:
                merged.setdefault(flag, []).append(text)
    for flag, pieces in merged.items():
        joined = "\n".join(pieces)
        if flag == VISIBLE:
            add(joined, part.where, part.kind, part.hidden)
        else:
            add(joined, f"{part.where}, {flag}", _FLAG_KIND.get(flag, "hidden-text") or part.kind, True)
    return out


def _objects(content: RtfContent, name: str, ctx: ExtractContext) -> tuple[list[Document], list[Problem]]:
    extract = ctx.reader().extract  # passed down: the registry imports this module

    children: list[Document] = []
    problems: list[Problem] = []
    for obj in content.objects:
        label = f"embedded object {obj.number}"
        native = read_ole1(obj.data)
        if native is None:
            problems.append(Problem(f"{name}, {label}", "unsupported", "an embedded object could not be read"))
            continue
        ctx.count_part()
        ctx.count_decompressed(len(native.data))
        children.append(extract(native.data, native.file_name or label, ctx.nested()))
    return children, problems


def document_from_content(content: RtfContent, name: str, ctx: ExtractContext) -> Document:
    segments: list[Segment] = []
    if content.html is not None:
        # Outlook's HTML body wrapped in RTF: the HTML is the message as its reader sees it
        visible, hidden = html_to_text(content.html)
        segments.extend(text_segments(visible, "body (HTML)", ctx))
        for seg in text_segments(hidden, "body (HTML), hidden text", ctx, kind="hidden-text"):
            segments.append(Segment(text=seg.text, location=seg.location, kind="hidden-text", hidden=True))
        parts = content.parts[1:]
    else:
        parts = content.parts
    for part in parts:
        segments.extend(_part_segments(part, ctx))
    children, problems = _objects(content, name, ctx)
    problems.extend(Problem(name, "malformed", message) for message in dict.fromkeys(content.problems))
    return Document(
        name=name, media_type=MEDIA_TYPE, segments=tuple(segments), children=tuple(children), problems=tuple(problems)
    )


def extract_rtf(data: bytes, name: str, ctx: ExtractContext) -> Document:
    return document_from_content(read_rtf(data), name, ctx)


FORMAT = Format(
    name="rtf",
    extensions=(".rtf",),
    media_types=(MEDIA_TYPE, "text/rtf"),
    sniff=looks_like_rtf,
    extract=extract_rtf,
)

FORMATS: list[Format] = [FORMAT]
