"""Every text or binary column of the schema is encrypted, or listed here as not
personal, with why.

A new String, Text, JSON or binary column fails this test until it is either encrypted
(an EncryptedText or EncryptedBytes on a RowKeyed table) or added below with the
reason it holds nothing that identifies the people the organisation serves and no
free-text case detail. Enum columns hold one of a closed list of values and are not
listed. Row keys are random and are not listed.
"""

from __future__ import annotations

import sqlalchemy as sa

from ig.crypto import ROW_KEY
from ig.encrypted import EncryptedBytes, EncryptedColumn, encrypted_columns
from ig.models import Base

REFERENCE = "a reference, code or key that ig makes or a policy lists"
HASH = "a hash, digest or HMAC: no plaintext"
STAFF = "staff or partner contact details, not the people served (design: encrypted = case detail)"
AGREEMENT = "the terms of an agreement between organisations, shared with the partners"
NOTICE = "a privacy notice and its reviews: published, or about to be"
POLICY = "names or labels from policies/*.toml"

NOT_PERSONAL: dict[str, str] = {
    # API (owned by the API feature): the API never returns encrypted fields.
    "api_idempotency_keys.key": "the client's idempotency key",
    "api_idempotency_keys.fingerprint": HASH,
    "api_idempotency_keys.content_type": "a media type",
    "api_idempotency_keys.location": "a URL of a created record, by reference",
    "api_idempotency_keys.response_body": "an API answer to a POST: API answers carry no "
    "encrypted field (ig/incidents/api.py), so a stored answer holds none",
    "api_tokens.name": "a label the token's owner chose for it",
    "api_tokens.prefix": "the first characters of a token, to recognise it",
    "api_tokens.token_hash": HASH,
    "api_tokens.revoked_reason": "one of a few reasons ig names",
    "api_tokens.scope": "read-only or read-write",
    # Computed figures shared by the app servers (ig/cache.py): training counts, team
    # names, and on a manager's page the staff who must act (staff, not people served).
    "cached_figures.key": HASH,
    "cached_figures.stamp": HASH,
    "cached_figures.value": "training figures and the staff lists of a manager's page: " + STAFF,
    # Audit trail: labels and ids; detail holds field names and non-sensitive values only
    # (ig/audit/service.record), and the canary test checks that it holds no free text.
    "audit_entries.actor_label": STAFF,
    "audit_entries.action": REFERENCE,
    "audit_entries.record_type": REFERENCE,
    "audit_entries.record_id": REFERENCE,
    "audit_entries.detail": "field names and non-sensitive values, never case detail",
    "audit_entries.prev_hash": HASH,
    "audit_entries.entry_hash": HASH,
    # Information assets: names of systems and stores, retention schedules, policy keys and
    # the references of linked records; what may name people is encrypted.
    # The record of processing activities: the name of a kind of processing, retention
    # periods from the schedule, and keys from policies/processing.toml.
    "processing_activities.name": "the name of a kind of processing, as the register lists it",
    "processing_activities.art9_condition": POLICY,
    "processing_activities.schedule_1_condition": POLICY,
    "processing_activities.retention": "a retention period from the council's schedule",
    "processing_activities.policy_version": POLICY,
    "processing_activity_categories.kind": "people or data: which list the key is from",
    "processing_activity_categories.key": POLICY,
    "information_assets.name": "the name of a system or store of information",
    "information_assets.system": "the name of a system or store of information",
    "information_assets.retention_period": "a retention period from the council's schedule",
    "information_assets.retention_rule": "a rule of the council's retention schedule",
    "information_asset_categories.category": POLICY,
    "information_asset_agreements.reference": REFERENCE,
    "information_asset_notices.reference": REFERENCE,
    "information_asset_incidents.reference": REFERENCE,
    # Processor contracts: the contract's title and reference, keys from policy; the notes,
    # which may name people, are encrypted.
    "processor_contracts.title": "the title of a contract with a supplier",
    "processor_contracts.reference": REFERENCE,
    "processor_contracts.value_band": POLICY,
    "processor_contract_terms.term": POLICY,
    # Caldicott: who assessed and signed (staff), legal bases and keys from policy.
    "caldicott_decisions.assessed_by_name": STAFF,
    "caldicott_decisions.article6": POLICY,
    "caldicott_decisions.article9": POLICY,
    "caldicott_decisions.article10": POLICY,
    "caldicott_decisions.confidentiality_basis": POLICY,
    "caldicott_decisions.signed_by_name": STAFF,
    "caldicott_decisions.reauth_method": REFERENCE,
    "caldicott_decisions.policy_version": REFERENCE,
    "caldicott_decisions.digest": HASH,
    "caldicott_decisions.seal": HASH,
    "caldicott_links.reference": REFERENCE,
    "caldicott_requests.reference": REFERENCE,
    "caldicott_requests.organisation_name": "the requesting organisation, from the register",
    "caldicott_requests.channel": POLICY,
    "caldicott_requests.request_type": POLICY,
    "caldicott_requests.urgency": POLICY,
    "caldicott_requests.data_categories": POLICY,
    "caldicott_subjects.identifier_index": HASH,
    # Incidents: references, policy keys, and the texts the register filters on.
    "incident_actions.course_code": POLICY,
    "incident_actions.assignment_ids": REFERENCE,
    "incident_affected_people.identifier_index": HASH,
    "incident_timeline.actor_label": STAFF,
    "incident_timeline.event": REFERENCE,
    "incidents.reference": REFERENCE,
    "incidents.month": "a month, 2026-03",
    "incidents.incident_type": POLICY,
    "incidents.data_categories": POLICY,
    "incidents.people_categories": POLICY,
    "incidents.unknown_answers": "names of the ICO form's questions",
    "incidents.grading_version": REFERENCE,
    # Sign-in.
    "login_attempts.account_key": HASH,
    "login_attempts.address": "the client address of a failed sign-in (security log)",
    "recovery_codes.code_hash": HASH,
    "user_roles.role": POLICY,
    "user_sessions.token_hash": HASH,
    "user_sessions.user_agent": "the browser's self-description (security log)",
    "users.email": STAFF,
    "users.name": STAFF,
    "users.password_hash": HASH,
    # Organisations, teams, staff.
    "organisations.name": STAFF,
    "organisations.code": REFERENCE,
    "organisations.address": STAFF,
    "organisations.assurance_status": "a partner's DSPT status",
    "organisations.dpo_contact": STAFF,
    "staff.staff_number": STAFF,
    "staff.name": STAFF,
    "staff.work_email": STAFF,
    "staff.job_title": STAFF,
    "staff_past_postings.job_title": STAFF,
    "teams.name": "the name of a team",
    "teams.path": REFERENCE,
    # Access to information systems: the reasons are encrypted; the level is a policy key.
    "access_requests.level": POLICY,
    # Information rights: the requester, their representative and what they asked are
    # encrypted; the identifier and contact details are found through blind indexes.
    "rights_requests.type_key": POLICY,
    "rights_requests.policy_version": POLICY,
    "rights_requests.channel": REFERENCE,
    "rights_requests.identifier_index": HASH,
    "rights_requests.contact_index": HASH,
    "rights_tasks.exemption_key": POLICY,  # the owner's findings and reasons are encrypted
    "rights_refusals.policy_version": POLICY,  # a refusal's reasons are encrypted
    "rights_refusal_grounds.ground_key": POLICY,
    "rights_disclosures.title": "the FOI disclosure log: published, checked free of the requester",
    "rights_disclosures.request_summary": "the FOI disclosure log, as published",
    "rights_disclosures.response_summary": "the FOI disclosure log, as published",
    # DPIAs: their free text (description, advice, risks) is encrypted.
    "dpias.title": "the name of a project or processing, as the register lists it",
    "dpias.screening_criteria": POLICY,
    "dpias.policy_version": POLICY,
    "dpias.ico_reference": REFERENCE,
    # Privacy notices.
    "privacy_notice_reviews.reviewer_label": STAFF,
    "privacy_notice_reviews.summary": NOTICE,
    "privacy_notice_versions.text": NOTICE,
    "privacy_notice_versions.approved_by": STAFF,
    "privacy_notice_versions.change_summary": NOTICE,
    "privacy_notice_versions.recorded_by": STAFF,
    "privacy_notices.title": NOTICE,
    "privacy_notices.service_key": POLICY,
    "privacy_notices.published_url": NOTICE,
    "privacy_notices.processing": NOTICE,
    "privacy_notices.approved_by": STAFF,
    "privacy_notices.review_flag_reason": "why a notice's review was brought forward",
    # Reminders: to staff, about records by reference.
    "reminder_runs.kind": REFERENCE,
    "reminder_runs.summary": "counts of a reminder pass",
    "reminders.rule": REFERENCE,
    "reminders.record_type": REFERENCE,
    "reminders.record_id": REFERENCE,
    "reminders.recipient_key": STAFF,
    "reminders.recipient_email": STAFF,
    "reminders.period": REFERENCE,
    "reminders.stage": REFERENCE,
    "reminders.due_key": REFERENCE,
    "reminders.title": "a reminder's title: a record's reference and what is due",
    "reminders.link": "a link to a record, by reference",
    "reminders.delivery": REFERENCE,
    "reminders.last_error": "the mail server's error message",
    "reminders.message_id": REFERENCE,
    # Data-sharing agreements.
    "sharing_agreement_categories.category": POLICY,
    "sharing_agreement_documents.original_name": AGREEMENT,
    "sharing_agreement_documents.sha256": HASH,
    "sharing_agreement_parties.signatory_name": STAFF,
    "sharing_agreement_parties.signatory_title": STAFF,
    "sharing_agreement_parties.signed_digest": HASH,
    "sharing_agreement_parties.evidence": AGREEMENT,
    "sharing_agreement_purposes.purpose": POLICY,
    "sharing_agreements.reference": REFERENCE,
    "sharing_agreements.title": AGREEMENT,
    "sharing_agreements.purpose": AGREEMENT,
    "sharing_agreements.lawful_basis": POLICY,
    "sharing_agreements.special_condition": POLICY,
    "sharing_agreements.statutory_gateway": POLICY,
    "sharing_agreements.data_items": AGREEMENT,
    "sharing_agreements.data_subjects": AGREEMENT,
    "sharing_agreements.frequency": AGREEMENT,
    "sharing_agreements.transfer_method": AGREEMENT,
    "sharing_agreements.transfer_security": AGREEMENT,
    "sharing_agreements.retention": AGREEMENT,
    "sharing_agreements.rights_requests": AGREEMENT,
    "sharing_agreements.breach_procedure": AGREEMENT,
    "sharing_agreements.conditions": AGREEMENT,
    "sharing_agreements.dpia_reference": REFERENCE,
    "sharing_agreements.termination_reason": AGREEMENT,
    "sharing_agreements.content_digest": HASH,
    "sharing_agreements.service_key": POLICY,
    "sharing_gss_codes.code": REFERENCE,
    "sharing_gss_codes.name": "an ONS area name",
    "sharing_gss_releases.source": "where an ONS code list came from",
    "sharing_gss_releases.prefixes": REFERENCE,
    # Training.
    "training_assignments.course_code": POLICY,
    "training_assignments.source_ref": REFERENCE,
    "training_completions.course_code": POLICY,
    "training_exemptions.course_code": POLICY,
    "training_import_rejections.reason": "why a row of the learning system's export was "
    "refused: staff numbers and course codes",
    "training_import_rows.course_code": POLICY,
    "training_imports.file_name": "the name of an uploaded export",
    "training_imports.file_hash": HASH,
    "training_imports.message": "an import's outcome, in counts",
    # Stored IG reports (ig/reports): aggregate figures, labels and definitions only.
    "ig_reports.title": "a report's title: its period",
    "ig_reports.generated_by_label": STAFF,
    "ig_reports.content": "aggregate figures with their labels and definitions, and team "
    "names: counts, never records",
    "ig_reports.policy_versions": HASH,
    "ig_report_figures.basis": "as recorded then or as now known",
    "ig_report_figures.section": "the register a report figure is about",
    "ig_report_figures.key": "a report figure's stable key",
    "ig_report_figures.label": "a report figure's name (team and directorate names at most)",
    "ig_report_figures.group": "the breakdown a report figure belongs to",
    "ig_report_figures.unit": "count, percent, hours or days",
    # IG risks: a risk's title names a kind of risk, as the register lists it; cause, effect,
    # controls, review notes, actions and closing reasons, which may name people, are encrypted.
    "risks.title": "the name of a kind of information risk, as the register lists it",
    "risks.category": POLICY,
    "risk_reviews.policy_version": POLICY,
    "risk_incidents.reference": REFERENCE,
    "risk_dpias.reference": REFERENCE,
    "risk_information_assets.reference": REFERENCE,
}


