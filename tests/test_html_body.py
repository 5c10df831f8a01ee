"""HTML bodies read by an HTML5 parser (issue 13): optional tags, attributes that render,
CSS generated content, noscript and Outlook's conditional comments.

Each construct hides the child's details or the mother's withheld address in an HTML body
whose plain-text alternative says nothing; Chromium's rendering of the visible ones is in
tests/test_rendered_constructs.py.
"""

from __future__ import annotations

import pytest

from construct_fixtures import (
    ADDRESS,
    CHILD,
    CHILD_NHS,
    FATHER,
    HTML_CONSTRUCTS,
    UNKNOWN,
    assert_child_blocked,
    html_email,
)
from disclosureguard import Scanner
from disclosureguard.extract import extract
from disclosureguard.extract.html import MAX_DEPTH, css_generated_text, read_html
from disclosureguard.model import Action

CONSTRUCTS = sorted(HTML_CONSTRUCTS)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_child_details_only_in_the_html_construct_are_blocked_to_an_unknown_address(
    construct: str, patterns_scanner: Scanner
):
    data = html_email(HTML_CONSTRUCTS[construct](CHILD))
    verdict = patterns_scanner.scan(data, [UNKNOWN], name="message.eml")
    assert_child_blocked(verdict)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_withheld_address_only_in_the_html_construct_is_blocked_to_the_father(
    construct: str, patterns_scanner: Scanner
):
    data = html_email(HTML_CONSTRUCTS[construct](ADDRESS), to=FATHER)
    verdict = patterns_scanner.scan(data, [FATHER], name="message.eml")
    assert verdict.errors == ()
    assert verdict.decision == Action.BLOCK
    assert any(reason.rule == "withheld-detail" for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("construct", "place"),
    [
        ("optional </head> left out", None),
        ("<input value>", None),
        ("CSS ::before content", None),  # on a paragraph that displays: rendered text
        ("<noscript>", "noscript"),
        ("<!--[if mso]> conditional comment", "conditional comment (shown by Outlook)"),
        ("altChunk part (spans, character references)", None),
    ],
)
def test_each_construct_is_read_visible_or_hidden_under_its_place(construct: str, place: str | None):
    found = read_html(HTML_CONSTRUCTS[construct](CHILD))
    if place is None:
        assert CHILD in found.visible
        assert all(CHILD not in text for _, text in found.hidden)
    else:
        assert CHILD not in found.visible
        assert [p for p, text in found.hidden if CHILD in text] == [place]


def test_hidden_html_text_is_a_hidden_segment_named_by_its_place():
    doc = extract(html_email(HTML_CONSTRUCTS["<noscript>"](CHILD)), "message.eml")
    held = [s for s in doc.segments if CHILD_NHS in s.text]
    assert [(s.location, s.kind, s.hidden) for s in held] == [
        ("email body part 2 (HTML), noscript, paragraph 1", "hidden-text", True)
    ]


def test_every_attribute_that_can_carry_text_is_read():
    found = read_html(
        '<p title="Lily Smith">x</p><img alt="NHS 943 476 5919" src="cid:image1">'
        '<input type="hidden" name="ref" value="JE3 8XY"><input placeholder="Sarah Smith">'
        '<a href="mailto:sarah.smith@example.com">write</a><div data-child="Lily-Mae Smith"></div>'
        '<meta name="description" content="born 02/03/2014">'
    )
    assert found.visible == "x\nSarah Smith write"
    assert dict(found.hidden) == {
        "title attribute (shown on hover)": "Lily Smith",
        "image alt text": "NHS 943 476 5919",
        "name attribute": "ref",
        "hidden form value": "JE3 8XY",
        "link address": "mailto:sarah.smith@example.com",
        "other attribute": "Lily-Mae Smith",
        "content attribute": "born 02/03/2014",
    }


def test_character_references_and_markup_split_numbers_as_a_browser_joins_them():
    found = read_html("<p>NHS &#57;43&nbsp;<b>4</b><i>76</i> 59&#x31;9 &amp; Lily</p>")
    assert found.visible == "NHS 943 476 5919 & Lily"


def test_css_generated_content_with_escapes_and_several_strings_is_joined():
    css = 'p::after { content: "943 \\34 76" " 5919"; } /* content: "not this" */ p { color: red }'
    assert css_generated_text(css) == ["943 476 5919"]
    assert css_generated_text("p::before { content: 'Lily' \" Smith\" }") == ["Lily Smith"]  # either quote


def test_comments_and_scripts_are_read_as_hidden_text():
    found = read_html("<!-- Lily Smith --><p>Hi</p><script>var nhs = '943 476 5919';</script>")
    assert found.visible == "Hi"
    assert dict(found.hidden) == {"comment": "Lily Smith", "script": "var nhs = '943 476 5919';"}


