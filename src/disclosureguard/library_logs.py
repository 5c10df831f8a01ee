"""Third-party libraries' log lines and Python warnings: never passed on with input in them.

Libraries that read documents log or warn with the document's own words in the message:
pypdf quotes strings it could not decode, PIL names chunks, openpyxl repeats extension names,
olefile stream names, Presidio and spaCy the text they were given. On import, this module
stops those loggers propagating and re-logs each record of WARNING or above under
``disclosureguard.libraries`` as a fixed sentence naming only the library, the level and
the module that complained. Python warnings (``warnings.warn``) are routed through logging
the same way, so nothing a library prints by ``showwarning`` reaches stderr either.
"""

from __future__ import annotations

import logging

# Loggers of the libraries the extractors and detectors use (pypdf's are handled, with its
# inflate-failure collector, in extract/pdf_warnings.py, and withheld the same way).
LIBRARIES = (
    "pypdf", "PIL", "lxml", "presidio-analyzer", "presidio_analyzer", "spacy", "thinc", "olefile", "openpyxl",
    "pptx", "docx", "xlrd", "python_calamine", "pytesseract", "fontTools", "extract_msg", "compressed_rtf",
    "selectolax", "html5lib", "chardet", "charset_normalizer", "tldextract", "filelock", "pdfminer",
    "pypdfium2", "pikepdf", "py.warnings", "striprtf", "bs4", "tnefparse",
)
OUT = "disclosureguard.libraries"


class Withhold(logging.Handler):
    """Re-logs a library's record without its message (which may quote input)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._out = logging.getLogger(OUT)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        self._out.log(
            logging.INFO,  # what it means for a scan is a Problem in the verdict; this is the trace
            "%s %s in %s (its message is withheld: it may quote the input)",
            record.name.split(".", 1)[0],
            record.levelname.lower(),
            record.module,
        )


WITHHOLD = Withhold()


def install() -> None:
    """Idempotent: each library logger gets the handler once and stops propagating."""
    logging.captureWarnings(True)
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        if WITHHOLD not in logger.handlers:
            logger.addHandler(WITHHOLD)
        logger.propagate = False


install()
