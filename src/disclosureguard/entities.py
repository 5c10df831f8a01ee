"""The entity types of shared/spec/identifiers.md, grouped as the policy needs them."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "PERSON": "a name",
    "DATE_OF_BIRTH": "a date of birth",
    "UK_NHS": "an NHS number",
    "UK_NINO": "a National Insurance / social security number",
    "UK_UPN": "a Unique Pupil Number",
    "UK_ULN": "a Unique Learner Number",
    "UK_FAMILY_COURT_CASE": "a family court case number",
    "UK_POSTCODE": "a postcode",
    "ADDRESS": "an address",
    "PHONE_NUMBER": "a phone number",
    "EMAIL_ADDRESS": "an email address",
    "CASE_REFERENCE": "a case reference",
    "UK_PASSPORT": "a passport number",
    "UK_DRIVING_LICENCE": "a driving licence number",
    "UK_BANK_DETAILS": "bank details",
    "SPECIAL_CATEGORY": "special-category information",
}

# "Any national identifier" in the policy; the third-party-identifier rule's list.
NATIONAL_IDENTIFIERS = frozenset(
    {"UK_NHS", "UK_NINO", "UK_UPN", "UK_ULN", "UK_PASSPORT", "UK_DRIVING_LICENCE", "UK_BANK_DETAILS"}
)
# Identifiers only children have.
CHILD_IDENTIFIERS = frozenset({"UK_UPN", "UK_ULN"})
# Special-category words on their own identify no one (a leaflet about domestic abuse services).
PERSONAL_DATA = frozenset(LABELS) - {"SPECIAL_CATEGORY"}
# What makes a passage about an identifiable person.
IDENTIFYING = PERSONAL_DATA - {"UK_POSTCODE", "CASE_REFERENCE"}

DETAIL_LABELS = {
    "name": "name",
    "address": "address",
    "phone": "phone number",
    "email": "email address",
    "identifiers": "identifiers",
    "born": "date of birth",
}


def label(entity_type: str) -> str:
    return LABELS.get(entity_type, entity_type.replace("_", " ").lower())
