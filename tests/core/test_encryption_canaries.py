"""Canaries: distinctive text written into every free-text field, an agreement PDF and a
training import's file through the services, then looked for in the raw database (its
file on SQLite, ``pg_dump`` on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.auth.service import actor_for
from ig.caldicott.assessment import Consultation, start_amendment
from ig.caldicott.models import CaldicottRequest
from ig.caldicott.policy import CaldicottPolicy
from ig.incidents import closure, involved, notify, service
from ig.incidents.models import Exemption, Impact, Incident, Kind, Recovery
from ig.incidents.notification_models import Phase, Regulator
from ig.migrations import upgrade
from ig.policies import Policies
from ig.sharing import documents
from ig.training import assignments
from ig.training import service as training
from ig.training.import_files import load_file
from ig.training.imports import create_import
from ig.training.models import ImportKind, TrainingImport
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.incidents.conftest import answer_ico_form, report
from tests.sharing import pdf_samples
from tests.sharing.conftest import OFFICER as SHARING_OFFICER
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

MARK = "qzcanary"
DOCUMENT_TITLE = f"{MARK} signed agreement 7f3e"
NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


def canary(field: str) -> str:
    return f"{MARK}-{field}-7f3e"


def _incident_details(incident: Any) -> service.Details:
    return service.Details(
        incident_type="phishing",  # a cyber incident: the impact question is asked
        is_confidentiality=True,
        is_integrity=False,
        is_availability=False,
        is_cyber=True,
        is_vulnerable=True,
        is_ongoing=False,
        data_categories=["health"],
        people_categories=["children"],
        people_count=3,
        records_count=12,
        others_told=canary("others_told"),
        discovery=canary("discovery"),
        containment=canary("containment"),
        consequences=canary("consequences"),
        investigation_notes=canary("investigation_notes"),
        org_impact=Impact.LOW,
        impact_detail=canary("impact_detail"),
        recovery_time=Recovery.REGULAR,
        preventative_measures=canary("preventative_measures"),
        reported_before_detail=canary("reported_before_detail"),
    )


def write_incident(db: Session, policies: Policies) -> None:
    policy = policies.incidents
    officer = actor_for(factories.make_user(db, roles=("ig_officer",)), policies)
    reporter = actor_for(factories.make_user(db, roles=("staff",)), policies)
    incident = report(db, reporter, policy, factories.make_team(db), NOW, canary("narrative"))
    service.triage_incident(db, officer, policy, incident, Kind.BREACH, NOW, NOW)
    notify.grade_incident(db, officer, policy, incident, 3, 3, NOW)
    siro = actor_for(factories.make_user(db, roles=("siro",)), policies)
    if incident.needs_confirmation:
        notify.confirm_grading(db, siro, policy, incident, NOW)
    service.update_details(
        db, officer, policy, incident, _incident_details(incident), incident.version, NOW
    )
    answer_ico_form(incident, "phishing")
    involved.add_affected_person(
        db, officer, incident, canary("identifier"), canary("name"), canary("note"), NOW
    )
    notify.override_duties(db, officer, incident, True, False, canary("override_reason"), NOW)
    late = NOW + dt.timedelta(hours=80)
    notify.record_notification(
        db,
        officer,
        incident,
        Regulator.ICO,
        Phase.INITIAL,
        late,
        canary("external_reference"),
        canary("content"),
        canary("late_reason"),
        late,
    )
    notify.record_communication(
        db,
        officer,
        incident,
        True,
        None,
        canary("people_told_how"),
        Exemption.DISPROPORTIONATE_EFFORT,
        canary("public_communication"),
        late,
    )
    _close_and_reopen(db, officer, incident, late)
    unnotified = report(db, reporter, policy, factories.make_team(db), NOW, canary("narrative"))
    service.triage_incident(db, officer, policy, unnotified, Kind.BREACH, NOW, NOW)
    notify.record_no_notification(db, officer, unnotified, canary("no_notification_reason"), NOW)


def _close_and_reopen(db: Session, officer: Any, incident: Any, now: dt.datetime) -> None:
    action = closure.add_action(
        db, officer, incident, canary("action"), officer.user_id, dt.date(2026, 7, 1), now
    )
    closure.accept_action(db, officer, incident, action.id, canary("acceptance_reason"), now)
    closure.close_incident(
        db, officer, incident, canary("root_cause"), canary("lessons_learned"), now
    )
    closure.reopen_incident(db, officer, incident, canary("status_reason"), now)


def write_caldicott(db: Session, policies: Policies) -> None:
    policy: CaldicottPolicy = policies.caldicott
    officer = factories.make_user(db, roles=("ig_officer",))
    guardian = factories.make_user(db, roles=("caldicott_guardian",))
    request = factories.make_caldicott_request(
        db,
        officer,
        requester_name=canary("requester_name"),
        requester_role=canary("requester_role"),
        purpose=canary("purpose"),
        information=canary("information"),
        case_details=canary("case_details"),
        identifiers=(canary("subject"),),
    )
    officer_actor = actor_for(officer, policies)
    assess(
        db,
        policy,
        officer_actor,
        request,
        legal_basis_note=canary("legal_basis_note"),
        principle_notes={p.key: canary(f"principle_{p.number}") for p in policy.principles},
        consultations=(Consultation(canary("consulted"), canary("advice")),),
        recommendation=canary("recommendation"),
    )
    signer = (guardian, actor_for(guardian, policies))
    sign(db, policy, signer, request, conditions=(canary("condition"),), reasons=canary("reasons"))
    start_amendment(db, officer_actor, request, canary("amendment_reason"), NOW)


def write_training_and_users(db: Session, policies: Policies) -> None:
    factories.make_user(db, totp_secret=canary("totp_secret"))
    manager = actor_for(factories.make_user(db, roles=("ig_officer",)), policies)
    staff = factories.make_staff(db)
    course = next(iter(policies.training.courses))
    training.add_exemption(
        db,
        manager,
        staff,
        course,
        canary("exemption_reason"),
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        policy=policies.training,
        now=NOW,
    )
    assignments.assign_course(
        db,
        manager,
        [staff.id],
        course,
        dt.date(2026, 9, 1),
        canary("assignment_reason"),
        "test",
        today=NOW.date(),
        policy=policies.training,
        now=NOW,
    )
    export = f"Staff number,Name\nP9,{canary('import_file')}\n".encode()
    create_import(db, manager, ImportKind.STAFF, export, "hr.csv")  # its file is encrypted


def write_agreement_document(db: Session, policies: Policies) -> int:
    """An agreement PDF whose text carries a canary: its bytes are encrypted too."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": DOCUMENT_TITLE})  # pypdf would escape a canary's "-"
    data = pdf_samples.written(writer)
    assert DOCUMENT_TITLE.encode() in data  # in the PDF's bytes as they are uploaded
    own = factories.make_organisation(db, name="Eastmere Council", is_self=True)
    agreement = factories.make_sharing_agreement(db, policies.sharing, own)
    return documents.store_document(
        db, SHARING_OFFICER, agreement, "signed.pdf", data, len(data), NOW
    ).id


