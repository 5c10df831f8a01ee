"""detect: segments → findings. The catalogue of recognisers lives in recognizers/ as data.

``Detector`` is what the scanner uses; ``presidio_recognizers()`` gives the same UK
recognisers to anyone running their own Presidio ``AnalyzerEngine`` (with
``OfflineEmailRecognizer`` in place of its email one). Those names are
imported on first use: Presidio costs seconds of start-up that a scan does not need.
"""

from typing import Any

from .detector import DEFAULT_MODEL, Detector

__all__ = ["DEFAULT_MODEL", "CatalogueRecognizer", "Detector", "OfflineEmailRecognizer", "presidio_recognizers"]


def __getattr__(name: str) -> Any:
    if name in ("CatalogueRecognizer", "OfflineEmailRecognizer", "presidio_recognizers"):
        from . import presidio_export

        return getattr(presidio_export, name)
    raise AttributeError(name)
