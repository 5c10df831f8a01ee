"""The --recipients CSV: who each letter was sent to (columns ``path,recipients``).

``recipients`` holds addresses separated by ``;``. ``path`` is an item's path as the reports
show it (``/abs/letter.txt``, ``/abs/archive.zip!/letters/a.txt``, ``/abs/mail.mbox#3``); a
relative path is taken from the current folder. A listed item is judged for those recipients;
an item not listed keeps its own (an email's To/Cc/Bcc, a letter's addressee).
"""

from __future__ import annotations

import csv
import os

from ..addresses import AddressError, parse_addresses
from ..errors import ConfigError
from .sources import MBOX_SEPARATOR, ZIP_SEPARATOR

REQUIRED_COLUMNS = ("path", "recipients")


def load_recipients(csv_path: str | os.PathLike[str]) -> dict[str, tuple[str, ...]]:
    name = str(csv_path)
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip().lower() for c in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                expected = f"columns {', '.join(REQUIRED_COLUMNS)} (missing {', '.join(missing)})"
                raise ConfigError(name, "header", expected)
            reader.fieldnames = columns
            out: dict[str, tuple[str, ...]] = {}
            for line, row in enumerate(reader, start=2):
                path = (row.get("path") or "").strip()
                if not path:
                    raise ConfigError(name, f"line {line}, path", "the path of a scanned file")
                given = [a.strip() for a in (row.get("recipients") or "").split(";") if a.strip()]
                try:
                    addresses = tuple(a.lower() for a in parse_addresses(given))
                except AddressError:
                    raise ConfigError(name, f"line {line}, recipients",
                                      "email addresses (name@domain) separated by ;") from None
                if not addresses:
                    raise ConfigError(name, f"line {line}, recipients", "one or more addresses separated by ;")
                out[item_key(path)] = addresses
            return out
    except FileNotFoundError:
        raise ConfigError(name, "", "no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(name, "", "a UTF-8 CSV file") from None
    except csv.Error as e:
        raise ConfigError(name, "", f"a CSV file ({e})") from None


def item_key(path: str) -> str:
    """An item path made absolute the way sources.iter_items writes it."""
    for separator in (ZIP_SEPARATOR, MBOX_SEPARATOR):
        container, sep, inner = path.partition(separator)
        if sep and (separator == ZIP_SEPARATOR or inner.isdigit()):
            return os.path.abspath(container) + sep + inner
    return os.path.abspath(path)
