"""Read-only feeds of every register for Power BI and other tools (see feature.py)."""
