"""English month and day names as letters write them: one table for every reader of dates
(the date validator, the case index's date keys, the words that are never a name)."""

from __future__ import annotations

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# A month's number by its name or its abbreviation ("sept" as well as "sep").
MONTH_NUMBER: dict[str, int] = (
    {m: i for i, m in enumerate(MONTHS, 1)} | {m[:3]: i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
)
