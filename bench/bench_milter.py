"""The mail hook's cost: latency and throughput through a real Postfix, with and without the milter.

    .venv/bin/python bench/bench_milter.py [--messages 60] [--concurrency 4] [--workers 2] [--no-model]

Starts a private Postfix on loopback (tests/postfix_harness.py) with two SMTP listeners, one
with `disclosureguard milter` (warm: a few untimed messages first; audit log on, fsync'd per
message) and one without, and sends the same realistic mix through each: short letters,
letters with a 3-page DOCX attachment and letters with a 3-page PDF attachment, about the
Smith family of shared/spec/case-file.md, to colleagues (allowed) and to the father
(blocked). Latency is one SMTP transaction (connect to the reply to the end of DATA), sent
one at a time; throughput is messages per second with ``--concurrency`` clients at once.
Needs root and Postfix (scripts/system-deps).
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from disclosureguard.spacy_model import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from postfix_harness import PrivatePostfix, free_port  # noqa: E402

CASE = """\
case: CSC-2021-004512
people:
  - id: lily
    role: child
    names: [Lily Smith, Lily-Mae Smith]
    born: 2014-03-02
    identifiers: {UK_NHS: 943 476 5919}
    addresses: ["12 Rue de Haut, St Helier, JE2 4AB"]
  - id: sarah
    role: parent
    names: [Sarah Smith]
    addresses: ["Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"]
    phones: ["07700 900456"]
    withhold:
      - details: [address, phone, email]
        from: [mark]
  - id: mark
    role: parent
    names: [Mark Jones]
    emails: [mjones@example.net]
