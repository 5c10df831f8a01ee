"""The catalogue of what is found: one YAML definition per entity type, loaded and checked.

The shipped catalogue is the repository's ``recognizers/`` folder, which the wheel carries
as ``disclosureguard/catalogue``. An organisation adds folders of its own: a definition
there replaces the shipped one of the same entity type, or, with ``extends: true``, adds
its patterns, context words, ignored values and phrases to it.

Patterns may use three macros so that every identifier treats separators alike:
``%SEP%`` (an optional space, hyphen, dot or line break between characters), ``%START%``
and ``%END%`` (not inside a longer run of letters or digits).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex
import yaml

from ..errors import ConfigError
from ..name_parts import name_macros
from .validators import VALIDATORS

MACROS = {
    "%SEP%": r"(?:[ \t]{1,2}|[ \t]?[-./][ \t]?|[ \t]*\r?\n[ \t]*)?",
    "%START%": r"(?<![\w@/\\-])(?<!\d(?:[ \t]{1,2}|[ \t]?[-.][ \t]?))",
    "%END%": r"(?![\w@\\-]|/\w)(?!(?:[ \t]{1,2}|[ \t]?[-.][ \t]?)\d)",
}
KINDS = ("pattern", "ner", "lexicon")


@dataclass(frozen=True)
class PatternDef:
    name: str
    regex: str  # macros expanded
    ignore_case: bool = False


@dataclass(frozen=True)
class Example:
    text: str
    value: str | None = None  # for a match: the text the finding must cover
    min_score: float | None = None
    why: str = ""


@dataclass(frozen=True)
class Definition:
    """One entity type: how it is found, how sure a match is, and the examples that prove it."""

    entity_type: str
    source: str  # the file it came from, for messages
    kind: str = "pattern"
    description: str = ""
    patterns: tuple[PatternDef, ...] = ()
    score: float = 0.5  # a match that passes its validator, with no context
    context_score: float = 0.85  # the same with a context word near it
    context: tuple[str, ...] = ()
    context_before: int = 50
    context_after: int = 20
    context_required: bool = False  # without context the match is not reported
    context_gap_no_digits: bool = False  # no digit between the context word and the match
    negative_context: tuple[str, ...] = ()  # words that make the match something else
    ignore: tuple[str, ...] = ()  # values never reported (the organisation's own numbers)
    validator: str | None = None
    # A second check that only raises the score ("the number's range is allocated", "the
    # domain's suffix is public"): a value failing it is still reported, at the plain score.
    boost_validator: str | None = None
    boost: float = 0.0
    # A name standing right before the value on a record line ("Tom Le Cornu, 14/07/2011")
    # counts as context (a date after a name in a list or table row is a date of birth).
    context_name_before: bool = False
    ner_labels: tuple[str, ...] = ()
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # category → phrases
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()


def expand_macros(pattern: str) -> str:
    # %TITLE%, %PARTICLE% and %LABEL% come from the catalogue's names/name_parts.yaml.
    for key, value in {**MACROS, **name_macros()}.items():
        pattern = pattern.replace(key, value)
    return pattern


def _strs(raw: Any, file: str, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConfigError(file, key, "a list of strings")
    return tuple(raw)


def _number(raw: Any, file: str, key: str, default: float) -> float:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise ConfigError(file, key, "a number from 0 to 1")
    return float(raw)


def _examples(raw: Any, file: str, key: str) -> tuple[Example, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(file, key, "a list of examples")
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(Example(text=item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(
                Example(
                    text=item["text"],
                    value=item.get("value"),
                    min_score=item.get("min_score"),
                    why=str(item.get("why", "")),
                )
            )
        else:
            raise ConfigError(file, f"{key}[{i}]", "a string or a mapping with 'text'")
    return tuple(out)


_KNOWN_KEYS = {
    "entity_type", "kind", "description", "patterns", "score", "context_score", "context",
    "context_before", "context_after", "context_required", "context_gap_no_digits",
    "negative_context", "ignore", "validator", "boost_validator", "boost", "context_name_before",
    "ner_labels", "phrases", "examples", "extends",
}  # fmt: skip


def parse_definition(data: Any, file: str) -> tuple[Definition, bool]:
    """Check one YAML document against the schema. Returns the definition and ``extends``."""
    if not isinstance(data, dict):
        raise ConfigError(file, "", "a mapping with entity_type, patterns, examples...")
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(file, unknown[0], f"one of {', '.join(sorted(_KNOWN_KEYS))}")
    entity = data.get("entity_type")
    if not isinstance(entity, str) or not regex.fullmatch(r"[A-Z][A-Z0-9_]*", entity):
        raise ConfigError(file, "entity_type", "an upper-case name such as UK_NHS")
    kind = data.get("kind", "pattern")
    if kind not in KINDS:
        raise ConfigError(file, "kind", f"one of {', '.join(KINDS)}")
    patterns = []
    for i, p in enumerate(data.get("patterns") or []):
        if not isinstance(p, dict) or not isinstance(p.get("regex"), str):
            raise ConfigError(file, f"patterns[{i}]", "a mapping with name and regex")
        expanded = expand_macros(p["regex"])
        try:
            compiled = regex.compile(expanded)
        except regex.error as exc:
            raise ConfigError(file, f"patterns[{i}].regex", f"a valid regular expression ({exc})") from None
        if compiled.groupindex:
            raise ConfigError(file, f"patterns[{i}].regex", "no named groups (use (?:...))")
        patterns.append(PatternDef(str(p.get("name", f"{entity}-{i}")), expanded, bool(p.get("ignore_case"))))
    validator = data.get("validator")
    if validator is not None and validator not in VALIDATORS:
        raise ConfigError(file, "validator", f"one of {', '.join(VALIDATORS)}")
    boost_validator = data.get("boost_validator")
    if boost_validator is not None and boost_validator not in VALIDATORS:
        raise ConfigError(file, "boost_validator", f"one of {', '.join(VALIDATORS)}")
    phrases_raw = data.get("phrases") or {}
    if not isinstance(phrases_raw, dict):
        raise ConfigError(file, "phrases", "a mapping of category to a list of phrases")
    phrases = {str(k): _strs(v, file, f"phrases.{k}") for k, v in phrases_raw.items()}
    examples = data.get("examples") or {}
    if not isinstance(examples, dict):
        raise ConfigError(file, "examples", "a mapping with match and no_match lists")
    for key in ("context_before", "context_after"):
        if key in data and (not isinstance(data[key], int) or not 0 <= data[key] <= 500):
            raise ConfigError(file, key, "a number of characters from 0 to 500")
    definition = Definition(
        entity_type=entity,
        source=file,
        kind=kind,
        description=str(data.get("description", "")),
        patterns=tuple(patterns),
        score=_number(data.get("score"), file, "score", 0.5),
        context_score=_number(data.get("context_score"), file, "context_score", 0.85),
        context=tuple(c.lower() for c in _strs(data.get("context"), file, "context")),
        context_before=int(data.get("context_before", 50)),
        context_after=int(data.get("context_after", 20)),
        context_required=bool(data.get("context_required", False)),
        context_gap_no_digits=bool(data.get("context_gap_no_digits", False)),
        negative_context=tuple(c.lower() for c in _strs(data.get("negative_context"), file, "negative_context")),
        ignore=_strs(data.get("ignore"), file, "ignore"),
        validator=validator,
        boost_validator=boost_validator,
        boost=_number(data.get("boost"), file, "boost", 0.0),
        context_name_before=bool(data.get("context_name_before", False)),
        ner_labels=_strs(data.get("ner_labels"), file, "ner_labels"),
        phrases=phrases,
        match_examples=_examples(examples.get("match"), file, "examples.match"),
        no_match_examples=_examples(examples.get("no_match"), file, "examples.no_match"),
    )
    extends = bool(data.get("extends", False))
    if kind == "pattern" and not definition.patterns and not extends:
        raise ConfigError(file, "patterns", "at least one pattern for kind 'pattern'")
    if kind == "lexicon" and not phrases and not extends:
        raise ConfigError(file, "phrases", "at least one category of phrases for kind 'lexicon'")
    if kind == "ner" and not definition.ner_labels and not extends:
        raise ConfigError(file, "ner_labels", "the spaCy labels to report, e.g. [PERSON]")
    return definition, extends


def _merge(base: Definition, extra: Definition) -> Definition:
    phrases = {k: tuple(v) for k, v in base.phrases.items()}
    for k, v in extra.phrases.items():
        phrases[k] = phrases.get(k, ()) + v
    return replace(
        base,
        patterns=base.patterns + extra.patterns,
        context=base.context + extra.context,
        negative_context=base.negative_context + extra.negative_context,
        ignore=base.ignore + extra.ignore,
        phrases=phrases,
        match_examples=base.match_examples + extra.match_examples,
        no_match_examples=base.no_match_examples + extra.no_match_examples,
        source=f"{base.source} + {extra.source}",
    )


def shipped_folder() -> Path:
    """The catalogue inside the installed package, else the repository's recognizers/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "catalogue", here.parent.parent / "recognizers"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise ConfigError("catalogue", "", f"the shipped recognizers folder (looked in {here / 'catalogue'})")


def definition_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def load_folder(folder: Path) -> list[tuple[Definition, bool]]:
    if not folder.is_dir():
        raise ConfigError(str(folder), "", "a folder of recogniser definitions (*.yaml)")
    out = []
    for path in definition_files(folder):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(str(path), "", f"valid YAML ({exc})") from None
        out.append(parse_definition(data, str(path)))
    return out


def load_catalogue(extra_folders: Iterable[str | Path] = ()) -> list[Definition]:
    """The shipped definitions, then each extra folder's on top, by entity type."""
    by_type: dict[str, Definition] = {}
    folders: Sequence[Path] = [shipped_folder(), *(Path(f) for f in extra_folders)]
    for i, folder in enumerate(folders):
        for definition, extends in load_folder(folder):
            current = by_type.get(definition.entity_type)
            if i == 0 and current is not None:
                raise ConfigError(
                    definition.source,
                    "entity_type",
                    f"one definition per type, {definition.entity_type} is also in {current.source}",
                )
            if extends and current is not None:
                by_type[definition.entity_type] = _merge(current, definition)
            else:
                by_type[definition.entity_type] = definition
    return list(by_type.values())
