"""The formats of spreadsheets, slides and OpenDocument, registered together.

Each is a zip package (or an OLE2 file for .xls) told apart by what it holds: the
``[Content_Types].xml`` parts of Office Open XML, the ``mimetype`` member of
OpenDocument. They stand before the generic zip archive in the registry.
"""

from __future__ import annotations

from . import csvfile, odf, pptx, xls, xlsx
from .format import Format

FORMATS: list[Format] = [*xlsx.FORMATS, *pptx.FORMATS, *odf.FORMATS, *xls.FORMATS]
# Chosen only when the name says so (a .csv): registered after plain text.
BY_NAME_ONLY: list[Format] = [*csvfile.FORMATS]
