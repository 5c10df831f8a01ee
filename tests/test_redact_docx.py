"""Redaction of Word documents: values gone from every part, hidden content and personal
metadata gone, formatting kept, and the file still opens (python-docx, LibreOffice)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from lxml import etree

from disclosureguard.redact import VerificationFailed, redact_values
from disclosureguard.redact.values import Target
from redact_samples import ADDRESS, EMAIL, PHONE, POSTCODE, WITHHELD, letter_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VALUES = (ADDRESS, POSTCODE, PHONE, EMAIL)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


@pytest.fixture(scope="module")
def original() -> bytes:
    return letter_docx()


@pytest.fixture(scope="module")
def redacted(original: bytes) -> bytes:
    return redact_values(original, "letter.docx", WITHHELD).data


def test_sample_holds_the_values_in_comment_deletion_hidden_text_and_custom_property(original):
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        parts = {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist()}
    assert EMAIL in parts["word/comments.xml"]
    assert ADDRESS in parts["word/document.xml"]  # the tracked deletion
    assert "<w:vanish/>" in parts["word/document.xml"]
    assert EMAIL in parts["docProps/custom.xml"]


def test_no_value_is_left_in_any_part_even_split_across_runs(redacted):
    with zipfile.ZipFile(io.BytesIO(redacted)) as zf:
        for name in zf.namelist():
            blob = zf.read(name)
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(blob)
                texts = "".join(root.itertext())
                attributes = " ".join(v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values())
                for value in VALUES:
                    assert _squash(value) not in _squash(texts), (name, value)
                    assert _squash(value) not in _squash(attributes), (name, value)
            for value in VALUES:
                assert value.encode() not in blob, (name, value)


def test_hidden_content_and_personal_metadata_are_gone(redacted):
    with zipfile.ZipFile(io.BytesIO(redacted)) as zf:
        names = set(zf.namelist())
        body = etree.fromstring(zf.read("word/document.xml"))
        core = etree.fromstring(zf.read("docProps/core.xml"))
        content_types = zf.read("[Content_Types].xml").decode()
    assert "word/comments.xml" not in names and "docProps/custom.xml" not in names
    assert "custom.xml" not in content_types and "comments.xml" not in content_types
    for tag in ("del", "ins", "delText", "commentRangeStart", "commentRangeEnd", "commentReference", "vanish"):
        assert body.find(f".//{W}{tag}") is None, tag
    creator = core.find("{http://purl.org/dc/elements/1.1/}creator")
    modified_by = core.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy")
    assert creator is not None and not creator.text
    assert modified_by is not None and not modified_by.text


def test_text_and_formatting_are_kept_and_the_insertion_is_accepted(redacted):
    document = docx.Document(io.BytesIO(redacted))
    texts = [p.text for p in document.paragraphs]
    assert "Lily's mother has now moved to [REDACTED: ADDRESS], so the handover will no longer happen at the old " \
        "address." in texts
    assert "She can be reached on [REDACTED: PHONE_NUMBER]." in texts
    assert "The handover will be at the family centre on Saturdays." in texts
    assert "Contact will take place every other Saturday." in texts
    assert "Re: Lily Smith" in texts
    runs = next(p for p in document.paragraphs if p.text.startswith("Lily's mother")).runs
    assert [bool(r.bold) for r in runs] == [False, True, False]  # the bold run is still there, emptied


def test_a_mailto_link_naming_the_email_goes_and_its_text_stays(original, redacted):
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        assert f"mailto:{EMAIL}" in zf.read("word/_rels/document.xml.rels").decode()
    with zipfile.ZipFile(io.BytesIO(redacted)) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
    assert "mailto:" not in rels and 'Target="about:blank"' in rels
    assert "Or write to her (by email)." in [p.text for p in docx.Document(io.BytesIO(redacted)).paragraphs]


def test_the_page_header_is_redacted_too(redacted):
    header = docx.Document(io.BytesIO(redacted)).sections[0].header.paragraphs[0].text
    assert header == "Contact arrangements - mother at [REDACTED: UK_POSTCODE]"


def test_mask_operator_applies_inside_word_runs(original):
    data = redact_values(original, "letter.docx", WITHHELD, operators={"PHONE_NUMBER": "mask"}).data
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert f"She can be reached on {'*' * len(PHONE)}." in texts


def test_a_value_in_an_embedded_file_fails_verification_and_nothing_is_returned(original):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/embeddings/note.txt", f"Mother: {ADDRESS}\n")
    with pytest.raises(VerificationFailed) as caught:
        redact_values(out.getvalue(), "letter.docx", WITHHELD)
    assert "embedded" in str(caught.value) or "word/embeddings" in str(caught.value)
    assert ADDRESS not in str(caught.value)


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (scripts/system-deps installs libreoffice-writer-nogui)",
)
def test_libreoffice_converts_the_redacted_copy_and_its_text_holds_no_value(redacted, tmp_path):
    source = tmp_path / "letter-redacted.docx"
    source.write_bytes(redacted)
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "letter-redacted.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "[REDACTED: ADDRESS]" in text
    for value in VALUES:
        assert _squash(value) not in _squash(text)


def test_a_name_flagged_only_in_hidden_places_goes_from_there_and_stays_where_it_is_visible(original):
    author = Target("Priya Shah", "PERSON")
    result = redact_values(original, "letter.docx", WITHHELD, hidden_targets=[author])
    document = docx.Document(io.BytesIO(result.data))
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""
    assert "Priya Shah, Social Worker" in [p.text for p in document.paragraphs]
    assert any("kept where they are visible" in note for note in result.notes)


def test_a_value_to_remove_everywhere_goes_from_the_visible_text_too(original):
    result = redact_values(original, "letter.docx", [*WITHHELD, Target("Priya Shah", "PERSON")])
    texts = [p.text for p in docx.Document(io.BytesIO(result.data)).paragraphs]
    assert "[REDACTED: PERSON], Social Worker" in texts
