"""policies/reminders.toml and policies/notices.toml: loaded, and refused with file and key."""

from __future__ import annotations

import shutil

import pytest

from ig.features import reminder_sources
from ig.notices.policy import load_notices
from ig.policy_files import PolicyError
from ig.reminders.policy import load_reminders
from ig.settings import PROJECT_ROOT

ROLES = ("ig_officer", "manager", "siro", "caldicott_guardian", "information_rights_officer")


@pytest.fixture
def policy_dir(tmp_path):
    for name in ("reminders.toml", "notices.toml"):
        shutil.copy(PROJECT_ROOT / "policies" / name, tmp_path / name)
    return tmp_path


def rewrite(directory, old, new, name="reminders.toml"):
    """Replace ``old`` in the notice rule's section (or, for other settings, anywhere)."""
    path = directory / name
    text = path.read_text()
    start = text.index("[rules.notice_review_due]") if old in NOTICE_KEYS else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :])


NOTICE_KEYS = (
    'source = "notices.review"',
    'recipients = ["owner"]',
    "before_days = [30, 7]",
    'escalate_to = ["role:ig_officer"]',
    'delivery = "each"',
    "escalate_after_days = 14\n",
    'summary = "A privacy',
)


def test_the_shipped_policy_loads(policy_dir):
    policy = load_reminders(policy_dir, ROLES, reminder_sources())
    rule = policy.rules["notice_review_due"]
    assert rule.before_days == (30, 7)
    assert rule.escalate_to == ("role:ig_officer",)
    assert policy.delivery.max_attempts == 6
    assert load_notices(policy_dir).review_interval_months == 12


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'source = "notices.review"',
            'source = "notices.nothing"',
            "rules.notice_review_due.source",
        ),
        ('recipients = ["owner"]', 'recipients = ["boss"]', "rules.notice_review_due.recipients"),
        ('recipients = ["owner"]', "recipients = []", "rules.notice_review_due.recipients"),
        (
            'escalate_to = ["role:ig_officer"]',
            'escalate_to = ["role:nobody"]',
            "rules.notice_review_due.escalate_to",
        ),
        ('delivery = "each"', 'delivery = "hourly"', "rules.notice_review_due.delivery"),
        ("before_days = [30, 7]", "before_days = [30, -1]", "rules.notice_review_due.before_days"),
        ("before_days = [30, 7]", "before_days = [7, 7]", "rules.notice_review_due.before_days"),
        (
            "before_days = [30, 7]",
            "before_days = [30, 7]\nafter_hours = [24]",
            "rules.notice_review_due",
        ),
        ("escalate_after_days = 14\n", "", "rules.notice_review_due"),
        ("max_attempts = 6", "max_attempts = 0", "delivery.max_attempts"),
        ("digest_hour = 7", "digest_hour = 24", "delivery.digest_hour"),
        (
            'summary = "A privacy',
            'colour = "red"\nsummary = "A privacy',
            "rules.notice_review_due.colour",
        ),
    ],
)
def test_a_bad_rule_names_file_and_key(policy_dir, old, new, key):
    rewrite(policy_dir, old, new)
    with pytest.raises(PolicyError) as error:
        load_reminders(policy_dir, ROLES, reminder_sources())
    assert error.value.file == "reminders.toml"
    assert error.value.key == key


def test_notices_policy_needs_services(policy_dir):
    path = policy_dir / "notices.toml"
    path.write_text(path.read_text().split("[services]")[0] + "[services]\n")
    with pytest.raises(PolicyError) as error:
        load_notices(policy_dir)
    assert error.value.key == "services"
