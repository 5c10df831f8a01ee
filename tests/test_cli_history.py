"""`scan --recipient-history` learns; `history show` counts; `history forget` forgets (issue 21)."""

from __future__ import annotations

from pathlib import Path

from cli_run import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_scan_learns_into_the_history_and_history_shows_and_forgets(tmp_path: Path):
    letter = tmp_path / "note.txt"
    letter.write_text("Dear Sarah,\n\nLily Smith's review is on Tuesday.\n")
    history = tmp_path / "recipients.json"
    common = ["--cases", str(ROOT / "samples/cases"), "--policy", str(ROOT / "samples/policy.yaml"), "--no-model",
              "--recipient-history", str(history)]
    p = run_cli("scan", str(letter), "--to", "sarah.smith@example.com", *common)
    assert p.returncode == 0, p.stderr
    shown = run_cli("history", "show", str(history))
    assert shown.returncode == 0, shown.stderr
    assert "CSC-2021-004512  1 address(es), 1 message(s)" in shown.stdout
    assert "sarah" not in shown.stdout + history.read_text()
    assert (history.stat().st_mode & 0o777) == 0o600 and (Path(str(history) + ".key").stat().st_mode & 0o777) == 0o600
    gone = run_cli("history", "forget", str(history), "sarah.smith@example.com", "--case", "CSC-2021-004512")
    assert gone.returncode == 0 and "forgot the address in 1 case(s)" in gone.stdout
    assert "0 case(s)" in run_cli("history", "show", str(history)).stdout


def test_a_history_that_is_not_one_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "recipients.json"
    bad.write_text("[1, 2]")
    p = run_cli("history", "show", str(bad))
    assert p.returncode == 3 and "recipient history" in p.stderr and "Traceback" not in p.stderr
