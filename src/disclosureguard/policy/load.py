"""Load and validate a policy file. Every error names the file, the field and what was expected."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import PolicyError
from ..model import Action
from .model import CONDITIONS, CONTENT_KINDS, RECIPIENT_SELECTORS, Organisation, Policy, Rule

_TOP_KEYS = {"organisation", "rules", "min_score"}
_ORG_KEYS = {"name", "internal_domains", "partner_domains", "own_details"}
_RULE_KEYS = {"id", "when", "action", "recipients", "recipients_not", "content", "description"}


def default_policy_text() -> str:
    return resources.files(__package__).joinpath("default.yaml").read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_policy_text(), "default policy")


def load_policy(source: str | os.PathLike[str] | Policy | None) -> Policy:
    """A Policy from a file path, an existing Policy, or None for the shipped default."""
    if source is None:
        return default_policy()
    if isinstance(source, Policy):
        return source
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(str(path), "", "no such policy file") from None
    except IsADirectoryError:
        raise PolicyError(str(path), "", "is a folder, expected a policy YAML file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(str(path), "", f"cannot be read ({type(e).__name__})") from None
    return parse_policy(text, str(path))


def parse_policy(text: str, file: str) -> Policy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise PolicyError(file, where, "is not valid YAML") from None
    if not isinstance(data, dict):
        raise PolicyError(file, "", "expected a mapping with an 'organisation' block")
    _no_unknown_keys(file, "", data, _TOP_KEYS)
    if "organisation" not in data:
        raise PolicyError(file, "organisation", "is required")
    org = _organisation(file, data["organisation"])
    if "rules" in data:
        rules = _rules(file, data["rules"])
    else:
        rules = default_policy().rules if file != "default policy" else ()
    min_score = data.get("min_score", 0.5)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1:
        raise PolicyError(file, "min_score", "expected a number between 0 and 1")
    return Policy(organisation=org, rules=rules, min_score=float(min_score), source=file)


def _no_unknown_keys(file: str, where: str, data: dict[str, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            field = f"{where}.{key}" if where else str(key)
            raise PolicyError(file, field, f"unknown field; expected one of {', '.join(sorted(allowed))}")


def _str_list(file: str, field: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PolicyError(file, field, "expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _domains(file: str, field: str, value: Any) -> tuple[str, ...]:
    out = []
    for i, d in enumerate(_str_list(file, field, value)):
        d = d.lower().rstrip(".")
        bare = d[2:] if d.startswith("*.") else d
        labels = bare.split(".")
        if "@" in d or "*" in bare or not all(labels) or any(" " in label for label in labels):
            raise PolicyError(file, f"{field}[{i}]", "expected a domain such as gov.je or *.sch.je")
        out.append(d)
    return tuple(out)


def _organisation(file: str, data: Any) -> Organisation:
    if not isinstance(data, dict):
        raise PolicyError(file, "organisation", "expected a mapping")
    _no_unknown_keys(file, "organisation", data, _ORG_KEYS)
    name = data.get("name", "")
    if not isinstance(name, str):
        raise PolicyError(file, "organisation.name", "expected a string")
    return Organisation(
        name=name,
        internal_domains=_domains(file, "organisation.internal_domains", data.get("internal_domains")),
        partner_domains=_domains(file, "organisation.partner_domains", data.get("partner_domains")),
        own_details=_str_list(file, "organisation.own_details", data.get("own_details")),
    )


def _choices(file: str, field: str, value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    items = _str_list(file, field, value)
    for i, item in enumerate(items):
        if item not in allowed:
            raise PolicyError(file, f"{field}[{i}]", f"expected one of {', '.join(allowed)}; got {item!r}")
    return items


def _rules(file: str, data: Any) -> tuple[Rule, ...]:
    if not isinstance(data, list) or not data:
        raise PolicyError(file, "rules", "expected a non-empty list of rules")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise PolicyError(file, where, "expected a mapping with id, when and action")
        _no_unknown_keys(file, where, raw, _RULE_KEYS)
        for key in ("id", "when", "action"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise PolicyError(file, f"{where}.{key}", "is required (a string)")
        rule_id = raw["id"].strip()
        if rule_id in seen:
            raise PolicyError(file, f"{where}.id", f"duplicate rule id {rule_id!r}")
        seen.add(rule_id)
        if raw["when"] not in CONDITIONS:
            raise PolicyError(file, f"{where}.when", f"expected one of {', '.join(CONDITIONS)}; got {raw['when']!r}")
        try:
            action = Action.parse(raw["action"])
        except ValueError as e:
            raise PolicyError(file, f"{where}.action", str(e)) from None
        content = _choices(file, f"{where}.content", raw.get("content", ["any"]), CONTENT_KINDS) or ("any",)
        description = raw.get("description", "")
        if not isinstance(description, str):
            raise PolicyError(file, f"{where}.description", "expected a string")
        rules.append(
            Rule(
                id=rule_id,
                when=raw["when"],
                action=action,
                recipients=_choices(file, f"{where}.recipients", raw.get("recipients"), RECIPIENT_SELECTORS),
                recipients_not=_choices(
                    file, f"{where}.recipients_not", raw.get("recipients_not"), RECIPIENT_SELECTORS
                ),
                content=content,
                description=description,
            )
        )
    return tuple(rules)
