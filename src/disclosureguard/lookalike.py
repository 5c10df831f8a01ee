"""Addresses that look like a known one: a typed or autocompleted slip of one character in the
name part, a misspelt or wrong-suffix domain (``gmial.com``, ``nhs.com`` for ``nhs.net``), or a
colleague's name on an outside domain.

The case index keeps addresses only as keyed hashes, so a known address is never compared in
clear: the variants of the typed address are hashed and looked up. A variant that is a known
address is the suggestion; it is the organisation's own record of that person, shown to the
sender with whose it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

# Characters of the name part of an address, for single-character substitutions and insertions.
_LOCAL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-"
_MAX_LOCAL = 64
# Well-known mail domains. A domain within an edit or two of one of these (and not itself one)
# is a slip; the list includes near neighbours that are real (mail.com, gmx.com, mac.com), so
# that they are never taken for slips.
COMMON_DOMAINS = (
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com", "live.co.uk",
    "yahoo.com", "yahoo.co.uk", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "mail.com",
    "gmx.com", "gmx.co.uk", "btinternet.com", "sky.com", "talktalk.net", "virginmedia.com", "protonmail.com",
    "proton.me", "nhs.net", "nhs.uk",
)  # fmt: skip
_GENERIC_SUFFIXES = frozenset({"com", "net", "org"})


@dataclass(frozen=True)
class Near:
    """A known address the typed one looks like, and what made it near."""

    address: str
    how: str  # "one character", "domain", "outside domain"


def damerau(a: str, b: str, cap: int = 3) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours), capped."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], cap)


def one_edit(text: str) -> Iterator[str]:
    """Every string one deletion, swap, substitution or insertion away from ``text``."""
    seen = {text}
    for i in range(len(text)):
        for v in (text[:i] + text[i + 1 :], text[:i] + text[i + 1 : i + 2] + text[i] + text[i + 2 :]):
            if v not in seen:
                seen.add(v)
                yield v
        for c in _LOCAL_CHARS:
            v = text[:i] + c + text[i + 1 :]
            if v not in seen:
                seen.add(v)
                yield v
    for i in range(len(text) + 1):
        for c in _LOCAL_CHARS:
            v = text[:i] + c + text[i:]
            if v not in seen:
                seen.add(v)
                yield v


def near_domains(domain: str, known: Iterable[str]) -> list[str]:
    """Known domains that ``domain`` looks like a slip of: one or two edits (one for short
    domains), or the same name under another suffix (``nhs.com`` for ``nhs.net``). A wildcard
    ``*.sch.je`` stands for any name under it."""
    out: list[str] = []
    for k in dict.fromkeys(known):
        if k.startswith("*."):
            base = k[2:]
            head, _, rest = domain.partition(".")
            if rest and rest != base and not domain.endswith("." + base) and _slip(rest, base):
                out.append(f"{head}.{base}")
            continue
        if domain != k and _slip(domain, k):
            out.append(k)
    return out


def _slip(domain: str, known: str) -> bool:
    d_name, _, d_suffix = domain.partition(".")
    k_name, _, k_suffix = known.partition(".")
    if d_name != k_name:
        return damerau(domain, known) <= (1 if len(known) < 8 else 2)
    # A generic suffix typed for the known one (nhs.com for nhs.net, sch.com for sch.je); another
    # country's suffix is another organisation (gov.uk is not a slip of gov.je).
    return d_name == k_name and d_suffix != k_suffix and len(d_name) >= 3 and d_suffix in _GENERIC_SUFFIXES


def lookalike(address: str, is_known: Callable[[str], bool], known_domains: Iterable[str],
              internal_domains: Iterable[str]) -> Near | None:
    """The known address ``address`` most likely meant, if it is not itself known.

    ``is_known`` answers for one address (a keyed-hash lookup); ``known_domains`` are domains
    in clear (the organisation's, its partners', common mail providers)."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at or not local or not domain or len(local) > _MAX_LOCAL or is_known(address.lower()):
        return None
    domains = list(dict.fromkeys(known_domains))
    internal = [d for d in internal_domains if not d.startswith("*.")]
    if domain not in internal:
        for d in internal:  # a colleague's name on an outside domain
            if is_known(f"{local}@{d}"):
                return Near(f"{local}@{d}", "outside domain")
    corrected = near_domains(domain, domains) if domain not in domains else []
    for d in corrected:
        if is_known(f"{local}@{d}"):
            return Near(f"{local}@{d}", "domain")
    for d in [domain, *corrected]:
        for v in one_edit(local):
            if v and is_known(f"{v}@{d}"):
                return Near(f"{v}@{d}", "one character")
    for d in corrected:
        if d in internal or d in domains:
            return Near(f"{local}@{d}", "domain")
    return None
