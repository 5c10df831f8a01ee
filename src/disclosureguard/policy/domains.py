"""Match an address's domain to the organisation's domains: whole labels, most specific wins."""

from __future__ import annotations

from .model import Organisation


def _specificity(host: str, pattern: str) -> tuple[int, int] | None:
    """How specifically ``pattern`` matches ``host``, or None if it does not.

    ``gov.je`` matches gov.je and any subdomain; ``*.sch.je`` matches only subdomains.
    Longer patterns are more specific; an exact pattern beats a wildcard of the same length.
    """
    if pattern.startswith("*."):
        base = pattern[2:]
        if host.endswith("." + base):
            return (base.count(".") + 1, 0)
        return None
    if host == pattern or host.endswith("." + pattern):
        return (pattern.count(".") + 1, 1)
    return None


def domain_class(address: str, org: Organisation) -> str | None:
    """``internal``, ``partner`` or None for an email address."""
    if "@" not in address:
        return None
    host = address.rsplit("@", 1)[1].strip().lower().rstrip(".")
    best: tuple[tuple[int, int], str] | None = None
    for cls, patterns in (("internal", org.internal_domains), ("partner", org.partner_domains)):
        for pattern in patterns:
            score = _specificity(host, pattern)
            if score is not None and (best is None or score > best[0]):
                best = (score, cls)
    return best[1] if best else None
