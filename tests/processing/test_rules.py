"""The record of processing activities' rules: the Art. 6 / 9 / Schedule 1 checks, the
rights each lawful basis gives, and whether an activity needs a DPIA."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ig.policy_files import PolicyError
from ig.processing.policy import load_processing
from ig.processing.rules import (
    COMMON_RIGHTS,
    LawfulBasis,
    Legal,
    Role,
    Safeguard,
    dpia_needed,
    legal_problem,
    rights_available,
)
from ig.settings import PROJECT_ROOT
from tests.processing.data import POLICY

GOOD = Legal(
    role=Role.CONTROLLER,
    lawful_basis=LawfulBasis.PUBLIC_TASK,
    has_special_category=True,
    art9_condition="health_social_care",
    schedule_1_condition="health_social_care",
    has_policy_document=False,
    relies_on_consent=False,
    controller_count=0,
    safeguard=Safeguard.NONE,
    transfer_detail="",
)


def problem(**changes):
    found = legal_problem(POLICY, dataclasses.replace(GOOD, **changes))
    return found[0] if found else None


def test_a_lawful_entry_passes():
    assert problem() is None
    assert problem(has_special_category=False, art9_condition="", schedule_1_condition="") is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": Role.PROCESSOR}, "controllers"),
        ({"art9_condition": "made_up"}, "art9_condition"),
        ({"schedule_1_condition": "made_up"}, "schedule_1_condition"),
        ({"art9_condition": "", "schedule_1_condition": ""}, "art9_condition"),
        ({"has_special_category": False}, "art9_condition"),
        (
            {"art9_condition": "substantial_public_interest", "schedule_1_condition": ""},
            "schedule_1_condition",
        ),
        ({"schedule_1_condition": "safeguarding"}, "has_policy_document"),
        ({"lawful_basis": LawfulBasis.CONSENT}, "relies_on_consent"),
        ({"art9_condition": "explicit_consent", "schedule_1_condition": ""}, "relies_on_consent"),
        ({"safeguard": Safeguard.IDTA}, "transfer_detail"),
        ({"safeguard": Safeguard.OTHER, "transfer_detail": "  "}, "transfer_detail"),
    ],
)
def test_each_fault_names_its_field(changes, field):
    assert problem(**changes) == field


def test_what_the_faults_are_resolved_by():
    assert problem(role=Role.PROCESSOR, controller_count=1) is None
    assert problem(schedule_1_condition="safeguarding", has_policy_document=True) is None
    assert problem(lawful_basis=LawfulBasis.CONSENT, relies_on_consent=True) is None
    assert problem(safeguard=Safeguard.ADEQUACY, transfer_detail="France") is None
    # Art. 9(2)(a) explicit consent needs no Schedule 1 condition.
    assert (
        problem(art9_condition="explicit_consent", schedule_1_condition="", relies_on_consent=True)
        is None
    )


def test_the_policy_document_message_names_schedule_1_part_4():
    found = legal_problem(POLICY, dataclasses.replace(GOOD, schedule_1_condition="safeguarding"))
    assert found is not None
    assert "Schedule 1 Part 4" in found[1]


def test_the_policy_marks_what_needs_a_policy_document_and_schedule_1():
    assert POLICY.schedule_1_conditions["safeguarding"].needs_policy_document
    assert not POLICY.schedule_1_conditions["health_social_care"].needs_policy_document
    assert POLICY.art9_conditions["health_social_care"].needs_schedule_1
    assert not POLICY.art9_conditions["explicit_consent"].needs_schedule_1


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "processing.toml").write_text(text)
    return tmp_path


def test_a_bad_policy_names_the_key(tmp_path):
    shipped = (PROJECT_ROOT / "policies" / "processing.toml").read_text()
    with pytest.raises(PolicyError, match="needs_policy_doc"):
        load_processing(
            _write(
                tmp_path,
                shipped.replace("\nneeds_policy_document = true", "\nneeds_policy_doc = true", 1),
            )
        )
    doubled = shipped.replace('identity = "Names', 'health = "Health"\nidentity = "Names', 1)
    with pytest.raises(PolicyError, match="repeats health"):
        load_processing(_write(tmp_path, doubled))


@pytest.mark.parametrize(
    ("basis", "erasure", "portability", "objection", "withdrawal"),
    [
        (LawfulBasis.CONSENT, True, True, False, True),
        (LawfulBasis.CONTRACT, True, True, False, False),
        (LawfulBasis.LEGAL_OBLIGATION, False, False, False, False),
        (LawfulBasis.VITAL_INTERESTS, True, False, False, False),
        (LawfulBasis.PUBLIC_TASK, False, False, True, False),
        (LawfulBasis.LEGITIMATE_INTERESTS, True, False, True, False),
    ],
)
def test_the_rights_follow_the_lawful_basis(basis, erasure, portability, objection, withdrawal):
    rights = rights_available(basis, is_automated=False)
    assert rights[: len(COMMON_RIGHTS)] == list(COMMON_RIGHTS)
    assert ("Erasure (Art. 17)" in rights) is erasure
    assert ("Portability (Art. 20)" in rights) is portability
    assert ("Object (Art. 21)" in rights) is objection
    assert ("Withdraw consent (Art. 7(3))" in rights) is withdrawal
    assert not any("Art. 22" in r for r in rights)
    assert "Art. 22" in rights_available(basis, is_automated=True)[-1]


@pytest.mark.parametrize(
    ("screenings", "special", "automated", "answer"),
    [
        ([False, True], False, False, "Yes (screened)"),
        ([False, None], True, True, "No (screened)"),
        ([None], False, True, "Likely, not yet screened: automated decision-making, "),
        ([], True, False, "Likely, not yet screened: special category data"),
        ([], False, False, "Not indicated by the record, not screened"),
    ],
)
def test_a_linked_screening_decides_whether_a_dpia_is_needed(
    screenings, special, automated, answer
):
    assert dpia_needed(screenings, special, automated).startswith(answer)
