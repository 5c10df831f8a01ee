"""One name and one unit per setting: sizes in bytes or with a suffix everywhere; old spellings named."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosureguard.cli.main import cli
from disclosureguard.errors import ConfigError
from disclosureguard.judge import ScannerConfig
from disclosureguard.limits import Limits, parse_limits, parse_size
from disclosureguard.milter.config import build, read_file
from disclosureguard.model import Action

MIB = 1024 * 1024


@pytest.mark.parametrize(("text", "size"), [("512", 512), ("100K", 100 * 1024), ("50M", 50 * MIB),
                                            ("50MiB", 50 * MIB), ("2G", 2048 * MIB), ("1.5G", 1536 * MIB)])
def test_a_size_is_bytes_or_a_number_with_a_binary_suffix(text: str, size: int):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "5X", "-1", "0.5"])
def test_a_size_that_is_not_one_is_refused(text: str):
    with pytest.raises(ValueError):
        parse_size(text)


def test_limits_take_sizes_with_suffixes():
    assert parse_limits(["max_bytes=50M", "max_decompressed_bytes=1G"]) == Limits(
        max_bytes=50 * MIB, max_decompressed_bytes=1024 * MIB)


def test_the_time_limit_has_one_spelling_and_the_other_names_it():
    with pytest.raises(ValueError, match="--time-limit SECONDS"):
        parse_limits(["time_limit=30"])


def test_milter_settings_take_the_same_units_in_the_file_and_on_the_command_line(tmp_path: Path):
    path = tmp_path / "milter.yaml"
    path.write_text("max_message_bytes: 50M\nmax_buffered_bytes: 512M\nmemory_limit: 2G\n")
    from_file = build(read_file(path), ScannerConfig())
    from_flags = build({"max_message_bytes": "50M", "memory_limit": str(2 * 1024 * MIB)}, ScannerConfig())
    assert (from_file.max_message_bytes, from_file.max_buffered_bytes, from_file.memory_limit) == (
        50 * MIB, 512 * MIB, 2048 * MIB)
    assert (from_flags.max_message_bytes, from_flags.memory_limit) == (50 * MIB, 2048 * MIB)


def test_a_memory_limit_in_the_old_mib_unit_is_refused_not_taken_as_bytes():
    with pytest.raises(ConfigError, match="2048M"):
        build({"memory_limit": "2048"}, ScannerConfig())


def test_an_old_milter_file_key_names_the_new_one(tmp_path: Path):
    path = tmp_path / "milter.yaml"
    path.write_text("max_message_size: 1000000\n")
    with pytest.raises(ConfigError, match="max_message_bytes"):
        read_file(path)


@pytest.mark.parametrize(
    ("args", "names"),
    [(["--max-message-size", "5000000"], "--max-message-bytes"),
     (["--limit", "time_limit=30"], "--time-limit SECONDS")],
)
def test_old_milter_flags_stop_it_with_one_line_naming_the_new_one(args: list[str], names: str):
    result = CliRunner().invoke(cli, ["milter", "--no-model", "--listen", "inet:127.0.0.1:1", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and names in result.stderr


def test_old_mib_memory_limit_flag_stops_the_milter_before_it_starts():
    result = CliRunner().invoke(cli, ["milter", "--no-model", "--listen", "inet:127.0.0.1:1", "--memory-limit", "2048"])
    assert result.exit_code == 3 and "2048M" in result.stderr


def test_an_action_prints_as_its_label():
    assert (str(Action.BLOCK), repr(Action.WARN), f"{Action.REDACT}", f"{Action.ALLOW:>6}") == (
        "block", "warn", "redact", " allow")
    assert Action.BLOCK == 3 and max(Action.WARN, Action.BLOCK) is Action.BLOCK
