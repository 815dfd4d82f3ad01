"""policies/rights.toml: loaded, versioned, and a bad value names the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ig.policies import Policies
from ig.policy_files import PolicyError
from ig.rights.policy import Clock, Family, load_rights
from ig.settings import PROJECT_ROOT

SHIPPED = (PROJECT_ROOT / "policies" / "rights.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "rights.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_policy_covers_every_kind_of_request_with_its_source(
    policies: Policies,
) -> None:
    rights = policies.rights
    assert rights.version
    assert set(rights.types) == {
        "subject_access", "rectification", "erasure", "restriction", "portability",
        "objection", "automated_decision", "consent_withdrawal", "complaint", "foi", "eir",
    }  # fmt: skip
    assert all(t.source for t in rights.types.values())
    assert rights.type("subject_access").clock is Clock.CALENDAR_MONTH
    assert rights.type("subject_access").extension_months == 2
    assert rights.type("foi").family is Family.FOI
    assert (rights.type("eir").days, rights.type("eir").extension_days) == (20, 20)
    assert rights.type("foi").on_time_target == 90


def test_a_proclaimed_holiday_is_read(tmp_path: Path) -> None:
    text = SHIPPED.replace(
        "proclaimed = []",
        'proclaimed = [{ date = 2027-06-07, name = "Jubilee", regions = ["ENG", "WLS"] }]',
    )
    (holiday,) = load_rights(write(tmp_path, text)).proclaimed
    assert (holiday.date.isoformat(), holiday.regions) == ("2027-06-07", ("ENG", "WLS"))


FOI_CLOCK = 'clock = "working_days"\ndays = 20\nextension_days = 20\nsource = "Freedom'
SAR_EXTENSION = 'extension_months = 2\nsource = "UK GDPR Art. 12(3) and Art. 12A ('
BAD_REGION = 'proclaimed = [{ date = 2027-06-07, name = "X", regions = ["XYZ"] }]'
BAD_DATE = 'proclaimed = [{ date = "soon", name = "X", regions = ["ENG"] }]'


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (FOI_CLOCK, FOI_CLOCK.replace("working_days", "weeks"), "types.foi.clock"),
        (
            SAR_EXTENSION,
            SAR_EXTENSION.replace("2", "3", 1),
            "types.subject_access.extension_months",
        ),
        ("proclaimed = []", BAD_REGION, "holidays.proclaimed[0].regions"),
        ("proclaimed = []", BAD_DATE, "holidays.proclaimed[0].date"),
        ('version = "2026.1"', 'version = "2026.1"\ncolour = "blue"', "colour"),
    ],
)
def test_a_bad_value_names_the_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in SHIPPED
    with pytest.raises(PolicyError) as error:
        load_rights(write(tmp_path, SHIPPED.replace(old, new, 1)))
    assert (error.value.file, error.value.key) == ("rights.toml", key)


def test_the_exemptions_for_keeping_data_name_their_law(policies: Policies) -> None:
    exemptions = policies.rights.exemptions
    assert {"other_lawful_basis", "legal_obligation", "legal_claims"} <= set(exemptions)
    assert exemptions["legal_claims"].source == "UK GDPR Art. 17(3)(e)"
    assert all(e.label and e.source for e in exemptions.values())


def test_an_exemption_without_its_law_is_refused(tmp_path: Path) -> None:
    old = 'source = "UK GDPR Art. 17(3)(e)"'
    assert old in SHIPPED
    with pytest.raises(PolicyError) as error:
        load_rights(write(tmp_path, SHIPPED.replace(old, 'source = " "')))
    assert error.value.key == "exemptions.legal_claims.source"
