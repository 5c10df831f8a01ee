"""From a verdict to what the mail hook does with the message. A pure function: no I/O.

Several recipients, different decisions: the message is one SMTP transaction, so it is
accepted or refused whole. If any recipient must not receive it (block, or redact when
the message cannot be redacted), the whole message is refused and the reply names each
such recipient, so the sender can send it again without them. Nothing is ever delivered
to a blocked recipient, and nobody is silently dropped from a message.

Redaction in transit: when no recipient is blocked and some must get a redacted copy, and
the gateway may redact (``on_redact: redact``) and a verified copy could be made, the
message goes on with its body and changed headers replaced by that copy, to every
recipient (there is one copy of a message), with an ``X-DisclosureGuard-Redacted`` header
saying how many values of which types were removed. Without a copy it is refused.

Replies and headers are built from rule ids, recipient addresses and finding places,
never from a reason's message or a finding's text: they go to the sender and into MTA
logs. Places and part names become words through masking.place_words / name_words: names
from the input are scrubbed, and one that carries a matched value (an attachment named
after a child) is withheld.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..audit import findings_summary
from ..masking import folded_values, name_words, place_words, scrub
from ..model import Action, Verdict
from .config import MilterConfig
from .rewrite import Rewrite

# Causes the scanning pool gives a message it could not scan at all.
SCAN_FAILURES = frozenset({"timeout", "crashed", "scanner-error", "unavailable"})
OVERRIDE_HEADER = "X-DisclosureGuard-Override"
_SUBJECT_OVERRIDE = re.compile(r"\[\s*override\s*:\s*([^\]]*?)\s*\]", re.I)
MIN_JUSTIFICATION = 5
MAX_JUSTIFICATION = 500
MAX_LISTED = 4  # recipients / locations listed in one reply; the rest are counted


@dataclass(frozen=True)
class Message:
    """What the hook knows of one message apart from its content."""

    ref: str  # the reference the sender and the reviewer quote (Postfix queue id when known)
    sender: str
    recipients: tuple[str, ...]
    message_id: str | None = None
    override: str | None = None  # the sender's justification, if they asked to override a warning


@dataclass(frozen=True)
class Outcome:
    kind: str  # accept | reject | tempfail | hold
    code: int = 250
    lines: tuple[str, ...] = ()  # reply lines, each starting with the enhanced status code
    headers: tuple[tuple[str, str], ...] = ()
    hold_reason: str = ""
    audit: dict[str, Any] = field(default_factory=dict)
    rewrite: Rewrite | None = None  # accept with the body and headers replaced by the redacted copy
    verdict: Verdict | None = field(default=None, compare=False)  # for the review desk and sender notices


def find_override(headers: Iterable[tuple[str, str]]) -> str | None:
    """The justification from an override header or a ``[override: ...]`` subject tag."""
    for name, value in headers:
        lname = name.strip().lower()
        text: str | None = None
        if lname == OVERRIDE_HEADER.lower():
            text = value
        elif lname == "subject":
            m = _SUBJECT_OVERRIDE.search(value)
            text = m.group(1) if m else None
        if text is not None:
            text = " ".join(text.split())
            if len(text) >= MIN_JUSTIFICATION:
                return text[:MAX_JUSTIFICATION]
    return None


def scan_failure(verdict: Verdict, name: str) -> str | None:
    """The cause, when the pool could not scan the message at all (not a part of it)."""
    for e in verdict.errors:
        if e.part == name and e.cause in SCAN_FAILURES:
            return e.cause
    return None


def failure_outcome(msg: Message, cause: str, config: MilterConfig) -> Outcome:
    """Fail closed: nothing that could not be checked goes through, and nothing is lost."""
    audit = _audit(msg, "error", f"failure-{config.on_failure}", [], [], error=cause)
    if config.on_failure == "hold":
        return Outcome("hold", hold_reason=f"DisclosureGuard could not check it ({cause}), ref {msg.ref}", audit=audit)
    what = {
        "oversize": "it is larger than the gateway can check",
        "timeout": "checking it took longer than the time limit",
        "busy": "the gateway is holding as much mail as it may at once",
    }.get(cause, "the checker failed")
    return Outcome(
        "tempfail",
        451,
        (f"4.7.0 DisclosureGuard could not check this message: {what}.",
         f"4.7.0 It was not sent; it will be tried again. Reference {msg.ref}."),
        audit=audit,
    )


def outcome(verdict: Verdict, msg: Message, config: MilterConfig, rewrite: Rewrite | None = None,
            redact_error: str | None = None) -> Outcome:
    """What to do with a scanned message. ``rewrite`` is the redacted copy as milter edits,
    when a redaction was asked for and made; ``redact_error`` why it could not be made."""
    failed = scan_failure(verdict, verdict.source)
    if failed:
        return failure_outcome(msg, failed, config)
    withheld = _withheld(verdict, msg)
    by_recipient = {rv.recipient.address.lower(): rv.decision for rv in verdict.recipients}
    if any(r not in by_recipient for r in msg.recipients):
        return failure_outcome(msg, "recipient-missing", config)  # no decision for someone: never pass it
    blocked = [a for a, d in by_recipient.items() if d == Action.BLOCK]
    redacted = [a for a, d in by_recipient.items() if d == Action.REDACT]
    warned = [a for a, d in by_recipient.items() if d == Action.WARN]
    rules = sorted({r.rule for r in verdict.reasons if r.action > Action.ALLOW})
    decision = verdict.decision.label
    if blocked:
        return _refuse(verdict, msg, config.on_block, blocked, Action.BLOCK, withheld, rules, redacted)
    if redacted and rewrite is not None and config.on_redact == "redact" and _left_in(verdict, rewrite):
        rewrite, redact_error = None, "could not redact (a value stands where it is not removed)"
    if redacted and (config.on_redact != "redact" or rewrite is None):
        if config.on_redact == "redact":  # no verified copy: fail closed, never the original
            error = redact_error or "no redacted copy"
            return _refuse(verdict, msg, "reject", redacted, Action.REDACT, withheld, rules, [], redact_error=error)
        return _refuse(verdict, msg, config.on_redact, redacted, Action.REDACT, withheld, rules, [])
    redaction = rewrite if redacted else None
    headers = [("X-DisclosureGuard-Decision", decision), ("X-DisclosureGuard-Ref", msg.ref)]
    if redaction is not None:
        headers.append(("X-DisclosureGuard-Redacted", redaction.summary()))
    if warned:
        warn_rules = sorted({r.rule for r in verdict.reasons if r.action == Action.WARN})
        if config.on_warn == "reject" and not msg.override:
            lines = [f"5.7.1 Not sent: DisclosureGuard gives a warning (rule {', '.join(warn_rules)}) "
                     f"for {_listed(warned)}."]
            lines += _where(verdict, warned, Action.WARN, withheld)
            lines += [f"5.7.1 If it is right to send it, send it again with the header '{OVERRIDE_HEADER}: "
                      "<why>' or '[override: <why>]' in the subject.",
                      f"5.7.1 The justification is recorded. Reference {msg.ref}."]
            audit = _audit(msg, decision, "reject-warn", rules, verdict)
            return Outcome("reject", 550, tuple(lines), audit=audit)  # a redaction does not lift a warning
        headers.append(("X-DisclosureGuard-Rules", ", ".join(warn_rules)))
        # A count, not addresses: every recipient reads these headers, and a warned one may be Bcc.
        headers.append(("X-DisclosureGuard-Warned", f"{len(warned)} of {len(by_recipient)} recipient(s)"))
        if msg.override:
            headers.append(("X-DisclosureGuard-Override-Recorded", "yes"))
        action = "accept-override" if msg.override else "accept-warn"
        if redaction is not None:
            action = "accept-redact-override" if msg.override else "accept-redact"
        return Outcome("accept", headers=tuple(headers), rewrite=redaction,
                       audit=_audit(msg, decision, action, rules, verdict, redaction=redaction))
    action = "accept-redact" if redaction is not None else "accept"
    return Outcome("accept", headers=tuple(headers), rewrite=redaction,
                   audit=_audit(msg, decision, action, rules, verdict, redaction=redaction))


def _refuse(verdict: Verdict, msg: Message, mode: str, who: list[str], level: Action, withheld: frozenset[str],
            rules: list[str], also_redact: list[str], redact_error: str | None = None) -> Outcome:
    decision = verdict.decision.label
    if mode == "hold":
        audit = _audit(msg, decision, f"hold-{level.label}", rules, verdict)
        level_rules = sorted({r.rule for r in verdict.reasons if r.action == level})
        return Outcome("hold", hold_reason=f"DisclosureGuard {level.label} ({', '.join(level_rules)}), ref {msg.ref}",
                       audit=audit)
    lines: list[str] = []
    for address in who[:MAX_LISTED]:
        r_rules = sorted({r.rule for r in verdict.reasons if r.recipient == address and r.action == level})
        lines.append(f"5.7.1 Not sent: it must not go to {address} (rule {', '.join(r_rules) or level.label}).")
        lines += _where(verdict, [address], level, withheld)
    if len(who) > MAX_LISTED:
        lines.append(f"5.7.1 ... and {len(who) - MAX_LISTED} more recipient(s) it must not go to.")
    if also_redact:
        lines.append(f"5.7.1 It also needs a redaction before it goes to {_listed(also_redact)}.")
    if redact_error is not None:
        lines.append("5.7.1 The gateway could not make a safe redacted copy: remove that detail and send it again.")
    elif level == Action.REDACT:
        lines.append("5.7.1 This gateway is set not to redact mail in transit: remove that detail and send it again.")
    else:
        lines.append("5.7.1 Remove that recipient or that detail and send it again; "
                     "a block cannot be overridden by the sender.")
    lines.append(f"5.7.1 Reference {msg.ref} (a reviewer can look it up in the audit log).")
    audit = _audit(msg, decision, f"reject-{level.label}", rules, verdict, redact_error=redact_error)
    return Outcome("reject", 550, tuple(lines), audit=audit)


def _left_in(verdict: Verdict, rewrite: Rewrite) -> bool:
    """Whether a finding behind a redact reason is not among those the copy removed (the
    redactor keeps addressing headers as they are, so a value there would still go)."""
    # The removals name their places as redact.select did, by the same function on the same
    # values; counted, so that two places that read alike after masking are not taken for one.
    withheld = folded_values(f.text for f in verdict.findings)
    removed = Counter((t, where) for t, where, _ in rewrite.removed)
    wanted: Counter[tuple[str, str]] = Counter()
    for i in sorted({i for r in verdict.reasons if r.action == Action.REDACT for i in r.findings}):
        if not 0 <= i < len(verdict.findings):
            return True
        f = verdict.findings[i]
        wanted[(f.entity_type, place_words(f.place, withheld))] += 1
    return any(n > removed[key] for key, n in wanted.items())


def _where(verdict: Verdict, recipients: list[str], level: Action, withheld: frozenset[str]) -> list[str]:
    """One 'look at' line: where the findings behind these recipients' reasons stand."""
    places: dict[str, None] = {}
    problems = False
    for reason in verdict.reasons:
        if reason.recipient not in recipients or reason.action != level:
            continue
        if not reason.findings:
            problems = problems or reason.rule.startswith("unscannable")
        for i in reason.findings:
            if 0 <= i < len(verdict.findings):
                places.setdefault(place_words(verdict.findings[i].place, withheld), None)
    if problems:
        for e in verdict.errors:
            places.setdefault(unread_words(e.part, e.cause, withheld), None)
    if not places:
        return []
    listed = list(places)
    more = f"; and {len(listed) - MAX_LISTED} more place(s)" if len(listed) > MAX_LISTED else ""
    return [f"5.7.1 Look at: {'; '.join(listed[:MAX_LISTED])}{more}."]


