"""Parsing XML from documents without ever expanding entities or reaching the network.

Office parts and PDF XMP packets are XML written by whoever sent the file. A DTD with
entity declarations (billion laughs, external entities) has no place in either, so its
presence is reported as a problem rather than parsed around.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import ExtractionError

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
    )


def check_no_dtd(data: bytes, part: str) -> None:
    """Raise ``unsafe-xml`` if the XML declares a DTD or entities."""
    probe = data
    if data[:2] in _UTF16_BOMS:
        probe = data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    elif len(data) > 1 and data[1:2] == b"\x00":  # UTF-16LE without a BOM
        probe = data.decode("utf-16-le", errors="replace").encode("utf-8", errors="replace")
    if _DTD.search(probe):
        raise ExtractionError("unsafe-xml", f"{part} declares a DTD or entities: not parsed")


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one XML part safely; a DTD is a problem, malformed XML is ``corrupt``."""
    check_no_dtd(data, part)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as e:
        raise ExtractionError("corrupt", f"{part} is not well-formed XML ({str(e)[:120]})") from e
    if root is None:
        raise ExtractionError("corrupt", f"{part} is empty")
    return root


class _NoTree:
    """A parser target that builds nothing: the parse only checks the XML."""

    def close(self) -> None:
        return None


def check_well_formed(data: bytes, part: str) -> None:
    """Raise as :func:`parse_xml` would (DTD, malformed XML) without building the tree: for a
    part that must be checked but that nothing reads."""
    check_no_dtd(data, part)
    parser = etree.XMLParser(target=_NoTree(), resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, dtd_validation=False)
    try:
        etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise ExtractionError("corrupt", f"{part} is not well-formed XML ({str(e)[:120]})") from e


def local_name(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
