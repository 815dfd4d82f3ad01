"""CSV cells a spreadsheet will not run: the one guard every CSV export shares."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text (empty for None), with a leading quote when a spreadsheet would run
    it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
