"""Case context: case files, the case index, attribution and case recipients."""

from __future__ import annotations

from .base import CaseContext, NoCases

__all__ = ["CaseContext", "NoCases"]
