"""Fenced blocks and command lines of README.md and docs/*.md, for the documentation tests."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ("python", "sh")  # run by tests/test_docs_snippets.py; every other language is an illustration
_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")


@dataclass(frozen=True)
class Block:
    file: Path
    line: int
    lang: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i + 1
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        out.append(Block(path, start, lang, "\n".join(body) + "\n"))
        i += 1
    return out


def shell_commands(code: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, blank and comment lines dropped."""
    commands: list[str] = []
    current = ""
    for line in code.splitlines():
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            commands.append(current.strip())
        current = ""
    return commands


_INVOCATION = re.compile(r"(?:^|[\s/`(])disclosureguard((?:\s+[^\s|;&>#`]+)+)")
_STOP = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "#"}


def invocations(path: Path) -> list[tuple[str, list[str]]]:
    """Every ``disclosureguard ARGS`` written in a file (code blocks and inline code), as tokens."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    found: list[tuple[str, list[str]]] = []
    spans = [b.code for b in blocks(path) if b.lang != "python"] + re.findall(r"`([^`\n]+)`", text)
    for span in spans:
        for line in span.replace("\\\n", " ").splitlines():
            for m in _INVOCATION.finditer(line):
                try:
                    tokens = shlex.split(m.group(1), comments=True)
                except ValueError:
                    tokens = m.group(1).split()
                cut = next((i for i, t in enumerate(tokens) if t in _STOP), len(tokens))
                found.append((line.strip(), [t.strip("`'\"") for t in tokens[:cut]]))
    return found
