"""`disclosureguard redact`: a clean copy with the findings truly removed, verified first."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DisclosureGuardError
from . import exit_codes
from .options import fail, open_scanner, scanner_config, scanner_options, to_option

_HELP = (
    "Exit status: 0 the verified copy was written; 2 usage error; 3 the document could not be "
    "redacted or the copy still held a removed value (nothing is written)."
)


def _operators(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        entity_type, sep, name = value.partition("=")
        if not sep or not entity_type.strip() or name.strip() not in ("replace", "mask", "hash"):
            raise click.BadParameter(f"expected TYPE=replace|mask|hash, got {value!r}", param_hint="--operator")
        out[entity_type.strip().upper()] = name.strip()
    return out


@click.command(
    epilog=_HELP
    + "\n\nExamples:\n\n\b\n"
    "  disclosureguard redact letter.docx --to mjones@example.net --cases cases/ -o letter-clean.docx\n"
    "  disclosureguard redact message.eml --cases cases/ --entities UK_NHS,PHONE_NUMBER -o clean.eml\n"
    "  disclosureguard redact report.pdf --cases cases/ --all -o report-clean.pdf --audit-log audit.jsonl",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the redacted copy (created readable by you only).")
@to_option
@click.option("--entities", default=None, metavar="TYPE,...",
              help="Remove these entity types (e.g. UK_NHS,PHONE_NUMBER) instead of what the decision names.")
@click.option("--all", "all_findings", is_flag=True, help="Remove every finding.")
@click.option("--operator", "operator_specs", multiple=True, metavar="TYPE=OP",
              help="replace (default: [REDACTED: TYPE]), mask or hash, per entity type (text, email, DOCX).")
@click.option("--audit-log", type=click.Path(dir_okay=False), default=None,
              help="Append what was removed (types, places, rules; never values) to this audit log.")
@scanner_options
def redact(path: str, output: str, to: tuple[str, ...], entities: str | None, all_findings: bool,
           operator_specs: tuple[str, ...], audit_log: str | None, cases_dir: str | None,
           case_files: tuple[str, ...], policy: str | None, model: str | None, no_model: bool,
         limit_settings: tuple[str, ...] = ()) -> None:
    """Write a copy of PATH with the findings removed from the text itself (not covered).

    By default it removes the findings behind the redact or block reasons for these
    recipients; --entities picks entity types; --all removes every finding. Comments,
    tracked changes, hidden text, annotations, embedded files and personal metadata go too.
    The copy is read back independently before it is written: if any removed value can
    still be found, nothing is written."""
    from ..redact import redact_analysis, write_private

    if entities and all_findings:
        raise click.UsageError("give --entities or --all, not both")
    if Path(output).resolve() == Path(path).resolve():
        raise click.UsageError("-o must name a new file, not the document itself")
    operators = _operators(operator_specs)
    wanted = [e for e in (entities or "").split(",") if e.strip()] or None
    scanner = open_scanner(scanner_config(cases_dir, case_files, policy, model, no_model, limit_settings))
    try:
        analysis = scanner.analyse(path, list(to) or None)
        result = redact_analysis(analysis, entities=wanted, all=all_findings, operators=operators)
    except DisclosureGuardError as e:
        fail(str(e))
    write_private(result.data, output)
    if audit_log:
        recipients = [r.recipient.address for r in analysis.verdict.recipients]
        try:
            _record(audit_log, result.audit_record(analysis.name, recipients))
        except OSError as e:
            Path(output).unlink(missing_ok=True)
            fail(f"{audit_log}: the redaction could not be recorded ({e.strerror or e}); the copy was removed")
    types = sorted({r.entity_type for r in result.removed})
    click.echo(f"{analysis.name}: removed {len(result.removed)} finding(s)"
               + (f" ({', '.join(types)})" if types else "") + f"; wrote {output}")
    for removal in result.removed:
        click.echo(f"  - {removal.entity_type} at {removal.location} (rule: {removal.rule})")
    for note in result.notes:
        click.echo(f"  note: {note}")
    click.echo("  verified: " + "; ".join(result.checks))
    raise SystemExit(exit_codes.ALLOW)


def _record(path: str, record: dict) -> None:  # type: ignore[type-arg]
    from ..audit import AuditLog

    AuditLog(path).append(record)
