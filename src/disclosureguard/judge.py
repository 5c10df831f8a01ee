"""Policy and case context without the language model: who the recipients are, and the decision.

The Scanner uses it after detection; a process that must answer without a model (the parent
of a pool of scanning workers, when a worker timed out or died) uses it alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .cases import CaseContext, load_cases
from .extract.email import parse_headers_only
from .limits import Limits
from .model import Action, Document, Finding, Problem, Recipient, RecipientClass, Segment, Verdict
from .own_details import OwnDetails
from .policy import Policy, decide, load_policy
from .policy.rules_recipients import DEFAULT_LEARNING_DAYS
from .published_judgment import public_record_note
from .recipient_facts import message_facts
from .recipient_history import RecipientHistory
from .recipients import resolve
from .roles import assign_roles, warm_up_roles
from .spacy_model import DEFAULT_MODEL

CasesSource = str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | CaseContext | None


@dataclass(frozen=True)
class ScannerConfig:
    """Everything needed to build a Scanner again in another process (picklable)."""

    cases: tuple[str, ...] = ()
    policy: str | None = None
    model: str | None = DEFAULT_MODEL
    catalogues: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    history: str | None = None  # the recipient history file (recipient_history.py), if any


class Judge:
    def __init__(self, cases: CasesSource = None, policy: str | os.PathLike[str] | Policy | None = None,
                 history: str | os.PathLike[str] | RecipientHistory | None = None) -> None:
        self.policy = load_policy(policy)
        self.cases = load_cases(cases)
        self._own_details = OwnDetails(self.policy.organisation)
        self.history = RecipientHistory(history) if isinstance(history, str | os.PathLike) else history
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
        attribution = self.cases.attribution(segments)  # the matcher's one run over the document
        attributed = assign_roles(segments, self.cases.attribute(segments, findings, attribution),
                                  self.policy.organisation)
        kept = [f for f in _dedupe(self._own_details.remove(attributed)) if f.score >= self.policy.min_score]
        kept.sort(key=lambda f: (f.segment, f.start, f.end, f.entity_type))
        recipients = resolve(to, document, segments, self.policy.organisation, self.cases, attribution)
        facts = message_facts(document, segments, recipients, self.policy.organisation, self.cases, attribution)
        carried = _cases_carried(kept)
        if self.history is not None:
            facts = replace(facts, new_cases=self._new_cases(carried, recipients))
        verdicts, reasons = decide(kept, recipients, problems, self.policy, message=facts)
        if self.history is not None:
            # What went (anything short of a block) is what the history learns.
            self.history.learn([(case, v.recipient.address) for v in verdicts if v.decision != Action.BLOCK
                                and _outside(v.recipient) for case in carried], date.today())
        verdict = Verdict(
            source=display,
            decision=max((v.decision for v in verdicts), default=Action.BLOCK),
            recipients=verdicts,
            findings=tuple(kept),
            reasons=reasons,
            errors=tuple(problems),
            # A rule switched off is said in every verdict; so are names taken as a judgment's public record.
            notes=(*notes, *_public_record_notes(kept), *self.policy.notes),
            degraded=degraded,
        )
        return tuple(kept), recipients, verdict

    def _new_cases(self, carried: Sequence[str], recipients: Sequence[Recipient]) -> dict[str, tuple[str, ...]]:
        assert self.history is not None
        rules = [r for r in self.policy.rules if r.when == "new-recipient"]
        if not rules or not carried:
            return {}
        days = rules[0].limit if rules[0].limit is not None else DEFAULT_LEARNING_DAYS
        if self.history.learning(date.today(), days):
            return {}
        history = self.history
        out = {r.address: tuple(c for c in carried if not history.known(c, r.address))
               for r in recipients if _outside(r)}
        return {a: cs for a, cs in out.items() if cs}

    def failure(self, display: str, data: bytes | None, to: Sequence[str] | None, problem: Problem) -> Verdict:
        """The verdict for a document that could not be scanned at all (timed out, crashed a worker)."""
        envelope = parse_headers_only(data) if data and not to else None
        document = Document(name=display, media_type="application/octet-stream", envelope=envelope)
        return self.judge(display, document, (), (), (problem,), to)[2]


def _public_record_notes(findings: Sequence[Finding]) -> tuple[str, ...]:
    note = public_record_note(findings)
    return (note,) if note else ()


def _outside(r: Recipient) -> bool:
    return r.cls != RecipientClass.INTERNAL and "@" in r.address


def _cases_carried(findings: Sequence[Finding]) -> list[str]:
    """The cases whose data the message carries: not the addresses it is sent to, and not a
    professional's name or contact details (the social worker signing is in every case she
    holds; her signature is not the family's data)."""
    return list(dict.fromkeys(f.case for f in findings
                              if f.case and not f.is_addressing and f.person_role != "professional"))


def _dedupe(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per place and type: the attributed, then the higher-scoring, one wins."""
    best: dict[tuple[int, int, int, str], Finding] = {}
    for f in findings:
        key = (f.segment, f.start, f.end, f.entity_type)
        old = best.get(key)
        if old is None or (f.case is not None, f.score) > (old.case is not None, old.score):
            best[key] = f
    return list(best.values())
