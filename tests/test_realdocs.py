"""Real public documents are not blocked; the same documents with a child's details planted are.

The set and its licences are in tests/realdocs/README.md; ``python -m disclosureguard.realdocs``
prints the same figures with the reasons. A planted copy is the document's own text (for a PDF, the
text the extractor read) with one paragraph of a fictional child's details in the middle, scanned
through the plain-text path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard.realdocs import (
    INSIDE,
    OUTSIDE,
    PLANTED_PARAGRAPH,
    PLANTED_VALUES,
    REPO_SET,
    decision_for,
    groups,
    plant,
    planted_values_missed,
)

DOCUMENTS = [doc for _, docs in groups([REPO_SET]) for doc in docs]
pytestmark = pytest.mark.xdist_group("realdocs")


def test_the_set_has_every_kind() -> None:
    kinds = {doc.parent.name for doc in DOCUMENTS}
    assert kinds == {"ofsted", "judgments", "heldout", "govuk", "written"}
    real = [doc for doc in DOCUMENTS if doc.parent.name != "written"]  # written/ is our own wording
    assert len(real) >= 20


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: f"{d.parent.name}/{d.name}")
def test_a_public_document_is_not_blocked_outside_and_allowed_inside(scanner, doc: Path) -> None:  # type: ignore[no-untyped-def]
    analysis = scanner.analyse(doc, to=[OUTSIDE, INSIDE])
    verdict = analysis.verdict
    outside = [x.rule for x in verdict.reasons if x.recipient == OUTSIDE and x.action.label == "block"]
    assert decision_for(verdict, OUTSIDE) != "block", outside
    assert decision_for(verdict, INSIDE) == "allow"
    text = "\n\n".join(s.text for s in analysis.segments if not s.hidden)
    host = doc.read_text(encoding="utf-8") if doc.suffix == ".txt" else text
    copy = scanner.scan(plant(host).encode("utf-8"), to=[OUTSIDE], name=f"{doc.stem}-planted.txt")
    assert decision_for(copy, OUTSIDE) == "block"
    assert planted_values_missed(copy) == []


def test_planting_puts_the_paragraph_at_a_paragraph_break() -> None:
    text = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."
    planted = plant(text)
    assert planted.index("First") < planted.index(PLANTED_PARAGRAPH) < planted.index("Second")
    assert all(v in PLANTED_PARAGRAPH for v in PLANTED_VALUES.values())
    assert planted.replace(f"\n\n{PLANTED_PARAGRAPH}\n\n", "") == text
