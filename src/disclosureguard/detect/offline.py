"""Email domains checked against the public suffix list bundled with tldextract, offline.

Presidio's email recogniser calls ``tldextract.extract``, whose default extractor tries to
download the public suffix list at first use. Nothing here may touch the network, so the
extractor is built with no URLs (the bundled snapshot) and no cache directory.

``OfflineEmailRecognizer`` is built on first use: importing Presidio costs seconds of
start-up, and a scan needs only :func:`email_domain`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import tldextract


@cache
def extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def email_domain(value: str) -> bool:
    """True when the part after ``@`` ends in a public suffix (example.org, gov.je...)."""
    return extractor()(value.rpartition("@")[2]).fqdn != ""


@cache
def _recogniser_class() -> type:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
        """Presidio's email recogniser, validating domains without any network access."""

        def validate_result(self, pattern_text: str) -> bool:
            return email_domain(pattern_text)

    return OfflineEmailRecognizer


def __getattr__(name: str) -> Any:
    if name == "OfflineEmailRecognizer":
        return _recogniser_class()
    raise AttributeError(name)
