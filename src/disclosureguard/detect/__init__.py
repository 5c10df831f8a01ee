"""detect: segments → findings. The catalogue of recognisers lives in recognizers/ as data."""

from .detector import DEFAULT_MODEL, Detector

__all__ = ["DEFAULT_MODEL", "Detector"]
