"""detect: segments → findings. The catalogue of recognisers lives in recognizers/ as data.

``Detector`` is what the scanner uses; ``presidio_recognizers()`` gives the same UK
recognisers to anyone running their own Presidio ``AnalyzerEngine``.
"""

from .detector import DEFAULT_MODEL, Detector
from .presidio_export import CatalogueRecognizer, presidio_recognizers

__all__ = ["DEFAULT_MODEL", "CatalogueRecognizer", "Detector", "presidio_recognizers"]
