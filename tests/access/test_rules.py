"""The access rules: forward-only states, who approves, who grants, dates held."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.access import rules
from ig.access.policy import load_access
from ig.access.rules import NEXT, AccessStatus
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

ORDER = list(AccessStatus)
RANK = {
    AccessStatus.REQUESTED: 0,
    AccessStatus.APPROVED: 1,
    AccessStatus.DECLINED: 1,
    AccessStatus.GRANTED: 2,
    AccessStatus.REMOVED: 3,
}
ids = st.integers(min_value=1, max_value=50)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@given(st.sampled_from(ORDER), st.sampled_from(ORDER))
def test_states_move_only_forward(current, wanted):
    problem = rules.transition_problem(current, wanted)
    if problem is None:
        assert RANK[wanted] > RANK[current]
        assert wanted in NEXT[current]
    else:
        assert "only forward" in problem


def test_the_forward_moves_are_exactly_these():
    allowed = {(c, w) for c in ORDER for w in ORDER if rules.transition_problem(c, w) is None}
    assert allowed == {
        (AccessStatus.REQUESTED, AccessStatus.APPROVED),
        (AccessStatus.REQUESTED, AccessStatus.DECLINED),
        (AccessStatus.APPROVED, AccessStatus.GRANTED),
        (AccessStatus.GRANTED, AccessStatus.REMOVED),
    }


@given(ids, st.one_of(st.none(), ids), ids, st.sets(ids))
def test_only_a_line_manager_approves_and_never_their_own(approver, staff_user, team, managed):
    problem = rules.approval_problem(approver, staff_user, team, managed)
    if staff_user == approver:
        assert problem is not None
        assert "own access" in problem
    elif team not in managed:
        assert problem is not None
        assert "line manager" in problem
    else:
        assert problem is None


def test_nobody_signed_in_approves_nothing():
    assert rules.approval_problem(None, None, 1, {1}) is not None


@given(st.one_of(st.none(), ids), ids, ids)
def test_only_the_owner_or_administrator_keeps_access(user, owner, administrator):
    problem = rules.keeper_problem(user, owner, administrator)
    assert (problem is None) == (user is not None and user in (owner, administrator))


@given(dates, dates, dates)
def test_dates_are_neither_future_nor_before_the_step_before(on, today, not_before):
    problem = rules.date_problem(on, today, not_before, "granted", "its approval")
    assert (problem is None) == (not_before <= on <= today)


@given(dates, st.one_of(st.none(), dates), st.one_of(st.none(), dates))
def test_access_is_held_from_its_grant_until_the_day_before_removal(day, granted, removed):
    held = rules.held_on(day, granted, removed)
    expected = granted is not None and granted <= day and (removed is None or day < removed)
    assert held == expected


def test_the_policy_lists_the_levels_and_a_quarterly_cycle():
    policy = load_access(PROJECT_ROOT / "policies")
    assert list(policy.levels) == ["read", "edit", "administer"]
    assert policy.recertify_every_months == 3
    assert policy.level_label("edit") == "Edit"
    assert policy.level_label("gone") == "gone"


def test_a_policy_without_levels_is_refused(tmp_path):
    (tmp_path / "access.toml").write_text('version = "x"\n[levels]\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="levels"):
        load_access(tmp_path)
