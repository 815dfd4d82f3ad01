"""policies/incidents.toml: a bad value stops start-up with the file and key named."""

from __future__ import annotations

import shutil

import pytest

from ig.incidents.policy import load_incidents
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

SOURCE = (PROJECT_ROOT / "policies" / "incidents.toml").read_text(encoding="utf-8")


@pytest.fixture
def directory(tmp_path):
    shutil.copy(PROJECT_ROOT / "policies" / "incidents.toml", tmp_path / "incidents.toml")
    return tmp_path


def write(directory, text):
    (directory / "incidents.toml").write_text(text, encoding="utf-8")


def test_the_shipped_policy_loads(directory):
    policy = load_incidents(directory)
    assert policy.deadline_hours == 72
    assert (policy.ico_min_likelihood, policy.ico_min_severity) == (3, 2)
    assert policy.dhsc_min_severity == 4
    assert (policy.vulnerable_floor_likelihood, policy.vulnerable_floor_severity) == (2, 2)
    assert "siro" in policy.confirm_roles


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("ico_min_likelihood = 3", "ico_min_likelihood = 6", "grading.ico_min_likelihood"),
        ("ico_min_severity = 2", "ico_min_severity = true", "grading.ico_min_severity"),
        ('confirm_when = "notifiable"', 'confirm_when = "sometimes"', "grading.confirm_when"),
        ("notification_deadline_hours = 72", "notification_deadline_hours = 0",
         "notification_deadline_hours"),
        ('version = "2026.2"', 'versoin = "2026.2"', "versoin"),
        ('likelihood = ["Not occurred", ', 'likelihood = [', "grading.likelihood"),
    ],
)  # fmt: skip
def test_a_bad_value_names_file_and_key(directory, old, new, key):
    assert old in SOURCE
    write(directory, SOURCE.replace(old, new, 1))
    with pytest.raises(PolicyError) as refused:
        load_incidents(directory)
    assert refused.value.file == "incidents.toml"
    assert refused.value.key == key


def test_an_empty_type_list_is_refused(directory):
    start = SOURCE.index("[types]")
    end = SOURCE.index("[data_categories]")
    write(directory, SOURCE[:start] + "[types]\n\n" + SOURCE[end:])
    with pytest.raises(PolicyError, match="at least one"):
        load_incidents(directory)


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('ico_registration_number = "Z1234567"', 'ico_registration_number = "12345"',
         "organisation.ico_registration_number", "Z and seven letters or digits"),
        ('dpo_email = "dpo@eastmere.example"', 'dpo_email = "the DPO"',
         "organisation.dpo_email", "e-mail address"),
        ('sector = "Local government"', 'sector = "  "', "organisation.sector",
         "must not be empty"),
        ('sector = "Local government"', 'sectr = "Local government"', "organisation.sectr",
         "not a known setting"),
        ('cyber_types = ["ransomware", ', 'cyber_types = ["ransomwear", ', "cyber_types",
         "'ransomwear' is not a type listed under [types]"),
        ('special_categories = ["genetic_biometric", ', 'special_categories = ["genes", ',
         "special_categories", "'genes' is not a category listed under [data_categories]"),
    ],
)  # fmt: skip
def test_the_organisation_and_ico_form_settings_are_checked(directory, old, new, key, message):
    assert old in SOURCE
    write(directory, SOURCE.replace(old, new, 1))
    with pytest.raises(PolicyError) as refused:
        load_incidents(directory)
    assert (refused.value.file, refused.value.key) == ("incidents.toml", key)
    assert message in str(refused.value)


def test_a_missing_organisation_table_is_named(directory):
    write(directory, SOURCE[: SOURCE.index("[organisation]")])
    with pytest.raises(PolicyError) as refused:
        load_incidents(directory)
    assert refused.value.key == "organisation"


def test_the_shipped_organisation_and_cyber_types(directory):
    policy = load_incidents(directory)
    assert policy.organisation.name == "Eastmere Borough Council"
    assert {"ransomware", "phishing", "malware"} <= policy.cyber_types
    assert "health" in policy.special_categories