def test_downlevel_revealed_conditional_content_is_visible_like_any_other():
    found = read_html("<![if !mso]><p>Lily Smith</p><![endif]><p>end</p>")
    assert found.visible == "Lily Smith\n\nend"


def test_nesting_deeper_than_a_browser_keeps_is_flattened_and_its_text_kept():
    depth = MAX_DEPTH * 4
    found = read_html("<div>" * depth + "<span hidden>Sarah</span> Lily Smith" + "</div>" * depth)
    # the tags past the depth are taken out, so what they hid is read as visible: stricter
    assert found.visible == "Sarah Lily Smith"
    assert found.hidden == ()
    shallow = read_html("<div>" * 10 + "<span hidden>Sarah</span> Lily Smith" + "</div>" * 10)
    assert (shallow.visible, shallow.hidden) == ("Lily Smith", (("hidden text", "Sarah"),))


def test_a_nul_in_the_body_does_not_end_the_text():
    found = read_html("<p>Lily\x00 Smith</p><p>NHS 943 476 5919</p>")
    assert found.visible == "Lily\ufffd Smith\n\nNHS 943 476 5919"


def test_an_html_attachment_named_as_text_is_read_as_html_and_reported():
    doc = extract(b"<html><body><p>NHS &#57;43 476 5919</p></body></html>", "notes.txt", media_type="text/plain")
    assert [(pr.cause, pr.message) for pr in doc.problems] == [
        ("type-mismatch", "named as text but the content is html")
    ]
    assert [s.text for s in doc.segments] == ["NHS 943 476 5919"]


def test_an_attribute_name_the_sender_chose_is_not_repeated_in_the_location():
    found = read_html('<div data-943-476-5919="Lily Smith">x</div>')
    assert found.hidden == (("other attribute", "Lily Smith"),)


def test_generated_content_is_read_where_the_browser_puts_it():
    found = read_html('<style>p.ref::before { content: "Lily Smith, "; } p.ref::after { content: " (child)" }'
                      '</style><p class="ref">NHS 943 476 5919</p><p>Regards</p>')
    assert found.visible == "Lily Smith, NHS 943 476 5919 (child)\n\nRegards"
    assert found.hidden == ()


def test_generated_content_inside_at_rules_and_with_old_colon_syntax_renders():
    found = read_html('<style>@media screen { @supports (display: block) { td:after { content: "Lily Smith" } } }'
                      "li::marker { content: 'NHS 943 476 5919 ' }</style>"
                      "<table><tr><td>Name:</td></tr></table><ul><li>one</li></ul>")
    assert "Name: Lily Smith" in found.visible and "NHS 943 476 5919 one" in found.visible
    assert found.hidden == ()


@pytest.mark.parametrize(
    ("html", "place"),
    [
        ('<style>.gone::before { content: "Lily Smith" }</style><p>Hi</p>', "CSS generated content"),  # no element
        ('<style>p::before { content: "Lily Smith"; display: none }</style><p>Hi</p>', "CSS generated content"),
        ('<style>p::after { content: "Lily Smith"; color: #ffffff }</style><p>Hi</p>', "CSS generated content"),
        ('<style>p { content: "Lily Smith" }</style><p>Hi</p>', "CSS generated content"),  # not a pseudo-element
        ('<style>p:hover::before { content: "Lily Smith" }</style><p>Hi</p>', "CSS generated content"),
        ('<p style="content: \'Lily Smith\'">Hi</p>', "CSS generated content"),  # an element's own style
        ('<style>.x::before { content: "Lily Smith" }</style><p>Hi</p><div hidden><p class="x">a</p></div>',
         "hidden text"),  # only on a hidden element
        ('<style>.x::before { content: "Lily Smith" }</style><p>Hi</p><div style="display:none"><p class=x>a</p>'
         "</div>", "hidden text"),
    ],
)
def test_generated_content_that_renders_nowhere_is_hidden_under_its_place(html: str, place: str):
    found = read_html(html)
    assert "Lily Smith" not in found.visible
    assert [p for p, text in found.hidden if "Lily Smith" in text] == [place]


def test_generated_content_on_many_elements_is_read_once_shown_and_once_hidden():
    found = read_html('<style>p::before { content: "Lily Smith " }</style>' + "<p>a</p>" * 2000
                      + '<div hidden><p>b</p></div>')
    assert found.visible.count("Lily Smith") == 1
    assert [text.count("Lily Smith") for p, text in found.hidden if p == "hidden text"] == [1]


def test_braces_inside_generated_strings_do_not_end_the_rule():
    found = read_html('<style>p::before { content: "} Lily {" } p::after { content: "Smith" }</style><p>x</p>')
    assert found.visible == "} Lily { x Smith"
