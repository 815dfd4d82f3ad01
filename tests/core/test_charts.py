"""Bar widths: counts against the largest, percentages against 100%."""

from __future__ import annotations

from ig.charts import Bar, bars, percent_bars


def test_counts_are_drawn_against_the_largest():
    assert bars([("a", 4), ("b", 1), ("c", 0)]) == [
        Bar("a", 4, 100),
        Bar("b", 1, 25),
        Bar("c", 0, 0),
    ]
    assert bars([("a", 0)]) == [Bar("a", 0, 0)]  # nothing to scale by
    assert bars([]) == []


def test_percentages_are_drawn_against_a_hundred_and_kept_on_the_track():
    assert percent_bars([("a", 87.5), ("b", 100.0), ("c", 0.4)]) == [
        Bar("a", 87.5, 88),
        Bar("b", 100.0, 100),
        Bar("c", 0.4, 0),
    ]
    assert percent_bars([("over", 120.0)])[0].width == 100
