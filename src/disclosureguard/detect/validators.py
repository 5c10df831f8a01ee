"""Validators: small pure functions from the primary rules in shared/spec/identifiers.md.

Each takes the matched text (already normalised: ASCII digits and Latin letters) and says
whether it can be that identifier. A definition in recognizers/ names its validator by the
key it has in ``VALIDATORS`` (its function name: each registers itself with ``@validator``).
A passing check only filters; context sets the score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache

import phonenumbers
import tldextract

from ..calendar_words import MONTH_NUMBER

Validator = Callable[[str], bool]

# Every validator, by the name a definition in recognizers/ gives it; each adds itself with
# ``@validator`` where it is defined, so the catalogue's check and the pattern stage read one table.
VALIDATORS: dict[str, Validator] = {}


def validator(check: Validator) -> Validator:
    """Register ``check`` under its function name."""
    VALIDATORS[check.__name__] = check
    return check


_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def compact(value: str) -> str:
    """The value without separators, upper case: "qq 12 34 56 c" → "QQ123456C"."""
    return _NON_ALNUM.sub("", value).upper()


@validator
def nhs_number(value: str) -> bool:
    """Modulus 11, weights 10..2 on the first nine digits; 11 → 0, 10 → invalid."""
    digits = compact(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


@validator
def uln(value: str) -> bool:
    """Unique Learner Number: 10 digits, first not 0, Σ(digit × weight 10..1) mod 11 = 10."""
    digits = compact(value)
    if len(digits) != 10 or not digits.isdigit() or digits[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 10


_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


@validator
def upn(value: str) -> bool:
    """Unique Pupil Number: check letter = Σ(value × position 2..13) mod 23.

    Digits count at face value and a temporary UPN's final letter at its index in the
    23-letter alphabet (no I, O, S).
    """
    v = compact(value)
    if len(v) != 13 or v[0] not in _UPN_ALPHABET or not v[1:12].isdigit():
        return False
    last = v[12]
    if not (last.isdigit() or last in _UPN_ALPHABET):
        return False
    total = 0
    for position, ch in enumerate(v[1:], start=2):
        total += position * (int(ch) if ch.isdigit() else _UPN_ALPHABET.index(ch))
    return _UPN_ALPHABET[total % 23] == v[0]


_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIOQUV")
_NINO_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


@validator
def nino(value: str) -> bool:
    """National Insurance number (JY/GY Channel Islands numbers included)."""
    v = compact(value)
    if len(v) != 9 or not v[:2].isalpha() or not v[2:8].isdigit() or v[8] not in "ABCD":
        return False
    if v[0] in _NINO_BAD_FIRST or v[1] in _NINO_BAD_SECOND:
        return False
    return v[:2] not in _NINO_NEVER_ISSUED


# Ofcom numbers reserved for drama (never allocated to a subscriber). libphonenumber treats
# several of them as invalid, yet they are exactly the numbers fictional case files use.
# Each entry: national significant number prefix, number of digits the NSN has.
_DRAMA_PREFIXES: tuple[tuple[str, int], ...] = (
    ("7700900", 10),
    ("1632960", 10),
    ("2079460", 10),
    ("1134960", 10),
    ("1144960", 10),
    ("1154960", 10),
    ("1164960", 10),
    ("1174960", 10),
    ("1184960", 10),
    ("1214960", 10),
    ("1314960", 10),
    ("1414960", 10),
    ("1514960", 10),
    ("1614960", 10),
    ("1914980", 10),
    ("2896496", 10),
    ("2920180", 10),
    ("8081570", 10),
    ("9098790", 10),
    ("3069990", 10),
)


def uk_drama_number(nsn: str) -> bool:
    """True for a national significant number in one of Ofcom's drama ranges."""
    return any(nsn.startswith(p) and len(nsn) == n for p, n in _DRAMA_PREFIXES)


def _parse_gb(value: str) -> phonenumbers.PhoneNumber | None:
    """The number as libphonenumber reads it dialled from the UK, or None if it cannot."""
    try:
        return phonenumbers.parse(_phone_digits(value), "GB")
    except phonenumbers.NumberParseException:
        return None


