"""Email: the message rebuilt with its bodies and attachments redacted (attachments by
the redactor of their own format, nested messages recursively). The addressing headers
stay as they are; a Subject that names a value is redacted like a body."""

from __future__ import annotations

import email
from collections.abc import Callable
from email import policy
from email.message import EmailMessage

from ..extract import extract
from .errors import RedactionError
from .kinds import SUPPORTED, format_of
from .text import Operators
from .values import HTML_GAP, ValueMatcher

# The dispatcher's redact_bytes, passed in: an attachment is redacted by its own format's
# redactor, and this module does not import the dispatcher that imports it (no cycle).
PartRedactor = Callable[..., tuple[str, bytes, list[str]]]

_CONTENT_HEADERS = ("Subject", "Comments", "Keywords", "Thread-Topic", "Content-Description")
_MAX_DEPTH = 10


class _EmailRedactor:
    def __init__(
        self, matcher: ValueMatcher, operators: Operators, hidden: ValueMatcher, redact_part: PartRedactor
    ) -> None:
        self.matcher = matcher
        self.redact_part = redact_part
        self.hidden = hidden
        self.html_matcher = ValueMatcher(matcher.targets, gap=HTML_GAP)
        self.operators = operators
        self.notes: list[str] = []

    def message(self, msg: EmailMessage, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise RedactionError("messages nested too deeply to redact")
        for header in _CONTENT_HEADERS:
            values = [str(v) for v in msg.get_all(header, [])]
            if any(self.matcher.search(v) for v in values):
                del msg[header]
                for value in values:
                    msg[header] = self.operators.apply(value, self.matcher.find(value))
                self.notes.append(f"header {header} redacted")
        self.part(msg, depth)

    def part(self, part: EmailMessage, depth: int) -> None:
        if part.get_content_type() == "message/rfc822":
            for sub in part.get_payload():
                if isinstance(sub, EmailMessage):
                    self.message(sub, depth + 1)
            return
        if part.is_multipart():
            for sub in part.iter_parts():
                self.part(sub, depth)  # type: ignore[arg-type]
            return
        filename = part.get_filename()
        ctype = part.get_content_type()
        if ctype in ("text/plain", "text/html") and filename is None and part.get_content_disposition() != "attachment":
            self._body(part, ctype)
        else:
            self._attachment(part, filename, ctype, depth)

    def _body(self, part: EmailMessage, ctype: str) -> None:
        text = part.get_content()
        matcher = self.html_matcher if ctype == "text/html" else self.matcher
        matches = matcher.find(text)
        if not matches:
            return
        disposition = part.get("Content-Disposition")
        part.set_content(self.operators.apply(text, matches), subtype=ctype.split("/")[1], charset="utf-8")
        if disposition:
            part["Content-Disposition"] = disposition

    def _attachment(self, part: EmailMessage, filename: str | None, ctype: str, depth: int) -> None:
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise RedactionError(f"attachment {filename or ctype}: its body cannot be decoded")
        label = filename or ctype
        new_name = filename
        if filename and self.matcher.search(filename):
            new_name = self.matcher.replace(filename, lambda m, s: "redacted")
            self.notes.append("an attachment's file name was redacted")
        fmt = format_of(payload, filename or "", ctype)
        if fmt in SUPPORTED:
            _, data, notes = self.redact_part(
                payload, filename or "", self.matcher, self.operators, ctype, hidden=self.hidden
            )
            self.notes += [f"attachment {new_name or ctype}: {n}" for n in notes]
        elif self._holds_value(payload, label):
            part.set_content(
                f"An attachment ({fmt or 'unrecognised'} file) was removed: it held redacted data in a format "
                "that cannot be redacted.\n",
                charset="utf-8",
                disposition="attachment",
                filename=f"{new_name or 'attachment'}.removed.txt",
            )
            self.notes.append(f"attachment of type {fmt or 'unrecognised'} removed: it could not be redacted")
            return
        else:
            data = payload
        maintype, subtype = ctype.split("/", 1)
        part.set_content(data, maintype, subtype, disposition="attachment", filename=new_name)

    def _holds_value(self, payload: bytes, label: str) -> bool:
        """Whether an attachment we cannot redact holds a value (or cannot be read to tell)."""
        doc = extract(payload, label)
        if doc.all_problems():
            return True
        return any(self.matcher.search(seg.text) for seg in doc.all_segments())


def redact_email(
    data: bytes,
    matcher: ValueMatcher,
    operators: Operators,
    hidden: ValueMatcher | None = None,
    *,
    redact_part: PartRedactor,
) -> tuple[bytes, list[str]]:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    redactor = _EmailRedactor(matcher, operators, hidden or ValueMatcher([]), redact_part)
    redactor.message(msg)
    return msg.as_bytes(), redactor.notes
