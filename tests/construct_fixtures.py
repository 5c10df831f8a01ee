"""Files built in code that each hide text in one construct of issue 13 (docx, HTML, email).

Every builder takes the text to hide and returns the bytes of a whole file, so the same
construct is tried with the child's details (to an unknown address) and with the
mother's withheld address (to the father).
"""

from __future__ import annotations

import html as html_lib
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from disclosureguard.model import Action, Verdict
from docfixtures import NS, REL, docx, p, r, story

CHILD = "Lily Smith, born 02/03/2014, NHS number 943 476 5919"
CHILD_NHS = "943 476 5919"
ADDRESS = "Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY"
UNKNOWN = "someone@example.com"
FATHER = "mjones@example.net"
MATH_NS = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'


def assert_child_blocked(verdict: Verdict) -> None:
    """The child's name, date of birth and NHS number were found, and block to an unknown address."""
    assert verdict.errors == ()
    assert verdict.decision == Action.BLOCK
    assert any(reason.rule == "unknown-recipient" for reason in verdict.reasons)
    found = {(f.entity_type, f.text) for f in verdict.findings}
    assert {("PERSON", "Lily Smith"), ("DATE_OF_BIRTH", "02/03/2014"), ("UK_NHS", CHILD_NHS)} <= found


def assert_withheld_address_blocked(verdict: Verdict) -> None:
    """The mother's withheld address was found, and blocks to the father."""
    assert verdict.errors == ()
    assert verdict.decision == Action.BLOCK
    assert any(reason.rule == "withheld-detail" for reason in verdict.reasons)
    assert ADDRESS in {f.text for f in verdict.findings}


PIC_NS = 'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PART_TYPES = {
    "word/document.xml": f"{_WML}.document.main+xml",
    "word/footnotes.xml": f"{_WML}.footnotes+xml",
    "word/settings.xml": f"{_WML}.settings+xml",
    "word/header9.xml": f"{_WML}.header+xml",
}