def unread_words(part: str, cause: str, withheld: frozenset[str]) -> str:
    """A part that could not be read, for a reply or a notice: its name masked."""
    return f"{name_words(part, withheld)} (could not be read: {cause})"


def _withheld(verdict: Verdict, msg: Message) -> frozenset[str]:
    """Matched values that must not appear in a reply. The envelope addresses are the sender's
    own input and are named on purpose ("it must not go to X"), so they are exempt."""
    own = {msg.sender, *msg.recipients}
    return folded_values(f.text for f in verdict.findings if f.text.strip().lower() not in own)


def _listed(addresses: Sequence[str]) -> str:
    more = f" and {len(addresses) - MAX_LISTED} more" if len(addresses) > MAX_LISTED else ""
    return ", ".join(addresses[:MAX_LISTED]) + more


def _audit(msg: Message, decision: str, action: str, rules: list[str], verdict: Verdict | list[Any],
           error: str | None = None, redaction: Rewrite | None = None,
           redact_error: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event": "milter",
        "ref": msg.ref,
        "message_id": msg.message_id,
        "sender": msg.sender,
        "recipients": list(msg.recipients),
        "decision": decision,
        "action": action,
        "rules": rules,
    }
    if isinstance(verdict, Verdict):
        record["per_recipient"] = {rv.recipient.address: rv.decision.label for rv in verdict.recipients}
        record["reasons"] = [{"rule": r.rule, "action": r.action.label, "recipient": r.recipient,
                              "findings": list(r.findings)} for r in verdict.reasons]
        record["findings"] = findings_summary(verdict.findings)
        hidden = folded_values(f.text for f in verdict.findings)
        record["errors"] = [{"part": scrub(e.part, hidden), "cause": e.cause} for e in verdict.errors]
    if redaction is not None:  # types, places and rules of what was removed: never a value
        record["redaction"] = {
            "removed": [{"type": t, "location": where, "rule": rule} for t, where, rule in redaction.removed],
            "types": sorted({t for t, _, _ in redaction.removed}),
            "count": len(redaction.removed),
            "headers_changed": sorted({e.name.decode("ascii", "replace") for e in redaction.headers}),
        }
    elif redact_error is not None:
        record["redaction"] = {"error": redact_error}
    if msg.override:
        record["override"] = {"justification": msg.override, "honoured": action.endswith("-override")}
    if error:
        record["error"] = error
    return record
