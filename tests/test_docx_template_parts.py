"""Parts a template repeats are known by their bytes (issue 19): same reading, no second pass.

A department's documents come from a few templates, whose styles, theme and settings parts
are the same bytes in every document. The closed-world test of a quiet part and the styles'
run properties are kept by the digest of those bytes: these tests show the second document
made from a template is read exactly as the first, and that nothing about a part other than
its bytes (its name, what the first document held) carries over.
"""

from __future__ import annotations

import io

import docx as python_docx

from disclosureguard.extract import docx as docx_extract
from disclosureguard.extract import docx_audit, extract
from docfixtures import NS, docx, p, r

QUIET_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>'
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>'
    "</w:styles>"
)
STYLES_REL = [("rIdS", "styles", "styles.xml")]


def _forget() -> None:
    docx_audit.QUIET_PARTS.clear()
    docx_extract.STYLES.clear()


def _reading(data: bytes, name: str = "letter.docx") -> list[tuple[str, str, bool]]:
    doc = extract(data, name)
    assert doc.all_problems() == ()
    return [(s.location, s.text, s.hidden) for s in doc.all_segments()]


def _letter(body_text: str) -> bytes:
    document = python_docx.Document()  # python-docx's template: two styles parts of ~800 KB, no text
    document.add_paragraph(body_text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_documents_from_one_template_read_the_same_as_when_their_parts_are_first_seen():
    first, second = _letter("Lily Smith was seen at school."), _letter("NHS number 943 476 5919.")
    _forget()
    cold = [_reading(first), _reading(second)]
    assert docx_audit.QUIET_PARTS and docx_extract.STYLES  # the template's parts are kept
    warm = [_reading(first), _reading(second)]
    assert warm == cold
    assert any("943 476 5919" in text for _, text, _ in warm[1])


def test_a_style_that_hides_text_hides_it_in_every_document_made_from_the_template():
    body = p(r("Visible words. ") + '<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>NHS 943 476 5919</w:t></w:r>')
    data = docx(body, parts={"word/styles.xml": QUIET_STYLES}, rels=STYLES_REL)
    _forget()
    for _ in range(2):  # the second time the styles come from the digest
        hidden = [(text, hidden) for _, text, hidden in _reading(data) if "943" in text]
        assert hidden == [("NHS 943 476 5919", True)]
    assert len(docx_extract.STYLES) == 1


def test_a_part_like_a_quiet_one_but_for_one_text_attribute_is_still_read():
    _forget()
    _reading(docx(p(r("Item")), parts={"word/styles.xml": QUIET_STYLES}, rels=STYLES_REL))
    normal = '<w:name w:val="Normal"/>'
    noisy = QUIET_STYLES.replace(normal, normal + '<w:rPr descr="NHS 943 476 5919"/>')
    doc = extract(docx(p(r("Item")), parts={"word/styles.xml": noisy}, rels=STYLES_REL), "s.docx")
    assert [(s.text, s.hidden) for s in doc.segments if s.kind == "other-text"] == [("NHS 943 476 5919", True)]


def test_damage_is_reported_every_time_even_under_a_name_whose_part_was_quiet_before():
    _forget()
    quiet = "<x:a xmlns:x='urn:x'><x:b/></x:a>"
    assert _reading(docx(p(r("Lily Smith")), parts={"word/orphan.xml": quiet}))
    broken = docx(p(r("Lily Smith")), parts={"word/orphan.xml": "<x:a xmlns:x='urn:x'><x:b></x:a>"})
    for _ in range(2):
        assert [pr.cause for pr in extract(broken, "x.docx").problems] == ["corrupt"]


def test_the_kept_digests_are_bounded():
    _forget()
    for i in range(docx_audit.QUIET_PARTS_KEPT + 20):
        part = f"<x:a xmlns:x='urn:x'><x:b n='{i}'/></x:a>".encode()
        assert docx_audit.quiet_part(part, "word/orphan.xml")
    assert len(docx_audit.QUIET_PARTS) == docx_audit.QUIET_PARTS_KEPT
    for i in range(docx_extract.STYLES_KEPT + 5):
        styles = QUIET_STYLES.replace("Normal", f"Normal{i}")
        _reading(docx(p(r("Item")), parts={"word/styles.xml": styles}, rels=STYLES_REL))
    assert len(docx_extract.STYLES) == docx_extract.STYLES_KEPT
