"""Where a data file of the shipped catalogue lives: in the wheel, or in the repository's recognizers/.

No import of detect, so the model-less parent of a worker pool can load word lists cheaply.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ConfigError


def catalogue_file(relative: str | Path, what: str) -> Path:
    """The path of ``relative`` in the catalogue; ``what`` names it in the error when it is missing."""
    here = Path(__file__).resolve().parent
    for folder in (here / "catalogue", here.parent.parent / "recognizers"):
        if (folder / relative).is_file():
            return folder / relative
    raise ConfigError("catalogue", str(relative), f"the shipped {what} (looked in {here / 'catalogue'})")