def _content_types(parts: dict[str, str]) -> str:
    """[Content_Types].xml naming each part's type, as Word writes it (LibreOffice needs them)."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in _PART_TYPES.items()
        if name == "word/document.xml" or name in parts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="htm" ContentType="text/html"/>{overrides}</Types>'
    )


def _word(body: str, parts: dict[str, str] | None = None, rels: list[tuple[str, str, str]] | None = None) -> bytes:
    parts = dict(parts or {})
    parts["[Content_Types].xml"] = _content_types(parts)
    return docx(body, parts=dict(parts), rels=rels)


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=True)


# -- Word ---------------------------------------------------------------------------------


def picture_alt_text(text: str) -> bytes:
    """An inline picture whose own pic:cNvPr holds the description (wp:docPr has none)."""
    drawing = (
        "<w:r><w:drawing><wp:inline><wp:extent cx=\"952500\" cy=\"952500\"/>"
        '<wp:docPr id="1" name="Picture 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<pic:pic {PIC_NS}><pic:nvPicPr><pic:cNvPr id=\"0\" name=\"photo.png\" descr=\"{_esc(text)}\"/>"
        "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill/><pic:spPr/></pic:pic>"
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
    return _word(p(r("Photograph from the contact session:")) + p(drawing))


def alternate_content_fallback(text: str) -> bytes:
    """mc:AlternateContent whose Choice needs a namespace no reader knows; the text is in the Fallback."""
    alternate = (
        '<mc:AlternateContent xmlns:x99="urn:example:unknown-extension">'
        '<mc:Choice Requires="x99"><w:r><w:t>[chart]</w:t></w:r></mc:Choice>'
        f"<mc:Fallback>{r(text)}</mc:Fallback></mc:AlternateContent>"
    )
    return _word(p(r("Summary: ")) + f"<w:p>{alternate}</w:p>")


def office_math(text: str) -> bytes:
    """The text as an Office Math zone (m:oMath), one m:r a word."""
    runs = "".join(f"<m:r><m:t xml:space=\"preserve\">{_esc(word)} </m:t></m:r>" for word in text.split(" "))
    return _word(p(r("Reference: ")) + f"<w:p><m:oMathPara {MATH_NS}><m:oMath>{runs}</m:oMath></m:oMathPara></w:p>")


def symbol_digits(text: str) -> bytes:
    """Every digit of the text written as a w:sym in the Symbol font (F030 + digit)."""
    runs = []
    for ch in text:
        if ch.isdigit():
            runs.append(f'<w:r><w:sym w:font="Symbol" w:char="F03{ch}"/></w:r>')
        else:
            runs.append(r(_esc(ch)))
    return _word(p(*runs))


def footnote_separator(text: str) -> bytes:
    """The text in the footnote separator, where Word draws its short line."""
    notes = story(
        "footnotes",
        f'<w:footnote w:type="separator" w:id="-1">{p(r(_esc(text)))}</w:footnote>'
        f'<w:footnote w:type="continuationSeparator" w:id="0">{p(r(""))}</w:footnote>',
    )
    return _word(
        p(r("Please see the notes.")),
        parts={"word/footnotes.xml": notes},
        rels=[("rIdF", "footnotes", "footnotes.xml")],
    )


def document_variable(text: str) -> bytes:
    """A w:docVar in settings.xml: stored by a template or macro, never shown."""
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:settings {NS}><w:docVars>'
        f'<w:docVar w:name="ClientRef" w:val="{_esc(text)}"/></w:docVars></w:settings>'
    )
    return _word(
        p(r("Meeting notes.")),
        parts={"word/settings.xml": settings},
        rels=[("rIdS", "settings", "settings.xml")],
    )


def unreferenced_header(text: str) -> bytes:
    """word/header9.xml: a header part that no relationship and no section names."""
    return _word(p(r("Meeting notes.")), parts={"word/header9.xml": story("hdr", p(r(_esc(text))))})


def alt_chunk_part(text: str) -> str:
    """The HTML of an altChunk: each word in its own <span>, every digit a character reference."""
    words = []
    for word in text.split(" "):
        coded = "".join(f"&#{ord(c)};" if c.isdigit() else _esc(c) for c in word)
        words.append(f"<span>{coded}</span>")
    return f"<html><body><p>{' '.join(words)}</p></body></html>"


def alt_chunk_html(text: str) -> bytes:
    """An altChunk part that Word imports into the body where w:altChunk stands."""
    chunk = alt_chunk_part(text)
    return _word(
        p(r("Imported notes follow.")) + '<w:altChunk r:id="rIdH"/>',
        parts={"word/afchunk.htm": chunk},
        rels=[("rIdH", "aFChunk", "afchunk.htm")],
    )


DOCX_CONSTRUCTS = {
    "picture alt text (pic:cNvPr)": picture_alt_text,
    "mc:AlternateContent Fallback": alternate_content_fallback,
    "Office Math (m:oMath)": office_math,
    "digits as w:sym": symbol_digits,
    "footnote separator": footnote_separator,
    "w:docVar in settings.xml": document_variable,
    "unreferenced word/header9.xml": unreferenced_header,
    "altChunk HTML (spans, character references)": alt_chunk_html,
}
# Shown by Word and LibreOffice; the others are in the file but not on the page.
# LibreOffice does not import altChunk parts (Word does): the chunk's HTML is rendered by
# Chromium instead (HTML_RENDERED). w:sym glyphs come out of LibreOffice's PDF without
# Unicode, so they are read back by OCR.
DOCX_RENDERED = ("mc:AlternateContent Fallback", "Office Math (m:oMath)", "digits as w:sym")


# -- HTML bodies ----------------------------------------------------------------------------


def html_without_head_end(text: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset=utf-8><title>Notes</title><body><p>{_esc(text)}</p></body></html>"


def html_input_value(text: str) -> str:
    return f'<html><body><p>Details:</p><form><input type="text" size="80" value="{_esc(text)}"></form></body></html>'


def html_css_before(text: str) -> str:
    css = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'<html><head><style>p.ref::before {{ content: "{css}"; }}</style></head>'
        '<body><p class="ref"></p><p>Regards</p></body></html>'
    )


def html_noscript(text: str) -> str:
    return f"<html><body><p>Hello</p><noscript><p>{_esc(text)}</p></noscript></body></html>"


def html_mso_conditional(text: str) -> str:
    return f"<html><body><p>Hello</p><!--[if mso]><p>{_esc(text)}</p><![endif]--></body></html>"


HTML_CONSTRUCTS = {
    "optional </head> left out": html_without_head_end,
    "<input value>": html_input_value,
    "CSS ::before content": html_css_before,
    "<noscript>": html_noscript,
    "<!--[if mso]> conditional comment": html_mso_conditional,
}
HTML_CONSTRUCTS["altChunk part (spans, character references)"] = alt_chunk_part
HTML_RENDERED = (
    "optional </head> left out",
    "<input value>",
    "CSS ::before content",
    "altChunk part (spans, character references)",
)


def html_email(body_html: str, to: str = UNKNOWN) -> bytes:
    msg = EmailMessage()
    msg["From"] = "sam.worker@gov.je"
    msg["To"] = to
    msg["Subject"] = "Notes"
    msg.set_content("Please see the HTML version.")
    msg.add_alternative(body_html, subtype="html")
    return msg.as_bytes()


# -- encrypted mail -----------------------------------------------------------------------

ARMOUR = (
    "-----BEGIN PGP MESSAGE-----\n\n"
    "hQEMA8b4Fu2jVSgGAQf/Ulu9dLr0pEo1EjVTVvF3lMbF7y1i0P3Y2dGw2y2fS7aP\n"
    "0kLw9nqXc6Ejv0m6YV0B5z3vI8j1yH4t5m3Q9r2c7kXwYVq1b8Hh4s2p0fXx1Q==\n"
    "=Fq3b\n"
    "-----END PGP MESSAGE-----\n"
)


def _headers(msg: EmailMessage | MIMEMultipart | MIMEApplication, to: str) -> None:
    msg["From"] = "sam.worker@gov.je"
    msg["To"] = to
    msg["Subject"] = "Notes"


def inline_pgp(to: str = UNKNOWN) -> bytes:
    msg = EmailMessage()
    _headers(msg, to)
    msg.set_content(f"Hello,\n\n{ARMOUR}\nThanks")
    return msg.as_bytes()


def pgp_mime(to: str = UNKNOWN) -> bytes:
    msg = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    _headers(msg, to)
    msg.attach(MIMEApplication("Version: 1\n", "pgp-encrypted", _encoder=lambda m: None))
    payload = MIMEApplication(ARMOUR, "octet-stream", _encoder=lambda m: None)
    payload.add_header("Content-Disposition", "inline", filename="encrypted.asc")
    msg.attach(payload)
    return msg.as_bytes()


def smime(to: str = UNKNOWN) -> bytes:
    msg = MIMEApplication(bytes(range(256)) * 4, "pkcs7-mime", smime_type="enveloped-data", name="smime.p7m")
    _headers(msg, to)
    msg.add_header("Content-Disposition", "attachment", filename="smime.p7m")
    return msg.as_bytes()


ENCRYPTED_MAIL = {"inline PGP armour": inline_pgp, "PGP/MIME": pgp_mime, "S/MIME": smime}


def plain_email(text: str, to: str = UNKNOWN) -> bytes:
    msg = MIMEMultipart()
    _headers(msg, to)
    msg.attach(MIMEText(text, "plain"))
    return msg.as_bytes()


__all__ = [
    "ADDRESS", "CHILD", "CHILD_NHS", "DOCX_CONSTRUCTS", "DOCX_RENDERED", "ENCRYPTED_MAIL", "FATHER",
    "HTML_CONSTRUCTS", "HTML_RENDERED", "REL", "UNKNOWN", "html_email", "plain_email",
]
