"""Values planted in every name-bearing place and library warning path reach no operator
(issues 13 and 18): not stderr of `scan` or `batch` (and its worker pool), not the
`--no-values` batch reports, not the text or JSON verdict without values, not audit records,
not milter replies, not log lines.

Every value here is in a name taken from the input (a DOCX part, a zip member, an attachment,
an email header name, a document title, the file's own name on the command line) or in bytes
a library complains about (a UTF-16 /Title with a stray byte), so none of them need be a
finding for it to be withheld. Some of those names hold documents that are read and hold
findings, so the names stand in the findings' places (the container path), in the reasons
that point at them and in the milter's "Look at" line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from disclosureguard import Scanner
from disclosureguard.audit import AuditLog, findings_summary
from disclosureguard.batch.record import make_record
from disclosureguard.milter.actions import Message, outcome
from disclosureguard.milter.config import MilterConfig
from disclosureguard.milter.rewrite import RewriteError, plan_rewrite
from disclosureguard.render import render_text
from docfixtures import docx, zip_of

BIN = Path(sys.executable).parent / "disclosureguard"
NAMES = ("Lily Smith", "Noah Jones", "Sarah Smith", "Grace Nwosu")
NHS = "943 476 5919"
OUTSIDE = "someone@example.com"
# Read and holding a finding, so that its name stands in the finding's place.
NOTE = f"Contact note. NHS number {NHS}. Seen at home today.".encode()
TOP_LEVEL = f"Grace Nwosu {NHS}.txt"  # a file named after the child, given on the command line


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _leaks(text: str) -> list[str]:
    folded = _folded(text)
    return [v for v in (*NAMES, NHS) if _folded(v) in folded]


def _pdf_with_broken_title() -> bytes:
    """A one-page PDF whose /Title is UTF-16 with one odd trailing byte: pypdf logs the raw bytes."""
    title = (b"\xfe\xff" + "Grace Nwosu 9434765919".encode("utf-16-be") + b"\x00").hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Title <" + title.encode() + b"> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _email() -> bytes:
    msg = EmailMessage()
    msg["From"] = "worker@gov.je"
    msg["To"] = OUTSIDE
    msg["Subject"] = "Notes"
    msg["X-Noah-Jones-9434765919"] = "yes"  # a header *name* from the input
    msg.set_content("See the attached notes.")
    msg.add_attachment(b"%PDF-1.4\n1 0 obj garbage", maintype="application", subtype="pdf",
                       filename=f"Lily Smith {NHS}.pdf")
    msg.add_attachment(b"\x00\x01\x02binary" * 40, maintype="application", subtype="octet-stream",
                       filename="Sarah Smith 9434765919.bin")
    msg.add_attachment(NOTE, maintype="text", subtype="plain", filename=f"Noah Jones {NHS} note.txt")
    return msg.as_bytes()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("planted")
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    (folder / "letter.docx").write_bytes(docx(
        "<w:p><w:r><w:t>See the plan.</w:t></w:r></w:p>",
        parts={f"word/Lily Smith {NHS}.xml": dtd, "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Noah Jones</dc:title></cp:coreProperties>')},
    ))
    (folder / "bundle.zip").write_bytes(zip_of({
        "Noah Jones 9434765919.bin": b"\x00\xff\x10random" * 50,
        f"Sarah Smith {NHS}.pdf": b"%PDF-1.4\nnot really",
        "Grace Nwosu 9434765919/notes.docx": b"PK\x03\x04broken",
        f"Lily Smith {NHS}/contact.txt": NOTE,
        "inner.zip": zip_of({f"Sarah Smith {NHS}.txt": NOTE}),
    }))
    (folder / TOP_LEVEL).write_bytes(NOTE)
    (folder / "message.eml").write_bytes(_email())
    (folder / "report.pdf").write_bytes(_pdf_with_broken_title())
    return folder


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("pool", [(), ("--time-limit", "300")], ids=["in-process", "worker-pool"])
def test_scan_prints_nothing_from_the_input_to_stderr(planted: Path, pool: tuple[str, ...]) -> None:
    files = sorted(str(p) for p in planted.iterdir())
    proc = _run("scan", "--no-model", "--to", OUTSIDE, "--format", "jsonl", *pool, *files)
    assert proc.returncode in (0, 10, 20, 30), proc.stderr[-300:]  # a decision, not a failure
    assert proc.stdout.count("\n") == len(files)  # each file was scanned
    assert _leaks(proc.stderr) == []


def test_batch_no_values_reports_and_stderr_hold_no_planted_value(planted: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _run("batch", "--no-model", "--no-values", "--workers", "2", "--out", str(out), str(planted))
    assert proc.returncode in (0, 10, 20, 30), proc.stderr[-300:]  # a decision, not a failure
    assert _leaks(proc.stderr) == []
    reports = [p for p in out.rglob("*") if p.is_file()]
    assert reports
    shown = (".jsonl", ".json", ".html", ".csv")
    read = {p.name: _leaks(p.read_text(errors="replace")) for p in reports if p.suffix in shown}
    assert read and all(v == [] for v in read.values()), read
    # The problems themselves are reported: withheld names do not mean unreported parts.
    records = [json.loads(line) for p in out.rglob("*.jsonl") for line in p.read_text().splitlines() if line.strip()]
    assert any(r.get("errors") for r in records)


def test_no_values_verdicts_audit_records_and_milter_replies_hold_no_planted_value(
        planted: Path, tmp_path: Path) -> None:
    scanner = Scanner(model=None)
    nested = 0
    replies: list[str] = []
    for path in sorted(planted.iterdir()):
        verdict = scanner.scan(str(path), to=[OUTSIDE])  # the source is the path as typed
        nested += sum(1 for f in verdict.findings if f.place.container)
        without = verdict.to_dict(values=False)
        assert _leaks(json.dumps(without)) == [], path.name
        # The structured place beside the words, masked alike.
        assert all(f["location"].endswith(f["place"]["where"]) for f in without["findings"])
        assert all(f["location"] == f["place"]["where"] for f in without["findings"] if not f["place"]["container"])
        assert _leaks(render_text(verdict, values=False)) == [], path.name
        o = outcome(verdict, Message(ref="Q1", sender="worker@gov.je", recipients=(OUTSIDE,)), MilterConfig())
        replies.append("\n".join(o.lines))
        assert _leaks(replies[-1]) == [], path.name
        assert _leaks(json.dumps(o.audit)) == [], path.name
        log = AuditLog(tmp_path / "audit.jsonl")
        log.append({"event": "scan", "findings": findings_summary(verdict.findings)})
        record = make_record(str(path), str(path), None, len(NOTE), None, "0" * 64, verdict, values=False)
        assert _leaks(json.dumps(record)) == [], path.name
    assert nested >= 3  # the names did stand in places: the attachment, the members
    assert any("Look at: attachment '[person]" in reply for reply in replies)  # and were named, masked
    assert _leaks((tmp_path / "audit.jsonl").read_text()) == []
    # With values, the same places name what they name: the masking is at the edges only.
    full = scanner.scan(str(planted / "bundle.zip"), to=[OUTSIDE])
    assert any(f"Lily Smith {NHS}" in f.location for f in full.findings)
    assert any(f.place.container == ("inner.zip", f"Sarah Smith {NHS}.txt") for f in full.findings)


def test_a_path_typed_on_the_command_line_is_scrubbed_in_error_lines(tmp_path: Path) -> None:
    missing = tmp_path / "cases" / TOP_LEVEL
    proc = _run("scan", "--no-model", "--to", OUTSIDE, str(missing))
    assert proc.returncode == 3 and "no such file" in proc.stderr
    assert _leaks(proc.stderr) == [] and str(tmp_path / "cases") in proc.stderr


def test_library_log_lines_and_python_warnings_are_withheld() -> None:
    code = (
        "import logging, warnings\n"
        "import disclosureguard.scanner\n"
        "logging.basicConfig(level=logging.DEBUG)\n"
        f"v = 'chunk {NAMES[0]} {NHS}'\n"
        "for name in ('PIL.PngImagePlugin', 'pypdf._reader', 'presidio-analyzer', 'olefile', 'openpyxl.reader'):\n"
        "    logging.getLogger(name).warning('bad %s', v)\n"
        "warnings.warn(v)\n"
        "print('done')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.stdout.strip() == "done", proc.stderr[-300:]
    assert _leaks(proc.stderr) == []
    assert "its message is withheld" in proc.stderr  # the line is there, its words are not


def test_a_redacted_copy_changing_a_header_of_the_senders_naming_is_refused_without_its_name() -> None:
    original = f"From: worker@gov.je\r\nX-Noah-Jones-9434765919: NHS {NHS}\r\n\r\nBody\r\n".encode()
    redacted = b"From: worker@gov.je\r\nX-Noah-Jones-9434765919: NHS [NHS number]\r\n\r\nBody\r\n"
    with pytest.raises(RewriteError) as refused:
        plan_rewrite(original, redacted)
    assert str(refused.value) == ("the redacted copy changes a header of the sender's own naming, "
                                  "which the gateway does not rewrite")
    assert _leaks(str(refused.value)) == []
