"""Batch sources, recipients CSV and checkpoint: no scanner needed."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from batch_corpus import CORPUS_ITEMS, build_corpus
from disclosureguard.batch.checkpoint import Checkpoint
from disclosureguard.batch.progress import Progress
from disclosureguard.batch.recipients_csv import load_recipients
from disclosureguard.batch.sources import ItemReadError, count_items, iter_items
from disclosureguard.errors import ConfigError


def test_folder_zip_and_mbox_become_one_item_per_file_member_and_message(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    items = list(iter_items(corpus.sources))
    paths = [i.path for i in items]
    assert len(items) == CORPUS_ITEMS == count_items(corpus.sources)
    assert len(set(paths)) == len(paths)
    assert str(corpus.letter_to_father) in paths
    assert f"{tmp_path / 'old-cases.zip'}!/2024/mail/to-father.eml" in paths
    assert [p for p in paths if "#" in p] == [f"{tmp_path / 'sent.mbox'}#{n}" for n in (1, 2, 3)]
    assert not any(".hidden-draft" in p for p in paths)


def test_mbox_messages_are_split_without_their_separator_line(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    messages = [i for i in iter_items([corpus.root / "sent.mbox"])]
    first = messages[0].read(10_000)
    assert first is not None and first.startswith(b"From: Priya Shah")
    assert b"From priya.shah@gov.je Mon" not in first
    assert messages[0].container == str(corpus.root / "sent.mbox") and messages[0].member == "message 1"


def test_fingerprints_are_stable_and_change_with_the_file(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    before = {i.path: i.fingerprint for i in iter_items(corpus.sources)}
    assert before == {i.path: i.fingerprint for i in iter_items(corpus.sources)}
    corpus.letter_to_father.write_text("changed")
    after = {i.path: i.fingerprint for i in iter_items(corpus.sources)}
    changed = [p for p in before if before[p] != after[p]]
    assert changed == [str(corpus.letter_to_father)]


def test_the_output_folder_inside_a_source_is_not_scanned(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    out = corpus.root / "archive" / "sweep"
    out.mkdir()
    (out / "verdicts.jsonl").write_text("{}")
    assert not any("sweep" in i.path for i in iter_items([corpus.root / "archive"], exclude=[out]))


def test_a_corrupt_zip_member_reads_as_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("a.txt", "hello " * 1000)
    data = good.read_bytes()
    bad.write_bytes(data[:30] + b"\0" * 40 + data[70:])  # the local header survives, the member does not
    causes = []
    for item in iter_items([bad]):  # an item is read before the next is asked for, as the runner does
        with pytest.raises(ItemReadError) as e:
            item.read(1_000_000)
        causes.append(e.value.cause)
    assert causes == ["corrupt"]


def test_an_item_over_the_size_limit_reads_as_none(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    [item] = iter_items([tmp_path])
    assert item.read(1000) is None
    assert item.read(5000) == b"x" * 2000


def test_recipients_csv_maps_item_paths_to_addresses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("Path,Recipients\nletters/a.txt,MJones@example.net; dsl@stmarys.sch.je\n"
                        "old.zip!/x/b.txt,a@b.example\n")
    mapping = load_recipients(csv_path)
    assert mapping[str(tmp_path / "letters" / "a.txt")] == ("mjones@example.net", "dsl@stmarys.sch.je")
    assert mapping[f"{tmp_path / 'old.zip'}!/x/b.txt"] == ("a@b.example",)


def test_recipients_csv_without_its_columns_is_rejected_with_the_file_named(tmp_path: Path) -> None:
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("file,to\nx.txt,a@b.example\n")
    with pytest.raises(ConfigError, match=r"r\.csv: header: columns path, recipients"):
        load_recipients(csv_path)


def _record(path: str, decision: str = "block") -> dict:
    return {"path": path, "size": 1, "mtime": None, "sha256": "0" * 64, "decision": decision,
            "errors": [], "reasons": [], "findings": [], "recipients": []}


def test_checkpoint_remembers_items_and_is_private(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    cp = Checkpoint(db, {"values": True})
    assert not cp.is_done("/a", "f1")
    assert cp.commit(_record("/a"), "f1") is False
    assert cp.commit(_record("/a", "allow"), "f2") is True
    cp.close()
    cp = Checkpoint(db, {"values": True})
    assert cp.is_done("/a", "f2") and not cp.is_done("/a", "f1")
    assert cp.count() == 1 and cp.decision_counts() == {"allow": 1}
    cp.close()
    for f in tmp_path.iterdir():
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600, f


def test_checkpoint_refuses_to_resume_with_other_settings(tmp_path: Path) -> None:
    Checkpoint(tmp_path / "c.sqlite", {"values": True, "policy": None}).close()
    with pytest.raises(ConfigError, match="values"):
        Checkpoint(tmp_path / "c.sqlite", {"values": False, "policy": None})


def test_progress_shows_files_rate_eta_and_decisions_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, enabled=True, interval=0)
    progress.total = 10
    progress.skipped()
    progress.scanned_one("block", errors=0)
    progress.scanned_one("allow", errors=1)
    progress.finish()
    last = stream.getvalue().rsplit("\r", 1)[-1]
    assert "3/10 files" in last and "/s" in last and "ETA" in last
    assert "block 1" in last and "allow 1" in last and "errors 1" in last


def test_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()  # isatty() is False
    progress = Progress(stream=stream)
    progress.scanned_one("block", errors=0)
    progress.finish()
    assert stream.getvalue() == ""
