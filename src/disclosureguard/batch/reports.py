"""The reports of a batch run, all built from the checkpoint: JSON lines, a CSV summary, HTML.

Each is streamed from SQLite, so a million records never sit in memory, and each is
written 0600 under a temporary name, then moved into place. Nothing here decides anything:
the records say it all.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .checkpoint import Checkpoint
from .secure import atomic_private_write, private_open
from .sources import container_uri

JSONL_NAME = "verdicts.jsonl"
CSV_NAME = "summary.csv"
HTML_NAME = "report.html"
DECISIONS = ("block", "redact", "warn", "allow")
CSV_COLUMNS = ("path", "decision", "rules", "cases", "recipients", "findings", "hidden_findings", "errors",
               "error_causes", "size", "sha256")


def record_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


class JsonlLog:
    """The JSON lines report: rebuilt from the checkpoint, then appended to after each commit.

    Rebuilding at the start of a run drops whatever a killed run left half-written; a line is
    only appended once its record is committed, so the file never holds an uncommitted verdict.
    """

    def __init__(self, path: Path, checkpoint: Checkpoint) -> None:
        self.path = path
        self._checkpoint = checkpoint
        self.rebuild()
        self._fh: IO[str] | None = private_open(path, append=True)

    def rebuild(self) -> None:
        if getattr(self, "_fh", None) is not None:
            self.close()
        with atomic_private_write(self.path) as fh:
            for record in self._checkpoint.records():
                fh.write(record_line(record))

    def append(self, record: dict[str, Any]) -> None:
        if self._fh is None:
            self._fh = private_open(self.path, append=True)
        self._fh.write(record_line(record))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def write_csv(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with atomic_private_write(path) as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for r in records:
            findings = r.get("findings") or []
            errors = r.get("errors") or []
            row = [
                r["path"], r["decision"], ";".join(rules_of(r)), ";".join(record_cases(r)),
                ";".join(f"{x['address']}={x['decision']}" for x in r.get("recipients") or []),
                len(findings), sum(1 for f in findings if f.get("hidden")), len(errors),
                ";".join(sorted({e["cause"] for e in errors})), r.get("size"), r.get("sha256") or "",
            ]
            writer.writerow([_csv_safe(v) for v in row])


def _csv_safe(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (file names and addresses come from outside)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rules_of(record: dict[str, Any]) -> list[str]:
    return sorted({r["rule"] for r in record.get("reasons") or []})


def record_cases(record: dict[str, Any]) -> list[str]:
    return list(record.get("cases") or [])


class Totals:
    """The counts the HTML report shows, gathered in one streaming pass."""

    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0
        self.decisions: Counter[str] = Counter()
        self.with_errors = 0
        self.rules: Counter[str] = Counter()
        self.rule_actions: dict[str, Counter[str]] = defaultdict(Counter)
        self.cases: dict[str, Counter[str]] = defaultdict(Counter)
        self.error_causes: Counter[str] = Counter()

    def add(self, r: dict[str, Any]) -> None:
        self.files += 1
        self.bytes += int(r.get("size") or 0)
        self.decisions[r["decision"]] += 1
        errors = r.get("errors") or []
        self.with_errors += 1 if errors else 0
        self.error_causes.update({e["cause"] for e in errors})
        for rule in rules_of(r):
            self.rules[rule] += 1
        for reason in r.get("reasons") or []:
            self.rule_actions[reason["rule"]][reason["action"]] += 1
        for case in record_cases(r):
            self.cases[case][r["decision"]] += 1


def write_html(path: Path, checkpoint: Checkpoint, *, values: bool, limit: int, title: str = "") -> Totals:
    totals = Totals()
    for record in checkpoint.records():
        totals.add(record)
    with atomic_private_write(path) as fh:
        fh.write(_HEAD.format(title=_e(title or "disclosureguard batch report")))
        fh.write(f"<h1>{_e(title or 'Disclosure sweep')}</h1>\n")
        fh.write(f"<p class=meta>Generated {_e(dt.datetime.now().astimezone().isoformat(timespec='seconds'))}. "
                 f"<span id=files-total data-count={totals.files}>{totals.files:,}</span> files, "
                 f"{totals.bytes:,} bytes. Matched values are "
                 f"{'shown: keep this report safe' if values else 'left out (--no-values)'}.</p>\n")
        _summary(fh, totals)
        _rules(fh, totals)
        _cases(fh, totals)
        _errors(fh, totals)
        _files(fh, checkpoint, totals, values=values, limit=limit)
        fh.write("</body></html>\n")
    return totals


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _summary(fh: IO[str], t: Totals) -> None:
    fh.write("<h2>By decision</h2>\n<table id=by-decision><tr><th>Decision</th><th>Files</th></tr>\n")
    for d in DECISIONS:
        fh.write(f"<tr><td><span class='badge {d}'>{d}</span></td>"
                 f"<td id=count-{d} data-decision={d} data-count={t.decisions[d]}>{t.decisions[d]:,}</td></tr>\n")
    fh.write(f"<tr><td>with unreadable parts</td><td id=count-errors data-count={t.with_errors}>"
             f"{t.with_errors:,}</td></tr>\n</table>\n")


def _rules(fh: IO[str], t: Totals) -> None:
    fh.write("<h2>By rule</h2>\n<table id=by-rule><tr><th>Rule</th><th>Files</th><th>Actions</th></tr>\n")
    for rule, n in sorted(t.rules.items(), key=lambda kv: (-kv[1], kv[0])):
        actions = ", ".join(f"{a} {c:,}" for a, c in sorted(t.rule_actions[rule].items()))
        fh.write(f"<tr data-rule='{_e(rule)}' data-count={n}><td>{_e(rule)}</td><td>{n:,}</td>"
                 f"<td>{_e(actions)}</td></tr>\n")
    fh.write("</table>\n")


def _cases(fh: IO[str], t: Totals) -> None:
    fh.write("<h2>By case</h2>\n<table id=by-case><tr><th>Case</th><th>Files</th>"
             + "".join(f"<th>{d}</th>" for d in DECISIONS) + "</tr>\n")
    ordered = sorted(t.cases.items(), key=lambda kv: (-kv[1]["block"], -sum(kv[1].values()), kv[0]))
    for case, counts in ordered:
        total = sum(counts.values())
        fh.write(f"<tr data-case='{_e(case)}' data-count={total}><td>{_e(case)}</td><td>{total:,}</td>"
                 + "".join(f"<td>{counts[d]:,}</td>" for d in DECISIONS) + "</tr>\n")
    fh.write("</table>\n")


def _errors(fh: IO[str], t: Totals) -> None:
    if not t.error_causes:
        return
    fh.write("<h2>Unreadable parts, by cause</h2>\n<table id=by-error><tr><th>Cause</th><th>Files</th></tr>\n")
    for cause, n in sorted(t.error_causes.items(), key=lambda kv: (-kv[1], kv[0])):
        fh.write(f"<tr data-cause='{_e(cause)}' data-count={n}><td>{_e(cause)}</td><td>{n:,}</td></tr>\n")
    fh.write("</table>\n")


def _files(fh: IO[str], checkpoint: Checkpoint, t: Totals, *, values: bool, limit: int) -> None:
    listed = t.files - t.decisions["allow"]
    fh.write("<h2>Files to act on, worst first</h2>\n")
    if listed > limit:
        fh.write(f"<p class=meta>The first {limit:,} of {listed:,} are listed here; "
                 f"{CSV_NAME} and {JSONL_NAME} hold them all.</p>\n")
    fh.write("<ol id=files>\n")
    shown = 0
    for r in checkpoint.records_worst_first():
        if shown >= limit or (r["decision"] == "allow" and not r.get("errors")):
            break
        _file_entry(fh, r, values)
        shown += 1
    fh.write("</ol>\n")
    if shown == 0:
        fh.write("<p>Nothing to act on.</p>\n")


def _file_entry(fh: IO[str], r: dict[str, Any], values: bool) -> None:
    d = r["decision"]
    label = r["path"] if not r.get("member") else f"{r['container']} — {r['member']}"
    # Without values the names are masked: there is no file to link to.
    named = f"<a href='{_e(container_uri(r['container']))}'>{_e(label)}</a>" if values else _e(label)
    fh.write(f"<li class=file data-decision={_e(d)} data-path='{_e(r['path'])}'>"
             f"<span class='badge {_e(d)}'>{_e(d)}</span> {named}")
    cases = record_cases(r)
    if cases:
        fh.write(f" <span class=meta>({_e(', '.join(cases))})</span>")
    recipients = r.get("recipients") or []
    if recipients:
        fh.write("<div>To: " + ", ".join(
            f"{_e(x['address'])} <span class='badge {_e(x['decision'])}'>{_e(x['decision'])}</span>"
            f" <span class=meta>{_e(x.get('class'))}</span>" for x in recipients) + "</div>")
    findings = r.get("findings") or []
    reasons = r.get("reasons") or []
    if reasons:
        fh.write("<ul class=reasons>")
        for reason in reasons:
            fh.write(f"<li><b>{_e(reason['rule'])}</b> ({_e(reason['action'])}, to {_e(reason['recipient'])}): "
                     f"{_e(reason['message'])}")
            places = [findings[i] for i in reason.get("findings") or [] if 0 <= i < len(findings)]
            if places:
                fh.write("<ul class=places>" + "".join(_place(f, values) for f in places) + "</ul>")
            fh.write("</li>")
        fh.write("</ul>")
    errors = r.get("errors") or []
    if errors:
        fh.write("<ul class=errors>" + "".join(
            f"<li>{_e(e['part'])}: <b>{_e(e['cause'])}</b> — {_e(e['message'])}</li>" for e in errors) + "</ul>")
    fh.write("</li>\n")


def _place(f: dict[str, Any], values: bool) -> str:
    value = f" “{_e(f['text'])}”" if values and f.get("text") is not None else ""
    hidden = " <b>hidden</b>" if f.get("hidden") else ""
    return f"<li>{_e(f['entity_type'])}{value} at <i>{_e(f['location'])}</i>{hidden}</li>"


_HEAD = """<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta http-equiv=Content-Security-Policy content="default-src 'none'; style-src 'unsafe-inline'">
<meta name=viewport content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: .25em .6em; text-align: left; }}
.badge {{ display: inline-block; padding: 0 .5em; border-radius: .3em; color: #fff; font-weight: 600; }}
.block {{ background: #b00020; }} .redact {{ background: #c05600; }} .warn {{ background: #8a6d00; }}
.allow {{ background: #2e7d32; }} .meta {{ color: #666; }} li.file {{ margin-bottom: .8em; }}
.errors {{ color: #8a1c1c; }}
</style></head><body>
"""
