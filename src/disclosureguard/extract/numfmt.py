"""A cell's value as a spreadsheet shows it, under its number format.

An NHS number kept as the number 9434765919 with the format ``000 000 0000`` is read as
"943 476 5919"; a date of birth kept as the serial 41700 with ``dd/mm/yyyy`` as "02/03/2014".
Recognisers look for what a reader sees, so extraction renders the common Excel format
codes: digit placeholders (``0 # ?``), literals, thousands separators, percentages, and
date and time tokens. A code this module does not understand falls back to the general
form (the plain number), which still holds every digit of the value.

No kept library renders Excel number formats in Python (openpyxl keeps the code, calamine
drops it), so this small renderer is our own.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_BRACKET = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"([^"]*)"')
_DATE_TOKENS = re.compile(
    r"yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|A/P|\.0+", re.IGNORECASE
)
_HIDES_VALUE = re.compile(r"^;;;?$")
_EPOCH_1900 = dt.datetime(1899, 12, 30)


def general(value: float | int) -> str:
    """The General format: integers without a decimal point, others to 10 significant digits."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = f"{value:.10g}"
    return text


def hides_value(code: str | None) -> bool:
    """``;;;`` shows nothing whatever the cell holds: the value is there, but nobody sees it."""
    return code is not None and _HIDES_VALUE.match(code.strip()) is not None


@lru_cache(maxsize=256)
def is_date_format(code: str | None) -> bool:
    if not code:
        return False
    bare = _QUOTED.sub("", _BRACKET.sub("", code))
    bare = re.sub(r"\\.", "", bare)
    return re.search(r"[dmyhs]", bare, re.IGNORECASE) is not None and not re.search(r"[0#?]", bare)


def serial_to_datetime(serial: float) -> dt.datetime | None:
    """An Excel 1900-system serial as a date (the 1900 leap-year bug is Excel's, kept here)."""
    if not 0 < serial < 2958466:  # up to 31/12/9999
        return None
    return _EPOCH_1900 + dt.timedelta(days=serial)


def _section(code: str, value: float) -> tuple[str, bool]:
    """The section of a ``pos;neg;zero;text`` code that applies, and whether it drops the sign."""
    sections = code.split(";")
    if len(sections) >= 2 and value < 0:
        return sections[1], True
    if len(sections) >= 3 and value == 0:
        return sections[2], False
    return sections[0], False


def format_date(value: dt.datetime | dt.date | dt.time, code: str) -> str:
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    pieces, twelve_hour = _date_pieces(code)
    return "".join(text if kind == "lit" else _date_token(value, text, text, kind == "min", twelve_hour)
                   for kind, text in pieces)


