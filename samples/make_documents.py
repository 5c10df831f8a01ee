"""Regenerate the sample documents of samples/documents/ (run: .venv/bin/python samples/make_documents.py).

- report-with-black-box.pdf: a letter to Mark Jones whose "redaction" of Sarah Smith's
  withheld address is a black rectangle drawn over live text: the address is still in
  the file for anyone to copy.
- letter-tracked-changes.docx: a letter to Mark Jones where Sarah Smith's phone number
  was deleted with Track Changes on (still in the file) and a comment says
  "don't let dad see this".

The people are those of samples/cases/smith-CSC-2021-004512.yaml (all fictional).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

OUT = Path(__file__).parent / "documents"
ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
PHONE = "07700 900456"
HEADER = ["Children's Social Care", "Le Bas Centre, St Saviour's Road, St Helier, JE2 4RP"]
ADDRESSEE = ["Mr Mark Jones", "4 Clos de la Mare", "St Clement", "JE2 6QN"]


def black_box_report() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)
    c.setAuthor("Priya Shah")
    c.setTitle("Contact arrangements - CSC-2021-004512")
    c.setFont("Helvetica", 11)
    y = 790.0
    for line in [
        *HEADER,
        "",
        *ADDRESSEE,
        "",
        "14 November 2026",
        "",
        "Dear Mr Jones,",
        "",
        "Re: Lily Smith (born 2 March 2014), case CSC-2021-004512",
        "",
        "Thank you for attending the child in need review on 3 November. I am writing to",
        "confirm the arrangements we agreed for your contact with Lily.",
        "",
        "Lily's mother, Sarah Smith, has moved. Her new address is:",
    ]:
        c.drawString(72, y, line)
        y -= 16
    c.drawString(90, y, ADDRESS)
    # The failed redaction: a black box painted over the address, which stays in the text layer.
    c.setFillColorRGB(0, 0, 0)
    c.rect(86, y - 4, 300, 16, fill=1, stroke=0)
    c.setFillColorRGB(0, 0, 0)
    y -= 32
    for line in [
        "The handover will no longer happen at the old address. The next review is on",
        "12 January 2027. Please contact me if anything changes.",
        "",
        "Yours sincerely,",
        "",
        "Priya Shah",
        "Social Worker",
    ]:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()
    return out.getvalue()


def _tracked_deletion(paragraph, text: str, author: str, date: str) -> None:
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), author)
    deletion.set(qn("w:date"), date)
    run = OxmlElement("w:r")
    deleted = OxmlElement("w:delText")
    deleted.set(qn("xml:space"), "preserve")
    deleted.text = text
    run.append(deleted)
    deletion.append(run)
    paragraph._p.append(deletion)


def tracked_changes_letter() -> bytes:
    document = docx.Document()
    document.core_properties.author = "Priya Shah"
    document.core_properties.title = "Letter to Mark Jones"
    for line in HEADER:
        document.add_paragraph(line)
    for line in ADDRESSEE:
        document.add_paragraph(line)
    document.add_paragraph("14 November 2026")
    document.add_paragraph("Dear Mr Jones,")
    document.add_paragraph("Re: Lily Smith, case CSC-2021-004512")
    document.add_paragraph(
        "Thank you for attending the child in need review on 3 November. Contact with Lily will take "
        "place every other Saturday at the family centre, supervised by our contact team."
    )
    handover = document.add_paragraph("If a handover has to change at short notice, please call ")
    _tracked_deletion(handover, f"Sarah on {PHONE}", "Priya Shah", "2026-11-14T09:30:00Z")
    handover.add_run("the duty desk on 01534 444444.")
    remark = document.add_paragraph("Lily has settled well at school and her attendance has improved.")
    comment = document.add_comment(remark.runs, text="don't let dad see this", author="Sarah Smith", initials="SS")
    comment._comment_elm.set(qn("w:date"), "2026-11-13T18:05:00Z")  # fixed, so the file regenerates the same
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Priya Shah, Social Worker")
    out = io.BytesIO()
    document.save(out)
    return _fixed_times(out.getvalue())


def _fixed_times(package: bytes) -> bytes:
    """The same package with fixed member dates, so regenerating it gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 14, 9, 30, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "report-with-black-box.pdf").write_bytes(black_box_report())
    (OUT / "letter-tracked-changes.docx").write_bytes(tracked_changes_letter())
    print(f"wrote {OUT}/report-with-black-box.pdf and {OUT}/letter-tracked-changes.docx")


if __name__ == "__main__":
    main()
