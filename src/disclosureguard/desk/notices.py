"""Notices to the sender: held, returned, released, or sent with a warning.

A notice names the recipients, the rules, where in the message to look and the reference;
never a value. Places go through ``masking.place_words`` as in the milter's replies (a
name from the message that holds a value is withheld); a reviewer's note that quotes a value of the
message is refused before it is sent (:func:`quotes_a_value`). Notices go by SMTP to a
relay (normally the local Postfix, on a listener without the milter), from the null
envelope sender so a notice can never bounce back into a loop.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

RULE_WORDS = {
    "withheld-detail": "it holds a detail of a person that must not go to that recipient",
    "other-family": "it holds information about a family whose case that recipient is not part of",
    "hidden-content": "personal data stands where a reader would not see it (a tracked change, comment, "
                      "hidden text, metadata or text under a box)",
    "unknown-recipient": "it goes to an address the service does not know, and holds a child's details, "
                         "an identifier or sensitive information",
    "unscannable": "a part of it could not be read, so it could not be checked",
    "third-party-identifier": "it holds an identifier (NHS number, NI number, ...) of someone else",
    "unattributed-person": "it holds personal details of someone who is not part of that recipient's case",
    "partner-not-contact": "that recipient is at a partner agency but is not a contact of the case",
    "unknown-recipient-low": "it goes to an address the service does not know and holds personal details",
    "unscannable-internal": "a part of it could not be read, so it could not be checked",
}
MAX_PLACES = 6


@dataclass(frozen=True)
class Relay:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "disclosureguard@localhost"  # the From: header of notices

    @classmethod
    def parse(cls, value: str, sender: str) -> Relay:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"a relay is HOST:PORT; got {value!r}")
        return cls(host.strip("[]"), int(port), sender)


def _fold(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def secret_texts(verdict: dict[str, Any], own: Sequence[str]) -> list[str]:
    """Matched values that must not appear in a notice (the envelope addresses are exempt)."""
    exempt = {a.lower() for a in own}
    return [str(f["text"]) for f in verdict.get("findings", [])
            if f.get("text") and str(f["text"]).strip().lower() not in exempt and len(_fold(str(f["text"]))) >= 2]


def quotes_a_value(text: str, verdict: dict[str, Any], own: Sequence[str]) -> bool:
    folded = _fold(text)
    return any(_fold(t) in folded for t in secret_texts(verdict, own) if len(_fold(t)) >= 3)


def places(verdict: dict[str, Any], own: Sequence[str]) -> list[str]:
    from ..masking import folded_values, place_words
    from ..milter.actions import unread_words
    from ..model import Place

    withheld = folded_values(secret_texts(verdict, own))
    found: dict[str, None] = {}
    for reason in verdict.get("reasons", []):
        if reason.get("action") in ("allow", None):
            continue
        for i in reason.get("findings", []):
            if 0 <= i < len(verdict.get("findings", [])):
                found.setdefault(place_words(Place.of_finding(verdict["findings"][i]), withheld), None)
    for e in verdict.get("errors", []):
        found.setdefault(unread_words(str(e.get("part", "")), str(e.get("cause", "")), withheld), None)
    return list(found)


def _rules_block(rules: Sequence[str]) -> list[str]:
    if not rules:
        return ["  - it could not be checked automatically (the checker failed or the message was too large)"]
    return [f"  - rule {r}: {RULE_WORDS.get(r, 'the organisation policy does not allow it')}" for r in rules]


def _places_block(where: list[str]) -> list[str]:
    if not where:
        return []
    lines = ["", "Where to look:"] + [f"  - {p}" for p in where[:MAX_PLACES]]
    if len(where) > MAX_PLACES:
        lines.append(f"  - and {len(where) - MAX_PLACES} more place(s)")
    return lines


def held_notice(ref: str, recipients: Sequence[str], rules: Sequence[str], where: list[str]) -> tuple[str, str]:
    subject = f"Held for review: your message (ref {ref})"
    lines = [f"Your message to {', '.join(recipients)} has not been sent yet: it is held for review because",
             *_rules_block(rules), *_places_block(where), "",
             "An information governance reviewer will release it or return it to you with a note.",
             f"Reference: {ref}. Quote it if you contact the reviewers; you do not need to send it again."]
    return subject, "\n".join(lines) + "\n"


def returned_notice(ref: str, recipients: Sequence[str], rules: Sequence[str], where: list[str],
                    note: str, reviewer: str) -> tuple[str, str]:
    subject = f"Returned: your message was not sent (ref {ref})"
    lines = [f"Your message to {', '.join(recipients)} was reviewed and NOT sent, because",
             *_rules_block(rules), *_places_block(where), "", f"The reviewer ({reviewer}) says:", "",
             *[f"  {line}" for line in note.splitlines()], "",
             "Change what the note asks and send the message again.", f"Reference: {ref}."]
    return subject, "\n".join(lines) + "\n"


def released_notice(ref: str, recipients: Sequence[str], kept_back: Sequence[str]) -> tuple[str, str]:
    subject = f"Released: your message was sent (ref {ref})"
    lines = [f"Your held message was reviewed and released to {', '.join(recipients)}."]
    if kept_back:
        lines.append(f"It was NOT sent to {', '.join(kept_back)}.")
    lines.append(f"Reference: {ref}.")
    return subject, "\n".join(lines) + "\n"


def warned_notice(ref: str, recipients: Sequence[str], rules: Sequence[str], where: list[str]) -> tuple[str, str]:
    subject = f"Sent with a warning: please check it (ref {ref})"
    lines = [f"Your message to {', '.join(recipients)} was sent, with a warning, because",
             *_rules_block(rules), *_places_block(where), "",
             "If it should not have gone, tell information governance now and quote the reference.",
             f"Reference: {ref}."]
    return subject, "\n".join(lines) + "\n"


def send_notice(relay: Relay, to: str, subject: str, body: str, ref: str) -> None:
    """Send one notice; raises OSError or smtplib.SMTPException (their text names no value)."""
    msg = EmailMessage()
    msg["From"] = relay.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=relay.sender.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-DisclosureGuard-Notice"] = ref
    msg.set_content(body)
    with smtplib.SMTP(relay.host, relay.port, timeout=30) as smtp:
        smtp.send_message(msg, from_addr="", to_addrs=[to])
