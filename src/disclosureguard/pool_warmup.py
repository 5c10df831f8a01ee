"""A new scanning worker reads a small message before it says it is ready.

A worker's first document pays for what is loaded on first use: the PDF and Word readers
(pypdf, PDFium, lxml), the email package's header classes, spaCy's first batch, compiled
patterns. Measured on the milter bench's messages, a fresh worker took about 0.8 s for its
first letter and 1.1 s for its first PDF, against 0.03 s and 0.1 s warm. The pool starts (and
replaces, and recycles) workers ahead of the mail, so that cost is paid here, not by the first
sender's message or inside its time limit.

The warm-up message is built in code (an email with a Word and a PDF attachment, no person's
data in it). It is extracted, detected and attributed; it is not judged, so nothing is decided,
logged, or learnt by the recipient history from it.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from typing import TYPE_CHECKING

from .extract import ExtractContext, extract

if TYPE_CHECKING:
    from .scanner import Scanner

_TEXT = "Review notes: the meeting is on Tuesday at the school. Call 01534 444444 for the room."

_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
        'main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
    "word/document.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{_TEXT}</w:t></w:r></w:p></w:body></w:document>'
    ),
}


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in _DOCX_PARTS.items():
            z.writestr(name, xml)
    return buf.getvalue()


def _pdf() -> bytes:
    """One page with one line of Helvetica, offsets in the xref table computed."""
    content = f"BT /F1 11 Tf 72 770 Td ({_TEXT}) Tj ET".encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def warm_up_message() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Warm Up <warm-up@example.org>"
    msg["To"] = "Colleague <colleague@example.org>"
    msg["Subject"] = "Review notes"
    msg.set_content(_TEXT)
    msg.add_attachment(_docx(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="notes.docx")
    msg.add_attachment(_pdf(), maintype="application", subtype="pdf", filename="notes.pdf")
    return msg.as_bytes()


def warm_up(scanner: Scanner) -> None:
    """Read the warm-up message as a scan would, up to (not including) the decision."""
    document = extract(warm_up_message(), "warm-up message", ExtractContext(limits=scanner.limits),
                       media_type="message/rfc822")
    segments = document.all_segments()
    scanner.detector.detect(segments)
    scanner.cases.attribution(segments)
