"""The library entry point: ``Scanner`` wires extract → detect → attribute → decide."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import library_logs  # noqa: F401  (installed on import: library log lines carry no input)
from .cases import CaseContext
from .detect import Detector
from .errors import ExtractionError, InputError
from .extract import ExtractContext, extract
from .judge import CasesSource, Judge, ScannerConfig
from .limits import Limits
from .model import Analysis, Document, Problem, Verdict
from .policy import Policy
from .source import Source, oversize_problem, read_source
from .spacy_model import DEFAULT_MODEL

if TYPE_CHECKING:
    from .redact import RedactionResult


class Scanner:
    """Loads the model, the case index and the policy once; scans many documents.

    >>> scanner = Scanner(cases="samples/cases")
    >>> scanner.scan("samples/letters/letter-to-father.txt").decision.label
    'block'
    """

    def __init__(
        self,
        cases: CasesSource = None,
        policy: str | os.PathLike[str] | Policy | None = None,
        *,
        model: str | None = DEFAULT_MODEL,
        catalogues: Sequence[str | os.PathLike[str]] = (),
        limits: Limits | None = None,
        history: str | os.PathLike[str] | None = None,
    ) -> None:
        self.judge = Judge(cases, policy, history)
        self.limits = limits or Limits()
        self.detector = Detector(model=model, catalogues=[Path(c) for c in catalogues])

    @classmethod
    def from_config(cls, config: ScannerConfig) -> Scanner:
        return cls(
            cases=list(config.cases) or None,
            policy=config.policy,
            model=config.model,
            catalogues=config.catalogues,
            limits=config.limits,
            history=config.history,
        )

    @property
    def policy(self) -> Policy:
        return self.judge.policy

    @property
    def cases(self) -> CaseContext:
        return self.judge.cases

    def scan(
        self,
        source: Source,
        to: Sequence[str] | None = None,
        *,
        name: str | None = None,
        media_type: str | None = None,
    ) -> Verdict:
        """Scan a path, bytes or a binary file object. ``to`` overrides the recipients."""
        return self.analyse(source, to, name=name, media_type=media_type).verdict

    def scan_text(self, text: str, to: Sequence[str] | None = None, *, name: str | None = None) -> Verdict:
        """Scan a string: the text is the document (plain text), never a path to one.

        ``name`` is what the verdict calls it (default ``<text>``).

        >>> Scanner(cases="samples/cases", model=None).scan_text(
        ...     "Dear Mr Jones, Sarah now lives at Flat 3, 8 Seaview Terrace, St Brelade, JE3 8XY."
        ... ).decision
        block
        """
        if not isinstance(text, str):
            raise InputError(f"scan_text takes a str, not {type(text).__name__}: use scan() for bytes or a file")
        return self.scan(text.encode("utf-8"), to, name=text_name(name), media_type="text/plain")

    def analyse(
        self,
        source: Source,
        to: Sequence[str] | None = None,
        *,
        name: str | None = None,
        media_type: str | None = None,
    ) -> Analysis:
        """Like :meth:`scan`, keeping the document, segments and findings (for redaction)."""
        data, display = read_source(source, name, self.limits)
        if data is None:
            document = Document(name=display, media_type="application/octet-stream",
                                problems=(oversize_problem(display, self.limits),))
        else:
            document = extract(data, display, ExtractContext(limits=self.limits), media_type=media_type)
        segments = document.all_segments()
        problems = list(document.all_problems())
        try:
            found = self.detector.detect(segments)
        except ExtractionError as e:  # a pattern that ran out of time: the text was not fully checked
            problems.append(Problem(display, e.cause, f"detection stopped: {e}"))
            found = []
        except Exception as e:  # a recogniser that failed is a reason, never an allow
            problems.append(Problem(display, "detector-failed", f"detection failed ({type(e).__name__})"))
            found = []
        notes = list(self.detector.notes)
        if not segments and not problems:
            notes.append("the document holds no text")
        findings, recipients, verdict = self.judge.judge(
            display, document, segments, found, problems, to, notes, self.detector.degraded
        )
        return Analysis(data or b"", display, document, segments, findings, recipients, verdict)

    def close(self) -> None:
        """Nothing to release: the model, index and policy live in this object and go with it.
        Here so that a shell holding any :class:`~.scan_service.ScanService` closes it the same way."""

    def __enter__(self) -> Scanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def redact(
        self,
        source: Source,
        to: Sequence[str] | None = None,
        *,
        entities: Collection[str] | None = None,
        all: bool = False,
        operators: Mapping[str, str] | None = None,
        name: str | None = None,
        media_type: str | None = None,
    ) -> RedactionResult:
        """A verified redacted copy of ``source``.

        By default it removes the findings behind this recipient's redact or block reasons;
        ``entities`` picks types instead, ``all=True`` removes every finding. Raises
        ``RedactionError`` (or ``VerificationFailed``) and writes nothing when a removed value
        could still be found in the output.
        """
        from .redact import redact_analysis  # late: keeps presidio-anonymizer out of scan-only use

        analysis = self.analyse(source, to, name=name, media_type=media_type)
        return redact_analysis(analysis, entities=entities, all=all, operators=operators)


def text_name(name: str | None) -> str:
    """The name of text scanned as text: a name that says another format ("notes.pdf") is marked,
    so that nothing reads the text as that format."""
    if not name:
        return "<text>"
    suffix = Path(name).suffix.lower()
    return name if suffix in ("", ".txt", ".text") else f"{name} (as text)"


def scan(
    source: Source,
    to: Sequence[str] | None = None,
    *,
    cases: CasesSource = None,
    policy: str | os.PathLike[str] | Policy | None = None,
    name: str | None = None,
    media_type: str | None = None,
    model: str | None = DEFAULT_MODEL,
) -> Verdict:
    """One-off convenience: builds a Scanner (loads the model) and scans one source."""
    return Scanner(cases=cases, policy=policy, model=model).scan(source, to, name=name, media_type=media_type)
