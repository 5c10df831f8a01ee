"""An address's look-alike is worked out once per case index, not in every message (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosureguard import Scanner, recipient_facts


def test_the_lookalike_of_an_address_is_found_once_per_index_and_said_every_time(
    samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    found = recipient_facts.lookalike

    def counted(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(address)
        return found(address, *args, **kwargs)

    monkeypatch.setattr(recipient_facts, "lookalike", counted)
    scanner = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None)
    messages = []
    for text in ("The meeting is on Tuesday.", "The review is on Friday."):
        verdict = scanner.scan_text(text, ["mjnoes@example.net"])
        messages += [r.message for r in verdict.reasons if r.rule == "lookalike-recipient"]
    assert calls == ["mjnoes@example.net"]
    assert len(messages) == 2 and messages[0] == messages[1] and "did you mean mjones@example.net?" in messages[0]
    # another index (a reload) works it out again: what it knows may differ
    fresh = Scanner(cases=str(samples / "cases"), policy=str(samples / "policy.yaml"), model=None)
    fresh.scan_text("The meeting is on Tuesday.", ["mjnoes@example.net"])
    assert calls == ["mjnoes@example.net"] * 2
