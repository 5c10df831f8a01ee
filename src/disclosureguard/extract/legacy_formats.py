"""RTF, Outlook (.msg, winmail.dat) and legacy Word and PowerPoint, registered together.

They stand before the workbooks of office_formats: an Outlook message holding an .xls
attachment has the workbook's stream names inside it, and RTF and TNEF before plain text.
"""

from __future__ import annotations

from . import ole2, rtf, tnef
from .format import Format

FORMATS: list[Format] = [ole2.MSG, ole2.DOC, ole2.PPT, *tnef.FORMATS, *rtf.FORMATS]