@validator
def uk_phone(value: str) -> bool:
    """A UK or Crown dependency number: valid for libphonenumber (region GB), or a drama number."""
    return _allocated(_parse_gb(value))


def _allocated(parsed: phonenumbers.PhoneNumber | None) -> bool:
    if parsed is None:
        return False
    if parsed.country_code != 44:
        return phonenumbers.is_valid_number(parsed)
    # The drama ranges first: a prefix test, where validity walks the number types of every
    # region sharing +44.
    return uk_drama_number(phonenumbers.national_significant_number(parsed)) or phonenumbers.is_valid_number(parsed)


@validator
def uk_personal_phone(value: str) -> bool:
    """A UK phone number that can be a person's: valid (or drama), and not a non-geographic
    03, 08 or 09 number, which only organisations have (helplines, freephone, premium)."""
    parsed = _parse_gb(value)
    if parsed is None or not _allocated(parsed):
        return False
    return parsed.country_code != 44 or phonenumbers.national_significant_number(parsed)[:1] not in "389"


@validator
def uk_well_formed_phone(value: str) -> bool:
    """A number a person may have written down: a possible UK or Crown dependency number
    (libphonenumber's ``is_possible_number``: the right length for region GB) that is a
    geographic 01/02 or a mobile 07 number. Whether the range is allocated today is not asked:
    metadata lags allocations, and fiction and tests use reserved ranges (see
    ``uk_allocated_phone``, which only raises the score). Non-geographic 03/08/09 numbers
    belong to organisations (helplines, freephone) and are not a person's phone."""
    return _well_formed(_parse_gb(value))


def _well_formed(parsed: phonenumbers.PhoneNumber | None) -> bool:
    if parsed is None:
        return False
    if parsed.country_code != 44:
        return phonenumbers.is_valid_number(parsed)
    nsn = phonenumbers.national_significant_number(parsed)
    if not phonenumbers.is_possible_number(parsed) or nsn[:1] not in "127":
        return False
    return len(nsn) == 10 or (len(nsn) == 9 and nsn[:1] == "1")


@validator
def uk_allocated_phone(value: str) -> bool:
    """The number is in an allocated range (libphonenumber calls it valid) or a drama range."""
    return uk_phone(value)


Check = Callable[[str], tuple[bool, Callable[[], bool]]]


def _phone_read_once(value: str) -> tuple[bool, Callable[[], bool]]:
    parsed = _parse_gb(value)  # most of the time a phone number costs: read once for both
    return _well_formed(parsed), lambda: _allocated(parsed)


# A validator and its booster that read the value once for both. Each gives exactly what the
# two functions give.
PAIRED: dict[tuple[str, str], Check] = {
    ("uk_well_formed_phone", "uk_allocated_phone"): _phone_read_once,
}


def check_for(validator_name: str | None, booster_name: str | None) -> Check:
    """The validator and the booster a definition names, as one check of a value: (it passes,
    whether it raises the score, asked only of a match that is kept). A pair that reads the
    value once for both (``PAIRED``) stands for the two where there is one."""
    paired = PAIRED.get((validator_name or "", booster_name or ""))
    if paired is not None:
        return paired
    valid = VALIDATORS[validator_name] if validator_name else None
    boost = VALIDATORS[booster_name] if booster_name else None

    def check(value: str) -> tuple[bool, Callable[[], bool]]:
        return valid is None or valid(value), lambda: boost is not None and boost(value)

    return check


# File names written like addresses ("icon@2x.png"): extensions that are not top-level domains.
_FILE_EXTENSIONS = frozenset(
    ("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "tif", "tiff", "pdf", "doc", "docx", "xls", "xlsx",
     "ppt", "pptx", "odt", "ods", "js", "css", "htm", "html", "txt", "csv")
)  # fmt: skip
_DOMAIN_LABEL = re.compile(r"^(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)$")