@lru_cache(maxsize=256)
def _date_pieces(code: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """A date code parsed once: ("lit", text), ("tok", token) or ("min", minutes token)."""
    section = _BRACKET.sub("", code.split(";")[0])
    twelve_hour = re.search(r"AM/PM|A/P", section, re.IGNORECASE) is not None
    out: list[tuple[str, str]] = []
    last_was_hour = False
    pos = 0
    while pos < len(section):
        ch = section[pos]
        if ch == '"':
            end = section.find('"', pos + 1)
            end = len(section) if end < 0 else end
            out.append(("lit", section[pos + 1 : end]))
            pos = end + 1
            continue
        if ch == "\\" and pos + 1 < len(section):
            out.append(("lit", section[pos + 1]))
            pos += 2
            continue
        if ch in "_*" and pos + 1 < len(section):
            out.append(("lit", " " if ch == "_" else ""))
            pos += 2
            continue
        m = _DATE_TOKENS.match(section, pos)
        if not m:
            out.append(("lit", ch))
            pos += 1
            continue
        low = m.group(0).lower()
        # "m" is minutes right after an hour or right before seconds, months otherwise
        minutes_here = low in ("m", "mm") and (last_was_hour or section[m.end() : m.end() + 2].lower() in (":s", ":ss"))
        out.append(("min" if minutes_here else "tok", low))
        last_was_hour = low in ("h", "hh")
        pos = m.end()
    return tuple(out), twelve_hour


def _date_token(value: dt.datetime, low: str, token: str, minutes: bool, twelve_hour: bool) -> str:
    hour = value.hour % 12 or 12 if twelve_hour else value.hour
    table = {
        "yyyy": f"{value.year:04d}",
        "yy": f"{value.year % 100:02d}",
        "mmmmm": value.strftime("%B")[:1],
        "mmmm": value.strftime("%B"),
        "mmm": value.strftime("%b"),
        "mm": f"{value.minute:02d}" if minutes else f"{value.month:02d}",
        "m": str(value.minute) if minutes else str(value.month),
        "dddd": value.strftime("%A"),
        "ddd": value.strftime("%a"),
        "dd": f"{value.day:02d}",
        "d": str(value.day),
        "hh": f"{hour:02d}",
        "h": str(hour),
        "ss": f"{value.second:02d}",
        "s": str(value.second),
        "am/pm": "AM" if value.hour < 12 else "PM",
        "a/p": "A" if value.hour < 12 else "P",
    }
    if low.startswith("."):
        return ("." + f"{value.microsecond:06d}")[: len(low)]
    return table.get(low, token)


def format_number(value: float | int, code: str | None) -> str:
    """``value`` as shown under ``code``; the general form when the code is not understood."""
    if isinstance(value, bool):
        return general(value)
    if not code or code.strip().lower() in ("general", "@"):
        return general(value)
    if hides_value(code):
        return ""
    if is_date_format(code):
        moment = serial_to_datetime(float(value))
        return format_date(moment, code) if moment is not None else general(value)
    section, drop_sign = _section(code, float(value))
    try:
        shown = _digits(abs(value) if drop_sign else value, section)
    except (ValueError, OverflowError):
        return general(value)
    return shown if shown is not None else general(value)


@lru_cache(maxsize=256)
def _literal_pieces(section: str) -> list[tuple[str, str]]:
    """The code as (kind, text) pieces: placeholders, '.', ',', '%', 'E', and literals."""
    pieces: list[tuple[str, str]] = []
    pos = 0
    section = _BRACKET.sub("", section)
    while pos < len(section):
        ch = section[pos]
        if ch == '"':
            end = section.find('"', pos + 1)
            end = len(section) if end < 0 else end
            pieces.append(("lit", section[pos + 1 : end]))
            pos = end + 1
        elif ch == "\\" and pos + 1 < len(section):
            pieces.append(("lit", section[pos + 1]))
            pos += 2
        elif ch == "_" and pos + 1 < len(section):
            pieces.append(("lit", " "))
            pos += 2
        elif ch == "*" and pos + 1 < len(section):
            pos += 2
        elif ch in "0#?":
            pieces.append(("ph", ch))
            pos += 1
        elif ch in ".,%":
            pieces.append((ch, ch))
            pos += 1
        elif ch in "Ee/":
            pieces.append(("unsupported", ch))
            pos += 1
        else:
            pieces.append(("lit", ch))
            pos += 1
    return pieces


def _digits(value: float | int, section: str) -> str | None:
    pieces = _literal_pieces(section)
    if any(kind == "unsupported" for kind, _ in pieces) or not any(kind == "ph" for kind, _ in pieces):
        return None
    if any(kind == "%" for kind, _ in pieces):
        value = value * 100
    point = next((i for i, (kind, _) in enumerate(pieces) if kind == "."), len(pieces))
    int_part, frac_part = pieces[:point], pieces[point + 1 :]
    # A comma right after the last integer placeholder scales by a thousand; between them it groups.
    last_ph = max((i for i, (k, _) in enumerate(int_part) if k == "ph"), default=-1)
    trailing_commas = sum(1 for k, _ in int_part[last_ph + 1 :] if k == ",")
    value = value / (1000**trailing_commas)
    grouping = any(k == "," for k, _ in int_part[: last_ph + 1])
    frac_places = sum(1 for k, _ in frac_part if k == "ph")
    negative = value < 0
    rounded = f"{abs(value):.{frac_places}f}"
    int_digits, _, frac_digits = rounded.partition(".")
    if int_digits == "0" and any(k == "ph" and c != "0" for k, c in int_part if k == "ph"):
        int_digits = "" if not any(c == "0" for k, c in int_part if k == "ph") else "0"
    text = _grouped(int_digits, int_part) if grouping else _fill_integer(int_digits, int_part)
    if frac_part or point < len(pieces):
        text += "." + _fill_fraction(frac_digits, frac_part)
    return ("-" if negative else "") + text


def _fill_integer(digits: str, pieces: list[tuple[str, str]]) -> str:
    """Digits into placeholders from the right; extra digits go before the first placeholder."""
    out: list[str] = []
    remaining = list(digits)
    first_ph = next((i for i, (k, _) in enumerate(pieces) if k == "ph"), len(pieces))
    for i in range(len(pieces) - 1, -1, -1):
        kind, ch = pieces[i]
        if kind == "ph":
            if remaining:
                out.append(remaining.pop())
            elif ch == "0":
                out.append("0")
            elif ch == "?":
                out.append(" ")
            if i == first_ph and remaining:
                out.append("".join(remaining))
                remaining = []
        elif kind in ("lit", "%"):
            out.append(ch)
    return "".join(reversed(out))


def _grouped(digits: str, pieces: list[tuple[str, str]]) -> str:
    minimum = sum(1 for k, c in pieces if k == "ph" and c == "0")
    digits = digits.rjust(minimum, "0") if digits else "0" * minimum
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    if digits:
        groups.insert(0, digits)
    prefix = "".join(c for k, c in pieces[: next((i for i, (k, _) in enumerate(pieces) if k == "ph"), 0)]
                     if k == "lit")
    last_ph = max((i for i, (k, _) in enumerate(pieces) if k == "ph"), default=-1)
    suffix = "".join(c for k, c in pieces[last_ph + 1 :] if k in ("lit", "%"))
    return prefix + ",".join(groups) + suffix


def _fill_fraction(digits: str, pieces: list[tuple[str, str]]) -> str:
    out: list[str] = []
    remaining = list(digits)
    for kind, ch in pieces:
        if kind == "ph":
            digit = remaining.pop(0) if remaining else "0"
            out.append(digit)
        elif kind in ("lit", "%"):
            out.append(ch)
    text = "".join(out)
    # '#' and '?' drop trailing zeros of the fraction
    placeholders = [c for k, c in pieces if k == "ph"]
    while placeholders and placeholders[-1] != "0" and text and text[-1] == "0":
        placeholders.pop()
        text = text[:-1]
    return text
