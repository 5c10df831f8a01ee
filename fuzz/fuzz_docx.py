"""Fuzz target: Word documents, as whole packages and as single XML parts.

Mutating a zip byte by byte mostly breaks its checksums, so the fuzzer would rarely get
past the zip layer into the XML walkers. An input that starts with ``P`` (as every real
package does, "PK") is read as the whole .docx; any other input picks one part of a small
valid package by its first byte, and the rest of the input becomes that part's XML.

    .venv/bin/python fuzz/fuzz_docx.py fuzz/corpus/docx fuzz/seeds/docx -max_total_time=600
"""

from __future__ import annotations

import io
import zipfile

import harness

W = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

TEMPLATE: dict[str, bytes] = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    f'relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    f'core-properties" Target="docProps/core.xml"/></Relationships>'.encode(),
    "word/_rels/document.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/comments" Target="comments.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId4" Type="{REL}/footnotes" Target="footnotes.xml"/>'
    f'<Relationship Id="rId5" Type="{REL}/hyperlink" Target="mailto:a@example.com" TargetMode="External"/>'
    f"</Relationships>".encode(),
    "word/document.xml": f"<w:document {W}><w:body><w:p><w:r><w:t>Dear Mr Jones</w:t></w:r></w:p>"
    f'<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body></w:document>'.encode(),
    "word/header1.xml": f"<w:hdr {W}><w:p><w:r><w:t>Header</w:t></w:r></w:p></w:hdr>".encode(),
    "word/comments.xml": f'<w:comments {W}><w:comment w:id="0" w:author="A"><w:p><w:r><w:t>note</w:t></w:r>'
    f"</w:p></w:comment></w:comments>".encode(),
    "word/styles.xml": f'<w:styles {W}><w:style w:type="paragraph" w:styleId="Normal"><w:rPr><w:color '
    f'w:val="000000"/></w:rPr></w:style></w:styles>'.encode(),
    "word/footnotes.xml": f'<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>fn</w:t></w:r></w:p>'
    f"</w:footnote></w:footnotes>".encode(),
    "docProps/core.xml": b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>A</dc:creator>'
    b"</cp:coreProperties>",
}
FUZZED_PARTS = [name for name in TEMPLATE if name != "[Content_Types].xml"]


def package_with(part: str, xml: bytes) -> bytes:
    """The template package with ``part`` replaced by ``xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, content in TEMPLATE.items():
            zf.writestr(name, xml if name == part else content)
    return buffer.getvalue()


def one_input(data: bytes) -> None:
    if not data:
        return
    if data[:1] == b"P":
        harness.check(data, "letter.docx")
    else:
        harness.check(package_with(FUZZED_PARTS[data[0] % len(FUZZED_PARTS)], data[1:]), "letter.docx")


if __name__ == "__main__":
    harness.run(one_input)
