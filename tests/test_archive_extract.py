"""Zip, tar and gzip: members read by the same extractors, and bombs stopped early."""

from __future__ import annotations

import gzip
import io
import tarfile
import tracemalloc
import zipfile

import pytest

from disclosureguard.errors import LimitExceeded
from disclosureguard.extract import extract
from disclosureguard.extract.context import ExtractContext
from disclosureguard.extract.zipsafe import read_member
from disclosureguard.limits import Limits
from disclosureguard.model import Document, Place, Segment
from docfixtures import docx, letter_page, p, pdf, r, zip_bomb, zip_of


def seg(doc: Document, needle: str) -> Segment:
    found = [s for s in doc.all_segments() if needle in s.text]
    assert found, f"{needle!r} not extracted; segments: {[(s.location, s.text) for s in doc.all_segments()]}"
    return found[0]


def test_zip_members_are_read_by_their_own_extractors_with_their_names():
    archive = zip_of(
        {
            "letters/to-father.docx": docx(p(r("Sarah lives at 8 Seaview Terrace"))),
            "letters/report.pdf": pdf(letter_page),
            "notes.txt": b"NHS 943 476 5919",
        }
    )
    doc = extract(archive, "bundle.zip")
    assert doc.problems == ()
    assert [c.media_type for c in doc.children] == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/pdf",
        "text/plain",
    ]
    assert seg(doc, "Seaview").place == Place("body, paragraph 1", ("letters/to-father.docx",), paragraph=1)
    assert seg(doc, "Dear Mr Jones").place == Place("page 1", ("letters/report.pdf",), page=1)
    name = seg(doc, "to-father.docx")
    assert (name.kind, name.location, name.hidden) == ("file-name", "archive member name 1", False)


def test_zip_inside_zip_is_read_recursively_and_depth_is_limited():
    inner = zip_of({"deep.txt": b"Mark Jones 07700 900456"})
    doc = extract(zip_of({"inner.zip": inner}), "outer.zip")
    assert seg(doc, "07700").place == Place("body, paragraph 1", ("inner.zip", "deep.txt"), paragraph=1)

    nested = b"Lily Smith"
    for level in range(5):
        nested = zip_of({f"level{level}.zip" if level else "leaf.txt": nested})
    shallow = extract(nested, "nest.zip", ExtractContext(limits=Limits(max_depth=2)))
    assert "limit" in [pr.cause for pr in shallow.all_problems()]
    assert "max_depth" in " ".join(pr.message for pr in shallow.all_problems())


def test_one_gigabyte_zip_bomb_is_a_limit_problem_in_bounded_memory():
    # The ratio check reads the declared sizes before inflating anything: the peak shows
    # that no part of the gigabyte was held (speed belongs to the benches, not to tests).
    bomb = zip_bomb(1)
    assert zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0].file_size == 1 << 30
    tracemalloc.start()
    doc = extract(bomb, "bomb.zip")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert [pr.cause for pr in doc.problems] == ["limit"]
    assert "zip bomb" in doc.problems[0].message


def test_bomb_that_passes_the_ratio_check_stops_at_the_decompressed_size_limit():
    # 1 GB of zeros with the ratio check off: the declared size alone ends it
    doc = extract(zip_bomb(1), "bomb.zip", ExtractContext(limits=Limits(max_compression_ratio=1e9)))
    assert [pr.cause for pr in doc.problems] == ["limit"]
    assert "max_decompressed_bytes" in doc.problems[0].message


def test_inflating_stops_as_soon_as_the_budget_is_spent():
    data = zip_of({"big.txt": b"A" * (4 * 1024 * 1024)})
    ctx = ExtractContext(limits=Limits(max_decompressed_bytes=1024 * 1024, max_compression_ratio=1e9))
    zf = zipfile.ZipFile(io.BytesIO(data))
    with pytest.raises(LimitExceeded):
        read_member(zf, zf.infolist()[0], ctx)
    # it stopped within one read of the limit instead of inflating all 4 MB
    assert ctx.budget.decompressed_bytes <= 1024 * 1024 + 64 * 1024


def test_too_many_members_is_a_limit_problem():
    doc = extract(
        zip_of({f"f{i}.txt": b"x" for i in range(20)}), "many.zip", ExtractContext(limits=Limits(max_parts=10))
    )
    assert [pr.cause for pr in doc.problems] == ["limit"]


def test_encrypted_zip_member_is_a_problem_and_the_rest_is_read():
    data = bytearray(zip_of({"secret.txt": b"hidden", "open.txt": b"Lily Smith"}, zipfile.ZIP_STORED))
    # set the "encrypted" flag of the first member in its local and central headers
    data[6] |= 0x01
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01
    doc = extract(bytes(data), "mixed.zip")
    assert [(pr.part, pr.cause) for pr in doc.problems] == [("mixed.zip: secret.txt", "encrypted")]
    assert seg(doc, "Lily Smith").place == Place("body, paragraph 1", ("open.txt",), paragraph=1)


def test_truncated_zip_is_corrupt():
    data = zip_of({"a.txt": b"Lily Smith " * 1000})
    doc = extract(data[: len(data) // 2], "cut.zip")
    assert [pr.cause for pr in doc.problems] == ["corrupt"]


def test_damaged_legacy_office_file_in_a_zip_is_a_problem():
    doc = extract(zip_of({"old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)}), "old.zip")
    assert [pr.cause for pr in doc.all_problems()] == ["corrupt"]


def test_tar_gz_is_read_member_by_member():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        content = b"Mark Jones 07700 900456"
        info = tarfile.TarInfo("notes/contact.txt")
        info.size = len(content)
        tf.addfile(info, io.BytesIO(content))
    doc = extract(gzip.compress(buffer.getvalue()), "bundle.tgz")
    assert doc.problems == ()
    assert seg(doc, "07700").place == Place("body, paragraph 1", ("bundle.tar", "notes/contact.txt"), paragraph=1)


def test_gzip_bomb_is_stopped_while_streaming():
    bomb = gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9)
    doc = extract(bomb, "zeros.gz")
    assert [pr.cause for pr in doc.problems] == ["limit"]


def test_docx_name_on_a_plain_zip_is_a_type_mismatch():
    doc = extract(zip_of({"a.txt": b"hello"}), "letter.docx")
    assert "type-mismatch" in [pr.cause for pr in doc.problems]
