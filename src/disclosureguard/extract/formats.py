"""The registry of formats: which extractor reads which content.

Imports go one way: this module imports the format modules (on first use, so importing the
package stays light) and no format module imports it. A container format reads what is
nested in it through the dispatcher its :class:`ExtractContext` carries.
"""

from __future__ import annotations

from pathlib import PurePath

from .format import Extractor, Format

__all__ = ["Extractor", "Format", "declared_format", "formats", "recognises", "sniff_format"]


def _registry() -> list[Format]:
    # Order matters: the first format whose sniff accepts the content reads it, so
    # specific containers come before generic ones and plain text comes last.
    from . import email as email_format
    from . import html as html_format
    from . import text as text_format

    formats: list[Format] = []
    for module in _optional_format_modules():
        formats.extend(module.FORMATS)
    formats.append(html_format.FORMAT)
    formats.append(email_format.FORMAT)
    formats.append(text_format.FORMAT)
    from . import office_formats

    # chosen by name only (.csv): any text would pass its sniff, so it stands after plain text
    formats.extend(office_formats.BY_NAME_ONLY)
    return formats


def _optional_format_modules() -> list:
    """Binary container formats, each a module with a ``FORMATS`` list."""
    from . import archive, docx, image, legacy_formats, office_formats, ole2, pdf_format

    # docx before archive: a .docx is a zip too (so are workbooks, slides and OpenDocument);
    # legacy_formats (msg, doc, ppt, winmail.dat, rtf) before the .xls of office_formats.
    # pdf_format declares PDF without importing its reader (pypdf, PDFium) until a PDF is read.
    return [pdf_format, docx, legacy_formats, office_formats, ole2, archive, image]


FORMATS: list[Format] = []


def formats() -> list[Format]:
    if not FORMATS:
        FORMATS.extend(_registry())
    return FORMATS


def sniff_format(data: bytes, name: str, media_type: str | None = None) -> Format | None:
    declared = declared_format(name, media_type)
    # Trust the name only when the content agrees; the content decides otherwise. Plain
    # text agrees with nearly anything, so a .txt is read as what its bytes are (markup,
    # an email) and only as text when nothing more specific claims them.
    if declared is not None and declared.name != "text" and declared.sniff(data):
        return declared
    for fmt in formats():
        if fmt.sniff(data):
            return fmt
        if fmt.name == "text":
            break  # the formats after plain text are chosen by name only
    return None


def declared_format(name: str, media_type: str | None = None) -> Format | None:
    ext = PurePath(name).suffix.lower()
    for fmt in formats():
        if (media_type and media_type.lower() in fmt.media_types) or (ext and ext in fmt.extensions):
            return fmt
    return None


def recognises(data: bytes) -> bool:
    """True when some format reads these bytes by their content alone."""
    return sniff_format(data, "") is not None