"""
POLICY = "organisation:\n  internal_domains: [gov.je]\n  partner_domains: [nhs.net]\n"
PARAGRAPHS = [
    "Lily Smith attended the review meeting at school on Tuesday with her class teacher present.",
    "The family support worker visited the home and found the arrangements settled and warm.",
    "Sarah Smith reported that Lily is sleeping better and that contact has gone to plan.",
    "The school reports good attendance this term and no concerns about her progress in reading.",
    "The next review is planned for the spring, with the same professionals invited to attend.",
    "Lily-Mae said she enjoys swimming on Saturdays and wants to keep going with her friends.",
]
SENSITIVE = "Sarah's new address is Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY."


def body_text(n: int, sensitive: bool) -> list[str]:
    paras = [PARAGRAPHS[(n + i) % len(PARAGRAPHS)] for i in range(n)]
    if sensitive:
        paras.insert(len(paras) // 2, SENSITIVE)
    return paras


def docx_bytes(pages: int, sensitive: bool) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Child in need review", 1)
    for page in range(pages):
        for para in body_text(9, sensitive and page == 1):
            document.add_paragraph(para)
        if page < pages - 1:
            document.add_page_break()
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: int, sensitive: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        y = 780
        c.drawString(72, y, f"Child in need review, page {page + 1}")
        for para in body_text(12, sensitive and page == 1):
            y -= 40
            c.drawString(72, y, para[:95])
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass(frozen=True)
class Sample:
    kind: str  # letter | docx | pdf
    to: str
    raw: bytes


def build_mix(count: int) -> list[Sample]:
    out = []
    for i in range(count):
        kind = ("letter", "docx", "pdf")[i % 3]
        blocked = i % 4 == 3
        to = "mjones@example.net" if blocked else "colleague@gov.je"
        msg = EmailMessage()
        msg["From"] = "worker@gov.je"
        msg["To"] = to
        msg["Subject"] = f"Review notes {i}"
        msg.set_content("\n\n".join(body_text(4, blocked and kind == "letter")))
        if kind == "docx":
            msg.add_attachment(docx_bytes(3, blocked), maintype="application",
                               subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                               filename=f"review-{i}.docx")
        elif kind == "pdf":
            msg.add_attachment(pdf_bytes(3, blocked), maintype="application", subtype="pdf",
                               filename=f"review-{i}.pdf")
        out.append(Sample(kind, to, msg.as_bytes()))
    return out


def send(port: int, sample: Sample) -> tuple[float, int]:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:
        smtp.ehlo("bench.gov.je")
        smtp.mail("worker@gov.je")
        smtp.rcpt(sample.to)
        code, _ = smtp.data(sample.raw)
    return time.perf_counter() - started, code


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return (ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)) * 1000


def run(port: int, mix: list[Sample], concurrency: int) -> tuple[dict[str, list[float]], float, dict[int, int]]:
    lat: dict[str, list[float]] = {"all": [], "letter": [], "docx": [], "pdf": []}
    codes: dict[int, int] = {}
    for s in mix:
        seconds, code = send(port, s)
        lat["all"].append(seconds)
        lat[s.kind].append(seconds)
        codes[code] = codes.get(code, 0) + 1
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda s: send(port, s), mix))
    rate = len(mix) / (time.perf_counter() - started)
    return lat, rate, codes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=60)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-model", action="store_true", help="patterns and case index only (degraded)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dg-bench-"))
    (tmp / "cases").mkdir()
    (tmp / "cases" / "smith.yaml").write_text(CASE)
    (tmp / "policy.yaml").write_text(POLICY)
    port = free_port()
    cmd = [sys.executable, "-m", "disclosureguard.cli.main", "milter", "--listen", f"inet:127.0.0.1:{port}",
           "--cases", str(tmp / "cases"), "--policy", str(tmp / "policy.yaml"), "--workers", str(args.workers),
           "--log-level", "warning", "--audit-log", str(tmp / "audit.jsonl"),
           *(["--no-model"] if args.no_model else [])]
    log = (tmp / "milter.log").open("wb")
    milter = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    postfix = PrivatePostfix({"milter": f"inet:127.0.0.1:{port}", "plain": None})
    try:
        postfix.start()
        deadline = time.monotonic() + 180
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if milter.poll() is not None or time.monotonic() > deadline:
                print((tmp / "milter.log").read_text(), file=sys.stderr)
                return 3
            time.sleep(0.2)
        mix = build_mix(args.messages)
        sizes = {k: statistics.mean(len(s.raw) for s in mix if s.kind == k) for k in ("letter", "docx", "pdf")}
        for s in mix[:6]:  # warm: every worker has scanned each kind once
            send(postfix.ports["milter"], s)
        results = {}
        for name in ("plain", "milter"):
            results[name] = run(postfix.ports[name], mix, args.concurrency)
        model = "none (--no-model, degraded)" if args.no_model else DEFAULT_MODEL
        print(f"{args.messages} messages ({', '.join(f'{k} ~{v / 1024:.0f} KB' for k, v in sizes.items())}); "
              f"milter workers {args.workers}; model {model}; {os.cpu_count()} cores; "
              f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{'':8} {'kind':7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for name in ("plain", "milter"):
            lat, rate, codes = results[name]
            for kind in ("all", "letter", "docx", "pdf"):
                v = lat[kind]
                print(f"{name:8} {kind:7} {pct(v, 50):8.1f} {pct(v, 95):8.1f} {pct(v, 99):8.1f}")
            print(f"{name:8} throughput {rate:.1f} msg/s with {args.concurrency} clients; replies {codes}")
        print("added by the milter (milter - plain):")
        for kind in ("all", "letter", "docx", "pdf"):
            a, b = results["milter"][0][kind], results["plain"][0][kind]
            print(f"  {kind:7} p50 {pct(a, 50) - pct(b, 50):7.1f} ms   p95 {pct(a, 95) - pct(b, 95):7.1f} ms   "
                  f"p99 {pct(a, 99) - pct(b, 99):7.1f} ms")
    finally:
        postfix.remove()
        milter.send_signal(signal.SIGTERM)
        try:
            milter.wait(30)
        except subprocess.TimeoutExpired:
            milter.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
