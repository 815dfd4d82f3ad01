"""Identical completion forms sent together: one completion, and a clear answer to each."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url

from ig import create_app
from ig.auth import service as auth_service
from ig.auth.rules import SYSTEM
from ig.db import Database, make_engine, utcnow
from ig.errors import ValidationFailed
from ig.migrations import upgrade
from ig.settings import Settings
from ig.training import service
from ig.training.models import Completion
from tests import factories
from tests.conftest import IgClient

ON = dt.date(2026, 3, 2)


def _form(staff_number: str, day: dt.date) -> dict[str, Any]:
    return {
        "staff_number": staff_number,
        "course_code": "DSA",
        "completed_on": [day.day, day.month, day.year],
    }


def test_the_same_completion_sent_twice_is_refused_beside_the_date(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("ig_officer")
    staff = factories.make_staff(db)
    db.commit()
    today = dt.date.today()  # noqa: DTZ011 - the form refuses future dates by today's
    first = client.post("/training/completions/new", data=_form(staff.staff_number, today))
    second = client.post("/training/completions/new", data=_form(staff.staff_number, today))
    assert first.status_code == 302
    assert second.status_code == 422
    assert b"already recorded" in second.data


def test_a_completion_saved_between_the_check_and_the_insert_is_refused_as_a_duplicate(
    db: Any, policies: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = factories.make_staff(db)
    factories.make_completion(db, staff, "DSA", ON)
    checks = iter([False])  # the other request had not committed when this one checked
    real = service._is_recorded
    monkeypatch.setattr(service, "_is_recorded", lambda *args: next(checks, None) or real(*args))
    with pytest.raises(ValidationFailed, match="already recorded"):
        service.record_completion(db, SYSTEM, staff, "DSA", ON, ON, policy=policies.training)
    count = select(func.count()).select_from(Completion).where(Completion.staff_id == staff.id)
    assert db.scalar(count) == 1  # and the session is still usable


@pytest.fixture
def race_engine(backend: str, engine: Engine) -> Iterator[Engine]:
    """A migrated PostgreSQL database of its own: the racing requests must commit."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    url = engine.url.set(database=f"{engine.url.database}_race")
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f'"{url.database}"'
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    race = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade(race)
        yield race
    finally:
        race.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _signed_in_client(app: Any, database: Database) -> tuple[IgClient, str]:
    with database.session_scope() as session:
        user = factories.make_user(session, roles=("ig_officer",))
        started = auth_service.start_session(session, user, "pytest", utcnow())
        started.row.is_two_factor_done = True
        staff = factories.make_staff(session)
        number = staff.staff_number
    client: IgClient = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = started.token
        cookie["_fresh"] = True
    return client, number


def test_identical_completions_posted_at_once_record_one_and_answer_both(
    race_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    database = Database(race_engine)
    app = create_app(settings, database)
    app.test_client_class = IgClient
    client, number = _signed_in_client(app, database)
    other: IgClient = app.test_client()
    other.set_cookie("ig", client.get_cookie("ig").value)  # type: ignore[union-attr]
    both_checked = threading.Barrier(2, timeout=20)
    # Hold each request at its INSERT until both have checked for a duplicate.
    hold = event.listens_for(Completion, "before_insert")(lambda *_: both_checked.wait())
    today = dt.date.today()  # noqa: DTZ011 - the form refuses future dates by today's
    answers: list[Any] = []

    def send(sender: IgClient) -> None:
        try:
            answers.append(sender.post("/training/completions/new", data=_form(number, today)))
        except Exception as error:  # a server error propagates in testing; keep it
            answers.append(error)

    threads = [threading.Thread(target=send, args=(c,)) for c in (client, other)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        event.remove(Completion, "before_insert", hold)
    statuses = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert statuses == [302, 422]
    refused = next(answer for answer in answers if answer.status_code == 422)
    assert b"already recorded" in refused.data
    with database.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Completion)) == 1
