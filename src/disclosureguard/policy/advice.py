"""What the sender can do about a reason: one hint per kind of place and per rule.

Reasons say what is wrong and where; this says how to fix it, in the words of the program
the sender has open (Word's menus, a PDF's black box). It is added where a person reads the
verdict, so the decision logic stays free of wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Action, Finding, Reason

TRACKED = "accept or reject tracked changes (Review → Accept All) and remove the deleted text"
HIDDEN = "remove the hidden text (File → Info → Check for Issues → Inspect Document → Hidden Text)"
RECIPIENT_OR_DETAILS = "remove this recipient or the marked details"

# Where the finding stands → what removes it. Keys are Finding.kind values of the extractors.
_BY_KIND: dict[str, str] = {
    "tracked-deletion": TRACKED,
    "tracked-insertion": TRACKED,
    "comment": "delete the comments (Review → Delete → Delete All Comments in Document)",
    "hidden-text": HIDDEN,
    "invisible-text": HIDDEN,
    "alt-text": "change or remove the image's alternative text (right-click the image → View Alt Text)",
    "annotation": "delete the PDF's comments and notes, or print it to a new PDF",
    "form-field": "clear the form fields, or print it to a new PDF",
    "earlier-revision": "save the PDF as a new file (print to PDF) so its earlier versions are not kept in it",
    "file-name": "rename the file or attachment so its name holds no personal details",
    "link": "remove the link (right-click → Remove Hyperlink) or change where it points",
    "bookmark": "delete the PDF's bookmarks",
}

# What the rule asks for, when no place-specific hint says more.
_BY_RULE: dict[str, str] = {
    "withheld-detail": RECIPIENT_OR_DETAILS,
    "other-family": "remove the other family's details or the attachment that holds them",
    "unknown-recipient": RECIPIENT_OR_DETAILS,
    "unknown-recipient-low": "check the address is right; otherwise " + RECIPIENT_OR_DETAILS,
    "third-party-identifier": "remove the marked identifier (`disclosureguard redact` does it for you)",
    "unattributed-person": "check whose details these are; remove them if they are not this family's",
    "partner-not-contact": "check that this agency should receive it (it is not a contact of the case), "
                           "or remove the marked details",
    "unscannable": "send a readable copy (not password-protected or damaged; a PDF with a text layer), "
                   "or remove the part",
    "unscannable-internal": "open the part and check it yourself, or send a readable copy",
}

_BY_ACTION: dict[Action, str] = {
    Action.BLOCK: RECIPIENT_OR_DETAILS,
    Action.REDACT: "remove the marked details (`disclosureguard redact` does it for you)",
    Action.WARN: "check the marked details before sending",
}

_PAGE = re.compile(r"\bpage (\d+)\b")
_PROPERTY = re.compile(r"\bdocument property: ([\w ]+)")


def advice(reason: Reason, findings: Sequence[Finding]) -> str:
    """How to fix one reason: the hints of the places its findings stand in, then the rule's."""
    hints: list[str] = []
    for i in reason.findings:
        if 0 <= i < len(findings):
            hint = _place_hint(findings[i])
            if hint and hint not in hints:
                hints.append(hint)
    general = _BY_RULE.get(reason.rule) or _BY_ACTION.get(reason.action)
    if general and general not in hints and not (hints and reason.rule == "hidden-content"):
        hints.append(general)
    return "; ".join(hints)


def _place_hint(f: Finding) -> str | None:
    # The extractor's words for the place, without the attachment names around it (a name
    # from the input, "under a box.pdf", says nothing about the place).
    words = f.place.where
    if f.kind == "under-box" or "under a black box" in words or "under a box" in words:
        page_words = _PAGE.search(words)
        page = f.place.page or (int(page_words.group(1)) if page_words else None)
        where = f" on page {page}" if page else ""
        return f"the black box{where} does not remove the text under it: run `disclosureguard redact`"
    if f.kind == "metadata" or "document property" in words:
        prop = _PROPERTY.search(words)
        what = f"the document {prop.group(1).strip()}" if prop else "the document's properties"
        return f"clear {what} (File → Info → Properties)"
    if f.kind in _BY_KIND:
        return _BY_KIND[f.kind]
    if "tracked deletion" in words or "tracked insertion" in words:
        return TRACKED
    if f.kind == "email-header" and (f.place.field == "subject" or "subject" in words.lower()):
        return "change the subject line so it holds no personal details"
    return None
