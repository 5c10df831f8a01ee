import pytest

from disclosureguard.policy.domains import domain_class
from disclosureguard.policy.model import Organisation

ORG = Organisation(internal_domains=("gov.je",), partner_domains=("nhs.net", "health.gov.je", "police.je", "*.sch.je"))


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("worker@gov.je", "internal"),
        ("worker@childrens.gov.je", "internal"),
        ("nurse@health.gov.je", "partner"),  # most specific wins over gov.je
        ("dsl@stmarys.sch.je", "partner"),
        ("dsl@stmarys-sch.je", None),  # whole labels only
        ("x@sch.je", None),  # a wildcard needs a label in front
        ("x@notgov.je", None),
        ("x@gov.je.evil.example", None),
        ("GP.Practice@NHS.NET", "partner"),
        ("no-at-sign", None),
    ],
)
def test_domains_match_whole_labels_and_most_specific_wins(address, expected):
    assert domain_class(address, ORG) == expected
