"""Seeds for fuzz_rtf.py and fuzz_msg.py (fuzz/seeds/rtf, fuzz/seeds/msg), built in code.

    .venv/bin/python fuzz/make_seeds_legacy.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from legacy_fixtures import docx_bytes, letter_lines, msg_bytes, rtf_letter, tnef_bytes  # noqa: E402

RTF_SEEDS = {
    "letter.rtf": rtf_letter(letter_lines()[:12]),
    "destinations.rtf": (rb"{\rtf1\ansi{\info{\author A}{\title T}}{\header \pard H\par}Text{\v hidden}"
                         rb"{\deleted gone}{\*\atnauthor J}\chatn{\*\annotation note}{\field{\*\fldinst HYPERLINK x}"
                         rb"{\fldrslt r}}{\footnote \pard f}{\*\unknown u}\par}"),
    "escapes.rtf": rb"{\rtf1\ansi\uc1 Caf\'e9 \u8217?s \u-10179?\u-8694? \~\-\_\tab\line\bin3 abc\par}",
    "html.rtf": rb"{\rtf1\ansi\fromhtml1 {\*\htmltag <p>}{\htmlrtf x}Hi{\*\htmltag </p>}}",
    "object.rtf": rb"{\rtf1\ansi{\object\objemb{\*\objclass Package}{\*\objdata 01050000020000000800000050616"
                  rb"36b61676500}{\result x}}\par}",
    "table.rtf": rb"{\rtf1\ansi\trowd a\cell b\cell\row{\shp{\*\shpinst{\sp{\sn wzDescription}{\sv alt}}}}\par}",
}


def main() -> None:
    rtf = ROOT / "fuzz" / "seeds" / "rtf"
    msg = ROOT / "fuzz" / "seeds" / "msg"
    rtf.mkdir(parents=True, exist_ok=True)
    msg.mkdir(parents=True, exist_ok=True)
    for name, data in RTF_SEEDS.items():
        (rtf / name).write_bytes(data)
    lines = letter_lines()[:10]
    with_attachment = msg_bytes(["mjones@example.net"], "\n".join(lines), attachments=[("a.docx", docx_bytes(lines))])
    (msg / "0-msg").write_bytes(b"\x00" + with_attachment)
    tnef = tnef_bytes(rtf_letter(lines), ["mjones@example.net"], attachments=[("a.txt", b"Sarah")])
    (msg / "1-tnef").write_bytes(b"\x01" + tnef[6:])
    (msg / "3-rtf").write_bytes(b"\x03" + __import__("compressed_rtf").compress(rtf_letter(lines)))
    (msg / "4-html").write_bytes(b"\x04<html><body><p>Dear Mr Jones</p></body></html>")


if __name__ == "__main__":
    main()
