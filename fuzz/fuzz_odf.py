"""Fuzz target: OpenDocument text and spreadsheets, as whole packages and as single XML parts.

    .venv/bin/python fuzz/fuzz_odf.py fuzz/corpus/odf fuzz/seeds/odf -max_total_time=600
"""

from __future__ import annotations

import harness
from office_template import fuzzed_input

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
CONTENT = (
    f'<office:document-content {NS}><office:automatic-styles><style:style style:name="H" style:family="text">'
    '<style:text-properties text:display="none"/></style:style></office:automatic-styles><office:body>'
    '<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
    "<dc:creator>A</dc:creator></office:change-info><text:p>gone</text:p></text:deletion></text:changed-region>"
    '</text:tracked-changes><text:p>Flat 3, 8 <text:span text:style-name="H">Sea</text:span>view'
    "<office:annotation><dc:creator>B</dc:creator><text:p>note</text:p></office:annotation></text:p>"
    '<table:table table:name="T"><table:table-row table:number-rows-repeated="3"><table:table-cell>'
    "<text:p>cell</text:p></table:table-cell></table:table-row></table:table></office:text></office:body>"
    "</office:document-content>"
).encode()
TEMPLATE: dict[str, bytes] = {
    "mimetype": b"application/vnd.oasis.opendocument.text",
    "content.xml": CONTENT,
    "styles.xml": f"<office:document-styles {NS}><office:master-styles><style:master-page style:name='S'>"
    "<style:header><text:p>head</text:p></style:header></style:master-page></office:master-styles>"
    "</office:document-styles>".encode(),
    "meta.xml": f"<office:document-meta {NS}><office:meta><meta:initial-creator>C</meta:initial-creator>"
    "</office:meta></office:document-meta>".encode(),
    "META-INF/manifest.xml": b'<manifest:manifest '
    b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
}
FUZZED_PARTS = ["content.xml", "styles.xml", "meta.xml"]


def one_input(data: bytes) -> None:
    if data:
        harness.check(fuzzed_input(TEMPLATE, FUZZED_PARTS, data), "letter.odt")


if __name__ == "__main__":
    harness.run(one_input)