def text_columns() -> dict[str, sa.Column]:
    """Every String, Text, JSON or binary column of the schema, enums and row keys aside."""
    found = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            if isinstance(kind, sa.Enum) or column.name == ROW_KEY:
                continue
            if isinstance(kind, (sa.String, sa.JSON, sa.LargeBinary, EncryptedColumn)):
                found[f"{table.name}.{column.name}"] = column
    return found


def test_every_text_column_is_encrypted_or_listed_as_not_personal():
    unlisted = sorted(
        name
        for name, column in text_columns().items()
        if not isinstance(column.type, EncryptedColumn) and name not in NOT_PERSONAL
    )
    assert not unlisted, (
        "These text columns are neither encrypted nor listed as not personal. Declare "
        "each as EncryptedText or EncryptedBytes on a RowKeyed table, or add it to "
        "NOT_PERSONAL in "
        f"{__file__} with the reason it holds no personal data: {unlisted}"
    )


def test_the_list_names_only_real_columns_in_the_clear():
    columns = text_columns()
    stale = sorted(name for name in NOT_PERSONAL if name not in columns)
    assert not stale, f"NOT_PERSONAL names columns that do not exist: {stale}"
    encrypted = sorted(
        name for name in NOT_PERSONAL if isinstance(columns[name].type, EncryptedColumn)
    )
    assert not encrypted, f"NOT_PERSONAL names encrypted columns: {encrypted}"
    assert all(reason.strip() for reason in NOT_PERSONAL.values())


def test_the_newly_encrypted_free_text_is_encrypted():
    encrypted = {f"{table}.{column}" for table, column, _ in encrypted_columns(Base.metadata)}
    assert {
        "incidents.others_told",
        "incident_notifications.late_reason",
        "incident_notifications.external_reference",
        "incident_timeline.summary",
        "caldicott_requests.requester_name",
        "caldicott_requests.requester_role",
    } <= encrypted


def test_uploaded_files_are_encrypted_bytes():
    """Uploads hold case detail (agreements) and staff records (imports): never in the clear."""
    for name in ("sharing_document_contents.data", "training_import_files.data"):
        assert isinstance(text_columns()[name].type, EncryptedBytes), name


def test_every_table_with_encrypted_columns_binds_them_to_its_rows():
    for table_name, _, _ in encrypted_columns(Base.metadata):
        table = Base.metadata.tables[table_name]
        assert table.c[ROW_KEY].unique or any(
            index.unique and list(index.columns) == [table.c[ROW_KEY]] for index in table.indexes
        ), f"{table_name}.{ROW_KEY} must be unique"
