"""The confirmation cycle's rules and the assets policy file."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.assets.policy import load_assets
from ig.assets.rules import ConfirmationState, confirmation_state, next_confirmation_on
from ig.policy_files import PolicyError

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("confirmed", "months", "due"),
    [
        (dt.date(2026, 1, 10), 12, dt.date(2027, 1, 10)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 15), 6, dt.date(2027, 6, 15)),
    ],
)
def test_next_confirmation_falls_one_cycle_on(confirmed, months, due):
    assert next_confirmation_on(confirmed, months) == due


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2095, 12, 31)),
    st.integers(min_value=1, max_value=60),
)
def test_next_confirmation_is_later_by_whole_months_never_overshooting(confirmed, months):
    due = next_confirmation_on(confirmed, months)
    assert (due.year - confirmed.year) * 12 + due.month - confirmed.month == months
    assert due.day == confirmed.day or (
        due.day < confirmed.day and (due + dt.timedelta(1)).day == 1
    )
    assert due > confirmed


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (TODAY - dt.timedelta(days=1), ConfirmationState.OVERDUE),
        (TODAY, ConfirmationState.DUE_SOON),
        (TODAY + dt.timedelta(days=30), ConfirmationState.DUE_SOON),
        (TODAY + dt.timedelta(days=31), ConfirmationState.CONFIRMED),
    ],
)
def test_confirmation_state_with_a_fixed_clock(due, state):
    assert confirmation_state(due, TODAY, 30) is state


def test_the_policy_reads_the_cycle_and_lists(tmp_path, policies):
    assert policies.assets.confirm_every_months == 12
    assert "health" in policies.assets.special_categories
    assert policies.assets.category_label("care_records") == "Care and support records"
    (tmp_path / "assets.toml").write_text(
        'version = "t"\n[personal_data]\nidentity = "Identity"\n'
        '[special_categories]\nhealth = "Health"\n'
    )
    assert load_assets(tmp_path).confirm_every_months == 12  # the default


@pytest.mark.parametrize(
    "body",
    [
        "[confirmation]\nconfirm_every_months = 0\n",
        "[confirmation]\nevery = 3\n",
        '[special_categories]\nidentity = "Again"\n',
    ],
)
def test_a_bad_policy_names_the_file(tmp_path, body):
    base = {
        "confirmation": "",
        "personal_data": '[personal_data]\nidentity = "Identity"\n',
        "special_categories": '[special_categories]\nhealth = "Health"\n',
    }
    if body.startswith("[special_categories]"):
        text = 'version = "t"\n' + base["personal_data"] + body
    else:
        text = 'version = "t"\n' + body + base["personal_data"] + base["special_categories"]
    (tmp_path / "assets.toml").write_text(text)
    with pytest.raises(PolicyError, match=r"assets\.toml"):
        load_assets(tmp_path)
