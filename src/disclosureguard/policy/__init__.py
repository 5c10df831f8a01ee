"""The policy layer: a policy is data (YAML); deciding is a pure function."""

from .decide import decide
from .load import default_policy, load_policy, parse_policy
from .model import Organisation, Policy, Rule

__all__ = ["Organisation", "Policy", "Rule", "decide", "default_policy", "load_policy", "parse_policy"]
