"""Who a found name is: a professional in role, a party anonymised by initials, or neither.

Runs after attribution, on the findings that matched no one in the case files (a case file's
own roles always win). The word lists are data in the catalogue's ``roles/roles.yaml``.

- professional: a title or post-nominal of office ("Lord Justice Baker", "Baker LJ", "Joy
  Howick HMI"), a front-page label ("Lead inspector: Tara Geere"), a job title right after the
  name ("Jane Doe, Social Worker"; a signature block's next line), counsel's appearance
  ("Giles Bain (instructed by ...) for the Appellant"), or the author property of the file;
  then every other mention of the same person in the document ("Mr Gupta" after "Mr Gupta QC").
- anonymised: an initial with or without a title or role noun ("F", "Mrs N", "Child A").
- cited-case: a party in the name of a reported case ("Roberts v Johnstone").
- organisation: an email address of a mailbox, not of a person ("enquiries@ofsted.gov.uk").
- public-record: any other name in a published court judgment heard in public
  (published_judgment.py): a private adult the court named, which is public record. Unlike the
  roles above it still counts as an identifiable person for special-category text.

A finding marked so stays a finding (it is listed, it can be withheld from a recipient), but it
does not make special-category text about an identifiable private person.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import regex
import yaml

from . import gazetteer
from .catalogue_files import catalogue_file
from .errors import ConfigError
from .model import Finding, Segment
from .name_parts import name_parts
from .policy.domains import domain_class
from .policy.model import Organisation
from .published_judgment import PUBLIC_RECORD, judgment_segments, public_judgment_segments

# Compiled once: these run for every finding of every scan.
_BLANK_LINE = regex.compile(r"\n[ \t]*\n")
_NAME_WORD_CHARS = regex.compile(r"[\p{L}’'-]+")
_INITIAL = regex.compile(r"\p{Lu}\.?")
_SENTENCE_PUNCTUATION = regex.compile(r"[.,;:?!]")
_NOT_DIGIT = regex.compile(r"\D")
_LOCAL_PART_SEPARATORS = regex.compile(r"[._-]+")

PROFESSIONAL = "professional"
ANONYMISED = "anonymised"
CITED_CASE = "cited-case"
ORGANISATION = "organisation"
# Roles this module gives: about no identifiable private individual.
NOT_PRIVATE = frozenset({PROFESSIONAL, ANONYMISED, CITED_CASE, ORGANISATION})

_FILE = Path("roles") / "roles.yaml"
# Words that open the next sentence when the model runs a span on: "Mrs B. They", "Ms S. All".
_SENTENCE_OPENERS = (
    "they|she|he|it|all|her|his|the|this|that|we|in|on|at|as|but|and|there|when|then|both|unfortunately|however"
    "|accordingly|moreover|therefore|thus|indeed|further|furthermore|nevertheless|similarly|finally|also|if"
    "|although|while|once|after|before|so|since|having|following|for|with"
)
_AUTHOR_FIELDS = frozenset({"author", "creator", "last modified by", "lastmodifiedby", "last_modified_by", "manager"})
# "B. Dr Ratnam", "S. As Lord Wilson": the model took the end of the last sentence, and its next word.
_LEADING_INITIAL = regex.compile(rf"^\p{{Lu}}\.\s+(?:(?i:{_SENTENCE_OPENERS})\s+)?(?=\p{{Lu}})")
# "Mr Sweeting QCemphasises": the extractor glued the post-nominal to the next word.
_GLUED_POSTNOMINAL = regex.compile(r"\s(?:QC|KC|LJ|MP)\p{Ll}{3,}$")
# "Mr Emir Kovacevic served his report on Bosnian law": who serves a report in proceedings is an
# expert or a professional, not a party.
# "Mr Turner’s submissions", "Mr Tomlinson submitted that": who makes submissions to a court is its advocate.
_SUBMISSIONS = regex.compile(
    r"^(?:['’]s?\s+(?:written\s+|oral\s+)?(?:submissions|skeleton\s+argument)|\s+(?:also\s+)?submitted\s+(?:that|before))",
    regex.IGNORECASE,
)
_SERVED_REPORT = regex.compile(
    r"^\s+(?:has\s+|had\s+)?(?:served|filed|prepared|produced)\s+(?:his|her|their|an?|the)\s+"
    r"(?:[\p{L}-]+\s+){0,2}(?:report|assessment)",
    regex.IGNORECASE,
)
_LEADING_ARTICLE = regex.compile(r"^(?:a|an|the)\s+")  # "a Mrs D": lower case only, as the model leaves it
# A firm in counsel's line: "(instructed by Borneo Martell Turner Coulston)".
_INSTRUCTED_BY = regex.compile(r"\(instructed\s+by\s[^()]*$", regex.IGNORECASE)
# Counsel in the argument: "On behalf of the local authority, Mr Day ...".
_ON_BEHALF = regex.compile(r"on\s+behalf\s+of\s+[^.;:()]{1,50},\s*$", regex.IGNORECASE)
_EMAIL = regex.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_SIGNATURE_REACH = 120  # a staff address this close after a name: the name's signature block
_CONTACT_TYPES = frozenset({"PHONE_NUMBER", "UK_POSTCODE", "ADDRESS", "EMAIL_ADDRESS"})
_CONTACT_LINE = 60  # a contact block's line: "Tel No: 020 7404 1400", "Strand, London, WC2A 2LL"
_ORGANISATION_NEAR = 150  # a phone or postcode this close to a body's name or mailbox is the body's
# More names in a list after the first: ", Ms V Roberts", ", Mr M Edwards QC" (capitals as written).
_NAME_LIST = (
    r"(?:\s*,\s+(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?(?-i:\p{Lu})[\p{L}.'’-]*(?:\s+(?-i:\p{Lu})[\p{L}.'’-]*){0,3}"
    r"(?:\s+(?:QC|KC))?){0,8}"
)
# "Lindsay Elliott of DAC Beachcroft LLP", "Charlotte Waite of the Claimant’s Solicitors", "Eifion
# Roberts of G2A’s accountants": a person named for the firm they act for. Capitals as written, so
# "of 12 Rue de Haut" or "of St Helier" is never a firm.
_OF_FIRM = regex.compile(
    r"^\s+of\s+(?:the\s+)?(?:(?-i:[\p{Lu}\d])[\p{L}\d&.'’-]*\s+){0,4}?"
    r"(?:(?-i:LLP|Ltd|Limited|plc|PLC|LLC|Inc)\b|(?i:solicitors|accountants|chambers|auditors)\b)"
)
_LOWER_WORD = regex.compile(r"(?<![\p{L}'’-])\p{Ll}[\p{Ll}'’-]*")
# The same words of an ASCII text, found by Python's own engine at a third of the cost
# (tests/test_ascii_twins.py compares both).
_LOWER_WORD_ASCII = re.compile(r"(?<![A-Za-z'-])[a-z][a-z'-]*")


def _lower_words(text: str) -> list[str]:
    return (_LOWER_WORD_ASCII if text.isascii() else _LOWER_WORD).findall(text)


_LABEL_BLOCK = 400  # how far a label's names run ("Team inspectors: A, B, C, ..."), at most
_BEFORE = 40
_AFTER = 60


@dataclass(frozen=True)
class RoleWords:
    titles_before: regex.Pattern[str]  # "...Lord Justice " right before a name
    titles_lead: regex.Pattern[str]  # "Lord Justice " (or "Mr Justice ") opening the name's own span
    titles_after: regex.Pattern[str]  # " LJ", " QC" right after a name
    postnominal_in_span: regex.Pattern[str]  # "Irwin LJ", "Turner J.", "Mandy Nightingale HMI" as one span
    label_start: regex.Pattern[str]  # "Lead inspector:" at the start of a line
    job_after: regex.Pattern[str]  # ", Social Worker" or "\nTeam Manager" after a name
    counsel_after: regex.Pattern[str]  # " (instructed by" after a name
    party_before: regex.Pattern[str]  # "For the father, " before a name
    party_after: regex.Pattern[str]  # " on behalf of the local authority" after a name
    anonymised: regex.Pattern[str]  # "Mrs N", "Child A", "F"
    mailboxes: frozenset[str]
    unit_line: regex.Pattern[str]  # "Emergency Duty Team on " right before a phone number
    block_head: regex.Pattern[str]  # "... Unit", "... press office": a contact block's first line names a body


def _list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ConfigError(str(path), key, "a list of words")
    return [" ".join(x.split()) for x in raw]


def _alternation(words: Sequence[str]) -> str:
    # Longest first so "lord justice" wins over "lord"; a space in the data matches any run of spaces.
    escaped = [regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)]
    return "|".join(escaped)




@cache
def role_words() -> RoleWords:
    path = catalogue_file(_FILE, "role words")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"the shipped role words ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "a mapping of word lists")
    honorifics = _alternation(sorted(name_parts().titles))
    nouns = _alternation(_list(data, "anonymised_nouns", path))
    flags = regex.IGNORECASE
    before = _alternation(_list(data, "titles_before", path))
    after = _alternation(_list(data, "titles_after", path))
    parties = _alternation(_list(data, "parties", path))
    return RoleWords(
        # "Lord Justice Baker", "the political theorist Hannah Arendt", "his solicitor, Mr Hornsby".
        titles_before=regex.compile(rf"(?<![\w-])(?:{before})(?:\.?\s+|\s*,\s+)$", flags),
        titles_lead=regex.compile(rf"^(?:(?:mr|mrs|ms|miss)\s+)?(?:{before})\.?\s+\S", flags),
        titles_after=regex.compile(rf"^,?\s+(?:{after})(?![\w.])", flags),
        postnominal_in_span=regex.compile(rf"\S\s+(?:{after})\.?(?:\s+(?:{_SENTENCE_OPENERS}))?$", flags),
        label_start=regex.compile(rf"(?m)^[ \t]*(?:{_alternation(_list(data, 'labels', path))})[ \t]*:", flags),
        job_after=regex.compile(
            rf"^(?:\s*,\s*|[ \t]*\n[ \t]*|\s+-\s+|\s+\()(?:the\s+|an?\s+)?(?:\p{{Lu}}[\p{{L}}'’]*\s+){{0,3}}"
            rf"(?:{_alternation(_list(data, 'job_titles_after', path))})(?![\w-])",
            flags,
        ),
        # "Giles Bain (instructed by", "Vanessa Meachin QC and James Legg (instructed by".
        party_before=regex.compile(rf"(?<![\w-])(?:for|on\s+behalf\s+of)\s+the\s+(?:{parties}),\s*$", flags),
        # "... on behalf of the father", "... on behalf of Mrs B", "... of counsel".
        party_after=regex.compile(
            rf"^(?:\s+\p{{Ll}}+){{0,3}}?,?\s+(?:(?:for|on\s+behalf\s+of)\s+(?:the\s+(?:{parties})(?![\w-])"
            rf"|(?:mr|mrs|ms|miss)\.?\s+\p{{Lu}})|of\s+counsel\b)",
            flags,
        ),
        # "Mr C Hale QC, Ms V Roberts, Mr M Edwards and Mr H Langford (instructed by": a list of
        # names only (capitalised words, titles and silks), so "Mark Jones, who gave evidence for
        # the appellant" is not counsel.
        counsel_after=regex.compile(
            rf"^(?:\s+\p{{Lu}}[\p{{L}}'’-]+)?(?:\s+(?:QC|KC))?{_NAME_LIST}(?:\s+and\s+[^()\n]{{1,60}}?)?[\s,]*"
            rf"(?:{_alternation(_list(data, 'counsel_markers', path))})",
            flags,
        ),
        # "F", "Mrs N", "Child A", "Mrs B." (the model may take the next sentence's first word too).
        anonymised=regex.compile(
            rf"^(?:(?:{honorifics}|{nouns})\.?\s+)?\p{{Lu}}(?:\.|\d{{1,2}})?$"
            rf"|^(?:(?:{honorifics}|{nouns})\.?\s+)?\p{{Lu}}\.\s+(?:{_SENTENCE_OPENERS})$",
            flags,
        ),
        mailboxes=frozenset(w.casefold() for w in _list(data, "organisation_mailboxes", path)),
        block_head=regex.compile(
            rf"(?<![\w-])(?:{_alternation(_list(data, 'contact_block_heads', path))})(?![\w-])", flags
        ),
        unit_line=regex.compile(
            rf"(?<![\w-])(?=\p{{Lu}})(?i:{_alternation(_list(data, 'organisation_units', path))})"
            r"(?:\s+on|\s*[:\-–]|\s+(?:tel|telephone)\.?:?)?\s*$"
        ),
    )


def warm_up_roles() -> None:
    """Load and compile the role words and the gazetteer now (a scanner's start-up), and the name
    lists when the detector is loaded anyway: a worker forked from a warm scanner starts warm, and
    no document's time limit pays for it. A model-less judge does not import the detector for it."""
    role_words()
    gazetteer.gazetteer()
    if "disclosureguard.detect" in sys.modules:
        from .detect.name_frequencies import first_names, surnames

        first_names()
        surnames()


def _label_regions(text: str, words: RoleWords) -> list[tuple[int, int]]:
    """The stretch after each "Lead inspector:" label, to the next blank line or label."""
    regions = []
    for m in words.label_start.finditer(text):
        end = min(len(text), m.end() + _LABEL_BLOCK)
        blank = _BLANK_LINE.search(text[m.end() : end])
        if blank:
            end = m.end() + blank.start()
        following = words.label_start.search(text, m.end(), end)
        if following:
            end = following.start()
        regions.append((m.end(), end))
    return regions


def _neighbours(segments: Sequence[Segment], k: int) -> tuple[str, str]:
    """The end of the paragraph before segment ``k`` and the start of the one after, when they are
    the same kind of visible text: a judgment's "(instructed by" or a transcriber's "Email:" line
    may stand one blank line away from the name or number it belongs to."""
    seg = segments[k]

    def same(j: int) -> bool:
        other = segments[j]
        return other.kind == seg.kind and other.hidden == seg.hidden and other.container == seg.container

    before = segments[k - 1].text[-_ORGANISATION_NEAR:] if k > 0 and same(k - 1) else ""
    after = segments[k + 1].text[:_ORGANISATION_NEAR] if k + 1 < len(segments) and same(k + 1) else ""
    return before, after


def _in_role(
    f: Finding, text: str, regions: Sequence[tuple[int, int]], words: RoleWords, previous: str = ""
) -> bool:
    before = text[max(0, f.start - _BEFORE) : f.start]
    after = text[f.end : f.end + _AFTER]
    own = _LEADING_INITIAL.sub("", f.text)
    if words.titles_before.search(before) or words.titles_after.match(after) or words.titles_lead.match(own):
        return True
    if _GLUED_POSTNOMINAL.search(f.text) or _SERVED_REPORT.match(after) or _SUBMISSIONS.match(after):
        return True
    if words.party_before.search(before) or words.party_after.match(after):
        return True  # "For the father, Mrs Ojutiku", "Ms Meachin on behalf of the local authority"
    if words.job_after.match(after) or words.counsel_after.match(after) or _OF_FIRM.match(after):
        return True
    lead = text[max(0, f.start - 80) : f.start]
    if f.start < 80 and previous:
        lead = f"{previous}\n\n{lead}"[-80:]
    if _INSTRUCTED_BY.search(lead) or _ON_BEHALF.search(before + " "):
        return True
    if words.postnominal_in_span.search(f.text):
        return True  # "Turner J.", "Soole J. He": the model kept the post-nominal and ran on
    return any(start <= f.start < end for start, end in regions)


def _is_author(seg: Segment) -> bool:
    field = (seg.field or "").casefold()
    return seg.kind == "metadata" and (field in _AUTHOR_FIELDS or field.rsplit(":", 1)[-1].strip() in _AUTHOR_FIELDS)


# The party named first in a case name, with what may stand before its "v": "Kelly (orse. Hyams) v",
# "Earl Cadogan and Another v", "Harding Holmes (East Street) Ltd v", "Saad, Diriye and Osirion v".
_CITATION_NEXT = regex.compile(
    r"^\)?(?:\s*\([^()\n]{1,40}\))?(?:,?\s+(?:and\s+)?\p{Lu}[\p{L}’'-]+){0,3}"
    r"(?i:\s+(?:and|&)\s+(?:another|others|anor|ors)|\s+(?:ltd|limited|plc|llp|kg|sa|spa|inc)\.?)*,?\s+-?v\.?-?\s+\p{Lu}"
)
_CITATION_IN_SPAN = regex.compile(r"\S\s+-?v\.?-?(?:\s+\p{Lu}|$)")  # "Scott v Scott", "HMAG -v- Akhter", "Piller KG v"
# "Scott v Scott", and "R v Mohamed (Ali)": a party's other name in brackets after the "v".
_CITATION_PREV = regex.compile(r"[\p{L}.’')]\s+-?v\.?-?\s+(?:\p{Lu}[\p{L}'’-]+\s+\()?$")
# "Re Mohammed Arif (An Infant) [1968] Ch 643", "ex parte Kaim Todner [1999] QB 966": a case named
# by one party, known by the law report that follows it.
_CITATION_RE = regex.compile(r"(?<![\w-])(?:in\s+re|re|ex\s+parte|ex\s+p\.)\s+$", regex.IGNORECASE)
# A report: a year, maybe a volume, a series of one to three short words and a page ("[1968] Ch 643").
_REPORT_AFTER = regex.compile(r"^[^.;\n]{0,40}?[\[(]\d{4}[\])]\s+(?:\d+\s+)?(?:\p{Lu}[\p{L}.]{0,6}\s+){1,3}\d")
# "1 Rob Eccl 304": a law report series, between a volume and a page number.
# A year and a volume before it, so a numbered row ("2 Kayla Renouf 14/03/2016") is never taken for one.
_VOLUME_BEFORE = regex.compile(r"[\[(]\d{4}[\])]\s+\d{1,3}\s+$")
_REPORT_SERIES = regex.compile(r"^(?:\s+\p{Lu}[\p{L}.]*){0,3}\s+\d")
_CITED_ABOVE = regex.compile(r"^,?\s+cited\s+above", regex.IGNORECASE)


def _cited_case(f: Finding, text: str) -> bool:
    after, before = text[f.end : f.end + 80], text[max(0, f.start - 40) : f.start]
    if _CITATION_NEXT.match(after) or _CITATION_PREV.search(before) or _CITATION_IN_SPAN.search(f.text):
        return True
    if _CITATION_RE.search(before) and _REPORT_AFTER.match(after):
        return True
    if _VOLUME_BEFORE.search(before) and _REPORT_SERIES.match(after):
        return True
    return bool(_CITED_ABOVE.match(after))


def _name_words(value: str) -> frozenset[str]:
    titles = name_parts().titles
    return frozenset(w for w in _NAME_WORD_CHARS.findall(value.casefold().replace("’", "'")) if w not in titles)


_CO_AUTHOR_GAP = regex.compile(r"^\s+and\s+$")
_BY_BEFORE = regex.compile(r"(?<![\w-])by\s+$", regex.IGNORECASE)


def _co_authors(segments: Sequence[Segment], findings: list[Finding]) -> list[Finding]:
    """ "by Professor Nigel Lowe and Victoria Stephens": the second name of a pair after "by",
    whose first is a professional, shares the work (a study's or a report's authors)."""
    people = sorted((f.segment, f.start, i) for i, f in enumerate(findings) if f.entity_type == "PERSON")
    marked: set[int] = set()
    for (seg, _, j), (seg_next, _, i) in pairwise(people):
        prev, f = findings[j], findings[i]
        if seg != seg_next or prev.person_role != PROFESSIONAL or f.case is not None or f.person_role is not None:
            continue
        text = segments[seg].text
        by = _BY_BEFORE.search(text[max(0, prev.start - 30) : prev.start])
        if by and _CO_AUTHOR_GAP.match(text[prev.end : f.start]):
            marked.add(i)
    return [replace(f, person_role=PROFESSIONAL) if i in marked else f for i, f in enumerate(findings)]


def _propagate(findings: list[Finding]) -> list[Finding]:
    """Every mention of a professional is the professional ("Mr Gupta" after "Mr Gupta QC"), and
    every mention of a reported case's party is that ("Wasif" after "R (Wasif) v ...")."""
    known: dict[str, list[frozenset[str]]] = {PROFESSIONAL: [], CITED_CASE: []}
    for f in findings:
        if f.entity_type == "PERSON" and f.person_role in known and f.case is None:
            words = _name_words(f.text) - {"v"}
            if words:
                known[f.person_role].append(words)
    out = []
    for f in findings:
        if f.entity_type == "PERSON" and f.case is None and f.person_role is None:
            words = _name_words(f.text)
            role = next((r for r, names in known.items() if words and any(words <= k for k in names)), None)
            if role is not None:
                f = replace(f, person_role=role)
        out.append(f)
    return out


def _published_judgment_numbers(segments: Sequence[Segment], findings: list[Finding]) -> list[Finding]:
    """A published judgment (its heading block at the head of its part: published_judgment.py)
    gives the lower courts' case numbers of an anonymised case in public: they are part of the
    citation, not a family's record. A letter that quotes a citation is not a judgment, so the case
    numbers it gives stay the family's."""
    if not any(f.entity_type == "UK_FAMILY_COURT_CASE" and f.case is None and f.person_role is None
               for f in findings):
        return findings
    judgment = judgment_segments(segments, heard_in_private_too=True)
    return [
        replace(f, person_role=CITED_CASE)
        if f.entity_type == "UK_FAMILY_COURT_CASE" and f.case is None and f.person_role is None
        and f.segment in judgment
        else f
        for f in findings
    ]


def _role_of(
    f: Finding, seg: Segment, regions: Sequence[tuple[int, int]], words: RoleWords, previous: str = ""
) -> str | None:
    if f.entity_type == "EMAIL_ADDRESS":
        local = f.text.rsplit("@", 1)[0].rsplit("/", 1)[-1].removeprefix("mailto:").casefold()
        return ORGANISATION if _is_mailbox(local, words) else None
    if f.entity_type == "PHONE_NUMBER":
        return ORGANISATION if words.unit_line.search(seg.text[max(0, f.start - 40) : f.start]) else None
    if f.entity_type != "PERSON":
        return None
    if words.anonymised.match(_LEADING_ARTICLE.sub("", f.text.strip())):
        return ANONYMISED
    if _is_author(seg) or _in_role(f, seg.text, regions, words, previous):
        return PROFESSIONAL
    if _cited_case(f, seg.text):
        return CITED_CASE
    return None


def _not_people(segments: Sequence[Segment], findings: Sequence[Finding]) -> list[Finding]:
    """Without the names that are no one: a place, a body or a heading word ("Justice", from
    "Royal Courts of Justice"); words the document also writes in lower case ("Threshold",
    "Starting Point"), unless one of them is part of a real longer name; or a span that starts
    in lower case ("k)whether", "pan-Bedford") without a name particle ("de Gruchy")."""
    lower = {w for seg in segments for w in _lower_words(seg.text)}
    lower |= {w[:-1] for w in lower if w.endswith("s")}  # "awards" for "Award"
    particles = name_parts().particles

    def common(f: Finding) -> bool:
        return all(w.casefold() in lower for w in f.text.split())

    def common_or_place(f: Finding) -> bool:
        # "Family Scilly" (a service named after the islands): a place, and otherwise ordinary words.
        words = f.text.split()
        places = [w for w in words if gazetteer.is_place(w)]
        return len(words) > 1 and bool(places) and all(w in places or w.casefold() in lower for w in words)

    real_longer = {
        w.casefold()
        for f in findings
        if f.entity_type == "PERSON" and len(f.text.split()) > 1 and not common(f)
        for w in f.text.split()
    }
    out = []
    for f in findings:
        if f.entity_type == "PERSON" and f.case is None:
            words = f.text.split()
            following = segments[f.segment].text[f.end : f.end + 20]
            if not words or gazetteer.not_a_person(f.text) or gazetteer.names_a_thing(following):
                continue
            if gazetteer.ends_as_a_thing(f.text) or _only_titles_and_openers(f.text):
                continue
            if common_or_place(f):
                continue
            if f.text[0].islower() and words[0].casefold() not in particles:
                continue
            if common(f) and (len(words) > 1 or words[0].casefold() not in real_longer):
                continue
            if len(words) == 1 and not _confirmed_single(f, segments[f.segment].text):
                continue
        out.append(f)
    return out


_OPENER_WORDS = frozenset(_SENTENCE_OPENERS.split("|"))
# "2nd Ed.", "3rd Edn": an ordinal before a single word makes it an edition, not a name.
_ORDINAL_BEFORE = regex.compile(r"\d+(?:st|nd|rd|th)\s+$", regex.IGNORECASE)
# "Jan 2013", "Sept 14": a month's short form before a number is a date.
_MONTH_SHORT = frozenset(("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))
_NUMBER_AFTER = regex.compile(r"^\.?\s+\d")
# "Art. 3", "Para 12", "Vol. 2": a reference word's short form before a number.
_REFERENCE_SHORT = frozenset(("art", "para", "paras", "sec", "vol", "reg", "sch", "ch", "no"))


def _only_titles_and_openers(value: str) -> bool:
    """ "MR. He" (from "Lord Denning MR. He was ..."): a title and the next sentence's first word."""
    words = [w.strip(".,").casefold() for w in value.split()]
    titles = name_parts().titles
    return len(words) > 1 and words[0] in titles and all(w in titles or w in _OPENER_WORDS for w in words)


_TITLE_BEFORE = regex.compile(r"(?<![\w-])(?:mr|mrs|ms|miss|mx|dr|master)\.?\s+$", regex.IGNORECASE)
_POSSESSIVE = regex.compile(r"['’]s?$")


def _confirmed_single(f: Finding, text: str) -> bool:
    """One word stands for a person only with a title before it or as a listed first name or
    surname ("Florida", "Convention", "Manual" are not; "Harvey", "Mr Simons" are)."""
    from .detect.name_frequencies import first_names, fold, surnames  # late: keeps the pool parent light

    if _TITLE_BEFORE.search(text[max(0, f.start - 8) : f.start]) or _INITIAL.fullmatch(f.text.strip()):
        return True  # a title before it; or an initial, which is kept as an anonymised party
    if _ORDINAL_BEFORE.search(text[max(0, f.start - 8) : f.start]):
        return False
    short = f.text.strip().casefold()
    if short in _MONTH_SHORT | _REFERENCE_SHORT and _NUMBER_AFTER.match(text[f.end : f.end + 4]):
        return False
    word = fold(_POSSESSIVE.sub("", f.text.strip()))
    return word in first_names() or word in surnames()


def _organisation_contacts(segments: Sequence[Segment], findings: list[Finding]) -> list[Finding]:
    """A phone, postcode or address beside a body's name or mailbox is the body's (a report's
    "Ofsted, Piccadilly Gate, ... M1 2WD, T: 0300 ..., E: enquiries@ofsted.gov.uk")."""
    markers: dict[int, list[tuple[int, int]]] = {}
    for f in findings:
        if f.person_role == ORGANISATION:
            markers.setdefault(f.segment, []).append((f.start, f.end))
    out = []
    words = role_words()
    people = {f.segment for f in findings if f.entity_type == "PERSON"}
    for f in findings:
        if f.entity_type in _CONTACT_TYPES and f.case is None and f.person_role is None:
            if f.segment not in markers or not any(_near(f, span) for span in markers[f.segment]):
                spans = gazetteer.organisation_mentions(segments[f.segment].text)
                markers.setdefault(f.segment, []).extend(spans)
            if (any(_near(f, span) for span in markers.get(f.segment, ())) or _body_next_door(segments, f, words)
                    or _under_a_body_s_block_head(segments, f, words, people)):
                f = replace(f, person_role=ORGANISATION)
        out.append(f)
    return _same_contact_as_a_body_s(out)


_BLOCK_LINES = 8  # a contact block's lines above a postcode or phone, at most


def _under_a_body_s_block_head(segments: Sequence[Segment], f: Finding, words: RoleWords, people: set[int]) -> bool:
    """A contact block (consecutive short lines of the same kind) whose first line names a body ("The
    Ministerial Correspondence Unit / Level 5, Zone A / ... / London SW1A 2HB"), with no person found
    in any of its lines: the block is the body's address, and its details are the body's."""
    seg = segments[f.segment]
    if len(seg.text) > _CONTACT_LINE or f.segment in people:
        return False
    head = f.segment
    for _ in range(_BLOCK_LINES):
        k = head - 1
        if k < 0 or k in people:
            break
        other = segments[k]
        if (other.kind, other.hidden, other.container) != (seg.kind, seg.hidden, seg.container):
            break
        if len(other.text) > _CONTACT_LINE:
            # A body's full name may be longer than a contact line ("The Office of the Parliamentary
            # Commissioner for Administration"), not a paragraph of prose.
            if len(other.text) <= 2 * _CONTACT_LINE and _names_a_body(other.text, words):
                head = k
            break
        head = k
    return head != f.segment and _names_a_body(segments[head].text, words)


_CONNECTORS = frozenset({"of", "the", "and", "for", "&", "in", "on"})


def _names_a_body(line: str, words: RoleWords) -> bool:
    """A line that is a body's name, not a sentence: "The Ministerial Correspondence Unit", "DVSA press
    office", "Ministry of Defence Police HQ Wethersfield"; never "Please send it to the office at:"."""
    tokens = line.split()
    if not tokens or len(tokens) > 10 or _SENTENCE_PUNCTUATION.search(line) or not words.block_head.search(line):
        return False
    # Capitalised words and connectors; only the last two words may be in lower case ("press office").
    return all(t[0].isupper() or t[0].isdigit() or t.casefold() in _CONNECTORS for t in tokens[:-2])


def _contact_key(f: Finding) -> str:
    text = f.text.casefold().removeprefix("mailto:")
    return _NOT_DIGIT.sub("", text) if f.entity_type == "PHONE_NUMBER" else "".join(text.split())


def _same_contact_as_a_body_s(findings: list[Finding]) -> list[Finding]:
    """A phone, postcode or email that is elsewhere in the document a body's is the body's here too."""
    bodies = {(f.entity_type, _contact_key(f)) for f in findings
              if f.entity_type in _CONTACT_TYPES and f.person_role == ORGANISATION}
    return [replace(f, person_role=ORGANISATION)
            if f.entity_type in _CONTACT_TYPES and f.case is None and f.person_role is None
            and (f.entity_type, _contact_key(f)) in bodies else f
            for f in findings]


def _body_next_door(segments: Sequence[Segment], f: Finding, words: RoleWords) -> bool:
    """A body's name or mailbox in the paragraph right before or after, within reach: "Royal Courts
    of Justice" above "Strand, London, WC2A 2LL"; "Tel No: ..." above "Email: civil@...". """
    text = segments[f.segment].text
    if len(text) > _CONTACT_LINE:
        return False  # a paragraph of prose about someone, not a line of a body's contact block
    before, after = _neighbours(segments, f.segment)
    gap_before, gap_after = f.start, len(text) - f.end
    if before and gap_before < _ORGANISATION_NEAR:
        reach = before[-(_ORGANISATION_NEAR - gap_before) :]
        if gazetteer.organisation_mentions(reach) or _mailbox_in(reach, words):
            return True
    if after and gap_after < _ORGANISATION_NEAR:
        reach = after[: _ORGANISATION_NEAR - gap_after]
        return bool(gazetteer.organisation_mentions(reach) or _mailbox_in(reach, words))
    return False


def _mailbox_in(text: str, words: RoleWords) -> bool:
    return any(_is_mailbox(m.group().split("@", 1)[0].casefold(), words) for m in _EMAIL.finditer(text))


def _is_mailbox(local: str, words: RoleWords) -> bool:
    """ "enquiries", and "cio-foi" or "childrens.mash": a mailbox word as the last part of the local
    part, when no part of it is a person's first name or surname ("sarah.info" stays Sarah's)."""
    if local in words.mailboxes:
        return True
    from .detect.name_frequencies import first_names, fold, surnames  # late: keeps the pool parent light

    parts = [p for p in _LOCAL_PART_SEPARATORS.split(local) if p]
    if len(parts) < 2 or parts[-1] not in words.mailboxes:
        return False
    return not any(fold(p) in first_names() or fold(p) in surnames() for p in parts)


def _near(f: Finding, span: tuple[int, int]) -> bool:
    return max(f.start, span[0]) - min(f.end, span[1]) <= _ORGANISATION_NEAR


def _signed_by_staff(f: Finding, text: str, organisation: Organisation | None) -> bool:
    """ "Jane Doe\nSocial Care\njane.doe@gov.je": a name whose signature holds a staff address."""
    if organisation is None or not organisation.internal_domains or f.entity_type != "PERSON":
        return False
    after = text[f.end : f.end + _SIGNATURE_REACH]
    return any(domain_class(m.group(), organisation) == "internal" for m in _EMAIL.finditer(after))


def assign_roles(
    segments: Sequence[Segment], findings: Sequence[Finding], organisation: Organisation | None = None
) -> list[Finding]:
    """The findings with a role for the unattributed names and mailboxes this module recognises,
    without the names that are no one. ``organisation`` gives the staff domains of signature blocks."""
    words = role_words()
    regions: dict[int, list[tuple[int, int]]] = {}
    out = []
    for f in _not_people(segments, findings):
        if f.case is None and f.person_role is None:
            seg = segments[f.segment]
            if f.segment not in regions:
                regions[f.segment] = _label_regions(seg.text, words)
            role = _role_of(f, seg, regions[f.segment], words, _neighbours(segments, f.segment)[0])
            if role is None and _signed_by_staff(f, seg.text, organisation):
                role = PROFESSIONAL
            if role is not None:
                f = replace(f, person_role=role)
        out.append(f)
    people = _propagate(_co_authors(segments, out))
    return _public_record(segments, _published_judgment_numbers(segments, _organisation_contacts(segments, people)))


def _public_record(segments: Sequence[Segment], findings: list[Finding]) -> list[Finding]:
    """The names no case file knows and no other role explains, in a published judgment heard in
    public: names only (a phone, an address or an identifier in a judgment keeps no role)."""
    if not any(f.entity_type == "PERSON" and f.case is None and f.person_role is None for f in findings):
        return findings
    public = public_judgment_segments(segments)
    return [
        replace(f, person_role=PUBLIC_RECORD)
        if f.entity_type == "PERSON" and f.case is None and f.person_role is None and f.segment in public
        else f
        for f in findings
    ]