def raw_rows_with_canaries(engine: Engine) -> list[str]:
    found = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                if MARK in repr(tuple(row)).casefold():
                    found.append(f"{table}: {row}")
    return found


def dump_of(engine: Engine, tmp_path: Path) -> str:
    """The database as bytes: the SQLite file, or a pg_dump of the PostgreSQL database."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        database = engine.url.database or ""
        files = [Path(database), Path(f"{database}-wal"), Path(f"{database}-journal")]
        return "".join(p.read_bytes().decode("latin-1") for p in files if p.exists())
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed; the raw rows were checked")
    url = engine.url.set(drivername="postgresql")
    target = tmp_path / "dump.sql"
    subprocess.run(  # noqa: S603 - a fixed executable and our own test database
        [pg_dump, "--no-owner", "--file", str(target), url.render_as_string(False)],
        check=True,
    )
    return target.read_text(encoding="utf-8")


def test_no_canary_in_the_raw_database_or_its_dump(
    scratch_engine,  # noqa: F811
    keyring,
    policies,
    tmp_path,
):
    upgrade(scratch_engine)
    with Session(scratch_engine) as db:
        write_incident(db, policies)
        write_caldicott(db, policies)
        write_training_and_users(db, policies)
        document_id = write_agreement_document(db, policies)
        db.commit()
    with Session(scratch_engine) as db:  # the canaries went in, and read back
        incident, unnotified = db.scalars(select(Incident).order_by(Incident.id)).all()
        reference = incident.reference  # stored in the clear, as references are
        assert incident.others_told == canary("others_told")
        assert unnotified.no_notification_reason == canary("no_notification_reason")
        assert any(canary("external_reference") in e.summary for e in incident.timeline)
        request = db.scalars(select(CaldicottRequest)).one()
        assert request.requester_name == canary("requester_name")
        _, data = documents.open_document(db, SHARING_OFFICER, document_id)
        assert DOCUMENT_TITLE.encode() in data
        upload = load_file(db, db.scalars(select(TrainingImport)).one())
        assert canary("import_file").encode() in upload
    assert raw_rows_with_canaries(scratch_engine) == []
    dump = dump_of(scratch_engine, tmp_path).casefold()
    assert MARK not in dump
    assert reference.casefold() in dump  # the search sees text stored in the clear
