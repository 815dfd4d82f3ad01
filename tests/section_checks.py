"""What every section of the IG report must satisfy, checked by each feature's figures test."""

from __future__ import annotations

import re

from ig.feature import Section

UNITS = {"count", "percent", "hours", "days"}


def check_shape(section: Section) -> None:
    """Unique keys under the section's own prefix, a one-sentence definition each, 1-3
    headline figures among its own, and a permission wherever a list is linked."""
    keys = [figure.key for figure in section.figures]
    assert len(keys) == len(set(keys))
    assert all(key.startswith(section.key + ".") for key in keys)
    assert set(section.headline) <= set(keys)
    assert 1 <= len(section.headline) <= 3
    for figure in section.figures:
        assert figure.unit in UNITS
        assert figure.definition.endswith(".")
        assert not re.search(r"\.\s+[A-Z]", figure.definition), figure.key  # one sentence
        assert (figure.endpoint is None) == (figure.permission is None), figure.key
