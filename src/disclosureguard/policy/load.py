"""Load and validate a policy file. Every error names the file, the field and what was expected.

A policy's ``rules:`` extend the default rules: an entry with a default rule's ``id`` changes
that rule (only the fields it gives), any other ``id`` adds a rule. A default rule is switched
off only by naming it, in ``disable: [id, ...]`` or with ``enabled: false`` on its entry, so
writing one rule can never throw the others away in silence.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import PolicyError
from ..model import Action
from .model import CONDITIONS, CONTENT_KINDS, RECIPIENT_SELECTORS, Organisation, Policy, Rule

_TOP_KEYS = {"organisation", "rules", "disable", "min_score"}
_ORG_KEYS = {"name", "internal_domains", "partner_domains", "own_details"}
_RULE_KEYS = {"id", "when", "action", "recipients", "recipients_not", "content", "description", "enabled", "limit"}
_DEFAULT = "default policy"

log = logging.getLogger(__name__)


def default_policy_text() -> str:
    return resources.files(__package__).joinpath("default.yaml").read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_policy_text(), _DEFAULT)


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
    policy = parse_policy(text, str(path))
    # Said once, by the process the user started: scanning workers load the same file again.
    # Every verdict's notes say it as well, wherever it was made.
    if policy.weakened_blocks and multiprocessing.parent_process() is None:
        log.warning("disclosureguard: warning: policy %s switches off or weakens the block rule(s) %s",
                    policy.source, ", ".join(policy.weakened_blocks))
    return policy


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
    rules: tuple[Rule, ...]
    disabled: tuple[Rule, ...] = ()
    weakened: tuple[str, ...] = ()
    if file == _DEFAULT:
        rules = tuple(r for r, _ in _rules(file, data.get("rules"), ()))
    else:
        rules, disabled, weakened = _merge(file, data, default_policy().rules)
    min_score = data.get("min_score", 0.5)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1:
        raise PolicyError(file, "min_score", "expected a number between 0 and 1")
    return Policy(organisation=org, rules=rules, min_score=float(min_score), source=file, disabled=disabled,
                  weakened_blocks=weakened)


def _merge(file: str, data: dict[str, Any], defaults: tuple[Rule, ...]) -> tuple[
        tuple[Rule, ...], tuple[Rule, ...], tuple[str, ...]]:
    """The default rules with this file's changes, additions and switched-off rules."""
    by_id = {r.id: r for r in defaults}
    own = _rules(file, data["rules"], defaults) if "rules" in data else ()
    off = list(_str_list(file, "disable", data.get("disable")))
    for i, rule_id in enumerate(off):
        if rule_id not in by_id:
            raise PolicyError(file, f"disable[{i}]", f"expected the id of a default rule ({', '.join(by_id)})")
    changed = {r.id: r for r, _ in own}
    off += [r.id for r, enabled in own if not enabled and r.id not in off]
    for r, enabled in own:
        if not enabled and r.id not in by_id:
            raise PolicyError(file, f"rules[id={r.id}].enabled", "only a default rule can be switched off; "
                              "leave out a rule of your own instead")
    rules = [changed.get(r.id, r) for r in defaults if r.id not in off]
    rules += [r for r, _ in own if r.id not in by_id]
    disabled = tuple(by_id[i] for i in by_id if i in off)
    weakened = [r.id for r in disabled if r.action == Action.BLOCK]
    weakened += [r.id for r in rules if r.id in by_id and by_id[r.id].action == Action.BLOCK
                 and r.action < Action.BLOCK]
    return tuple(rules), disabled, tuple(weakened)


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
            raise PolicyError(file, f"{field}[{i}]", f"expected one of {', '.join(allowed)}")
    return items


def _rules(file: str, data: Any, defaults: tuple[Rule, ...]) -> tuple[tuple[Rule, bool], ...]:
    """Each rule of a file with whether it is enabled. An entry naming one of ``defaults`` needs
    only the fields it changes; any other entry needs ``when`` and ``action``."""
    if not isinstance(data, list) or not data:
        raise PolicyError(file, "rules", "expected a non-empty list of rules")
    base = {r.id: r for r in defaults}
    out: list[tuple[Rule, bool]] = []
    seen: set[str] = set()
    for i, raw in enumerate(data):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise PolicyError(file, where, "expected a mapping with id, when and action")
        _no_unknown_keys(file, where, raw, _RULE_KEYS)
        if not isinstance(raw.get("id"), str) or not raw["id"].strip():
            raise PolicyError(file, f"{where}.id", "is required (a string)")
        rule_id = raw["id"].strip()
        if rule_id in seen:
            raise PolicyError(file, f"{where}.id", "a rule id not used by an earlier rule of this file")
        seen.add(rule_id)
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PolicyError(file, f"{where}.enabled", "expected true or false")
        origin = "default" if file == _DEFAULT else file
        out.append((_rule(file, where, raw, base.get(rule_id), origin), enabled))
    return tuple(out)


def _rule(file: str, where: str, raw: dict[str, Any], base: Rule | None, origin: str) -> Rule:
    for key in ("when", "action"):
        if (base is None or key in raw) and (not isinstance(raw.get(key), str) or not raw[key].strip()):
            raise PolicyError(file, f"{where}.{key}", "is required (a string)")
    when = raw.get("when", base.when if base else "")
    if when not in CONDITIONS:
        raise PolicyError(file, f"{where}.when", f"expected one of {', '.join(CONDITIONS)}")
    action = base.action if base is not None else Action.BLOCK
    if "action" in raw:
        try:
            action = Action.parse(raw["action"])
        except ValueError:
            raise PolicyError(file, f"{where}.action", "expected one of allow, warn, redact, block") from None
    description = raw.get("description", base.description if base else "")
    if not isinstance(description, str):
        raise PolicyError(file, f"{where}.description", "expected a string")

    limit = raw.get("limit", base.limit if base else None)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise PolicyError(file, f"{where}.limit", "expected a whole number of at least 1")

    def choices(key: str, allowed: tuple[str, ...], fallback: tuple[str, ...]) -> tuple[str, ...]:
        return _choices(file, f"{where}.{key}", raw[key], allowed) if key in raw else fallback

    return Rule(
        id=raw["id"].strip(),
        when=when,
        action=action,
        recipients=choices("recipients", RECIPIENT_SELECTORS, base.recipients if base else ()),
        recipients_not=choices("recipients_not", RECIPIENT_SELECTORS, base.recipients_not if base else ()),
        content=choices("content", CONTENT_KINDS, base.content if base else ("any",)) or ("any",),
        description=description,
        limit=limit,
        origin=origin,
    )
