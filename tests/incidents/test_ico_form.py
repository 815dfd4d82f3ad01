"""The ICO form's rules: mandatory answers or "not yet known" with a follow-up date, the
contradictions refused, and the DHSC flag."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.errors import InvalidTransition, ValidationFailed
from ig.incidents import ico_form
from ig.incidents.ico_form import MANDATORY, check_cyber, dhsc_flag, settle_unknowns, state_of

SENT = dt.date(2026, 6, 10)
ANSWERED = {
    "discovery": "The recipient rang us",
    "data_categories": ["health"],
    "records_count": 3,
    "people_categories": ["service_users"],
    "people_count": 0,
    "consequences": "Distress",
    "significant_likelihood": "likely",
    "org_impact": "low",
    "recovery_time": "complete",
    "containment": "Recalled",
    "preventative_measures": "Checks",
    "staff_guidance": "yes",
    "reported_before": "no",
}


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (None, "missing"),
        ("", "missing"),
        ("   ", "missing"),
        ([], "missing"),
        ("not_known", "not_known"),
        (["not_known"], "not_known"),
        (["not_known", "health"], "answered"),
        (0, "answered"),
        ("Recalled", "answered"),
        ("no", "answered"),
    ],
)
def test_state_of_an_answer(value, state):
    assert state_of(value) == state


def test_every_answer_given_needs_no_follow_up():
    assert settle_unknowns(ANSWERED, True, [], None, SENT) == ([], None)


def test_a_missing_answer_is_refused_by_name():
    with pytest.raises(ValidationFailed) as refused:
        settle_unknowns({**ANSWERED, "containment": " "}, False, [], None, SENT)
    assert refused.value.field == "not_yet_known"
    assert MANDATORY["containment"] in refused.value.message
    assert MANDATORY["discovery"] not in refused.value.message


def test_not_yet_known_needs_a_follow_up_date_on_or_after_the_notification():
    values = {**ANSWERED, "people_count": None}
    with pytest.raises(ValidationFailed) as refused:
        settle_unknowns(values, False, ["people_count"], None, SENT)
    assert refused.value.field == "follow_up_on"
    with pytest.raises(ValidationFailed, match="on or after"):
        settle_unknowns(values, False, ["people_count"], SENT - dt.timedelta(days=1), SENT)
    due = SENT + dt.timedelta(days=5)
    assert settle_unknowns(values, False, ["people_count"], due, SENT) == (["people_count"], due)


def test_an_answer_of_not_yet_known_counts_as_not_known():
    values = {**ANSWERED, "significant_likelihood": "not_known", "data_categories": ["not_known"]}
    with pytest.raises(ValidationFailed, match="Enter when the ICO will be sent"):
        settle_unknowns(values, False, [], None, SENT)
    unknown, _ = settle_unknowns(values, False, [], SENT, SENT)
    assert unknown == ["data_categories", "significant_likelihood"]


def test_the_cyber_questions_apply_to_cyber_incidents_only():
    values = {**ANSWERED, "org_impact": None, "recovery_time": None}
    assert settle_unknowns(values, False, [], None, SENT) == ([], None)
    with pytest.raises(ValidationFailed, match="Impact on your organisation"):
        settle_unknowns(values, True, [], None, SENT)


def test_an_unknown_question_cannot_be_ticked():
    with pytest.raises(ValidationFailed, match="Choose from the questions listed"):
        settle_unknowns(ANSWERED, False, ["favourite_colour"], None, SENT)


STATES = st.sampled_from(["answered", "not_known", "missing", "missing_ticked"])
SAMPLE = {"answered": None, "not_known": "not_known", "missing": None, "missing_ticked": None}


@given(
    states=st.fixed_dictionaries(dict.fromkeys(MANDATORY, STATES)),
    is_cyber=st.booleans(),
    dated=st.booleans(),
)
def test_refused_exactly_when_an_answer_is_neither_given_nor_marked(states, is_cyber, dated):
    values = {
        key: ANSWERED[key] if state == "answered" else SAMPLE[state]
        for key, state in states.items()
    }
    ticked = [key for key, state in states.items() if state == "missing_ticked"]
    applies = ico_form.questions_for(is_cyber)
    follow_up = SENT + dt.timedelta(days=3) if dated else None
    bare = [k for k in applies if states[k] == "missing"]
    unknown = [k for k in applies if states[k] in ("not_known", "missing_ticked")]
    if bare:
        with pytest.raises(ValidationFailed) as refused:
            settle_unknowns(values, is_cyber, ticked, follow_up, SENT)
        assert all(MANDATORY[k] in refused.value.message for k in bare)
    elif unknown and not dated:
        with pytest.raises(ValidationFailed) as refused:
            settle_unknowns(values, is_cyber, ticked, follow_up, SENT)
        assert refused.value.field == "follow_up_on"
    else:
        got = settle_unknowns(values, is_cyber, ticked, follow_up, SENT)
        assert got == (unknown, follow_up if unknown else None)


@pytest.mark.parametrize(
    ("incident_type", "graded", "message"),
    [
        (None, True, "record the type of incident"),
        ("", False, "record the type of incident (on the incident record) and grade"),
        ("phishing", False, "grade the incident first"),
    ],
)
def test_no_notification_while_type_or_grading_is_unset(incident_type, graded, message):
    with pytest.raises(InvalidTransition) as refused:
        ico_form.check_ready_to_notify(incident_type, graded)
    assert message in refused.value.message
    assert refused.value.message.startswith("A notification cannot be recorded yet")


def test_type_and_grading_set_is_ready():
    ico_form.check_ready_to_notify("phishing", True)


CYBER = frozenset({"ransomware", "phishing", "malware"})
LABELS = {"ransomware": "Ransomware", "phishing": "Phishing", "malware": "Malware"}
NO_CYBER_ANSWERS = {"org_impact": None, "impact_detail": "", "recovery_time": None}


@pytest.mark.parametrize("incident_type", sorted(CYBER))
def test_a_cyber_type_must_be_a_cyber_incident(incident_type):
    with pytest.raises(ValidationFailed) as refused:
        check_cyber(CYBER, LABELS, incident_type, False, NO_CYBER_ANSWERS)
    assert refused.value.field == "is_cyber"
    assert refused.value.message.startswith(f"{LABELS[incident_type]} is a cyber incident")
    check_cyber(CYBER, LABELS, incident_type, True, NO_CYBER_ANSWERS)


@pytest.mark.parametrize(
    ("field", "value"),
    [("org_impact", "high"), ("impact_detail", "Offline a week"), ("recovery_time", "regular")],
)
def test_cyber_answers_are_refused_for_a_non_cyber_incident(field, value):
    answers = {**NO_CYBER_ANSWERS, field: value}
    with pytest.raises(ValidationFailed) as refused:
        check_cyber(CYBER, LABELS, "email_wrong_recipient", False, answers)
    assert refused.value.field == field
    assert "only about a cyber incident" in refused.value.message
    check_cyber(CYBER, LABELS, "email_wrong_recipient", True, answers)


@pytest.mark.parametrize(
    ("severity", "sent", "reason", "flagged"),
    [
        (None, False, "", False),
        (3, False, "", False),
        (4, False, "", True),
        (5, False, "  ", True),
        (4, True, "", False),
        (4, False, "DSPT tool down; reported by phone", False),
    ],
)
def test_dhsc_threshold_without_notification_or_reason_is_flagged(severity, sent, reason, flagged):
    flag = dhsc_flag(severity, 4, sent, reason)
    assert (flag is not None) is flagged
    if flagged:
        assert f"Severity {severity} is at the DHSC" in flag


@pytest.mark.parametrize(
    ("labels", "value", "text"),
    [
        (ico_form.LIKELIHOOD, "neutral", "Neutral: neither likely nor unlikely"),
        (ico_form.LIKELIHOOD, None, "Not yet known"),
        (ico_form.LIKELIHOOD, "not_known", "Not yet known"),
        (ico_form.RECOVERY, "complete", "Complete: already recovered"),
        (ico_form.ANSWER, "no", "No"),
    ],
)
def test_answers_read_as_the_form_words_them(labels, value, text):
    assert ico_form.answer_text(value, labels) == text


def test_the_likelihood_scale_has_the_forms_five_steps_and_not_yet_known():
    assert list(ico_form.LIKELIHOOD.values()) == [
        "Very likely",
        "Likely",
        "Neutral: neither likely nor unlikely",
        "Not likely",
        "Very unlikely",
        "Not yet known",
    ]