@validator
def email_syntax(value: str) -> bool:
    """A syntactically valid address (RFC 5321 lengths; domain labels of letters, digits and
    inner hyphens; an alphabetic top-level label of two or more letters). Private and reserved
    suffixes (.local, .internal, .lan, .example) are real in outgoing mail: the public suffix
    list only raises the score (``email_domain``)."""
    local, at, domain = value.rpartition("@")
    if not at or not local or len(local) > 64 or not domain or len(domain) > 253:
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return False
    tld = labels[-1]
    if not ((tld.isalpha() and len(tld) >= 2) or tld.casefold().startswith("xn--")):
        return False
    return tld.casefold() not in _FILE_EXTENSIONS


@cache
def suffix_extractor() -> tldextract.TLDExtract:
    """tldextract's extractor with no URLs and no cache directory: its default one downloads the
    public suffix list at first use, and nothing here may touch the network."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


@validator
def email_domain(value: str) -> bool:
    """True when the part after ``@`` ends in a public suffix (example.org, gov.je...), checked
    against the snapshot of the public suffix list bundled with tldextract, offline."""
    return suffix_extractor()(value.rpartition("@")[2]).fqdn != ""



def _phone_digits(value: str) -> str:
    """Digits and a leading +; "(0)" after the country code dropped, line breaks and brackets too."""
    value = value.replace("(0)", "")
    plus = value.lstrip().startswith("+") or value.lstrip().startswith("00")
    digits = re.sub(r"\D", "", value)
    if value.lstrip().startswith("00"):
        digits = digits[2:]
    return ("+" + digits) if plus else digits


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})\s*$")
_WORD_DATE_DAY_FIRST = re.compile(
    r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+)\.?,?\s+(\d{4})\s*$", re.IGNORECASE
)
_WORD_DATE_MONTH_FIRST = re.compile(r"^\s*([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\s*$", re.I)


@validator
def uk_date(value: str) -> bool:
    """A real calendar date in a UK day-first form (02/03/2014, 2 March 2014, 2nd March 2014)."""
    m = _NUMERIC_DATE.match(value)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000 if year <= date.today().year % 100 else 1900
    else:
        m = _WORD_DATE_DAY_FIRST.match(value)
        if m:
            day, month_name, year = int(m.group(1)), m.group(2).lower(), int(m.group(3))
        else:
            m = _WORD_DATE_MONTH_FIRST.match(value)
            if not m:
                return False
            month_name, day, year = m.group(1).lower(), int(m.group(2)), int(m.group(3))
        if month_name not in MONTH_NUMBER:
            return False
        month = MONTH_NUMBER[month_name]
    if not 1900 <= year <= date.today().year:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@validator
def family_court_case(value: str) -> bool:
    """Court code (two letters), year (two digits), case type letter, five digits."""
    v = compact(value)
    return len(v) == 10 and v[:2].isalpha() and v[2:4].isdigit() and v[4].isalpha() and v[5:].isdigit()


@validator
def driving_licence(value: str) -> bool:
    """16 characters: surname (5, padded with 9), date (decade, month[+5], day, year), initials,
    a digit and two check characters. The date part must be a real month and day."""
    v = compact(value)
    if len(v) != 16:
        return False
    surname, birth, initials, tail = v[:5], v[5:11], v[11:13], v[13:]
    if not all(c.isalpha() or c == "9" for c in surname) or not surname[0].isalpha():
        return False
    if not birth.isdigit() or not all(c.isalpha() or c == "9" for c in initials):
        return False
    month = int(birth[1:3])
    if month > 50:
        month -= 50
    day = int(birth[3:5])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return tail[0].isdigit() and tail[1:].isalnum()


@validator
def sort_code_and_account(value: str) -> bool:
    """A sort code (three pairs of digits) and an 8-digit account number are both present."""
    digits = re.findall(r"\d+", value)
    flat = "".join(digits)
    return len(flat) == 14 and not flat.startswith("00000000", 6)


@validator
def passport(value: str) -> bool:
    """Nine digits, not all the same."""
    v = compact(value)
    return len(v) == 9 and v.isdigit() and len(set(v)) > 1
