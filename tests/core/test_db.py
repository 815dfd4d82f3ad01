"""The data layer: UTC instants, one session per request, optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ig import create_app
from ig.auth.access import public
from ig.auth.models import LoginAttempt, User
from ig.db import LONDON, Database, IgSession, check_version, get_session, utcnow
from ig.errors import EditConflict
from tests.factories import make_user


def attempt(at: dt.datetime, key: str = "k") -> LoginAttempt:
    return LoginAttempt(at=at, account_key=key, address="198.51.100.7")


def test_utcnow_is_aware_utc():
    assert utcnow().utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "given",
    [
        dt.datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=LONDON),  # summer time, UTC+1
        dt.datetime(2026, 1, 15, 9, 30, tzinfo=LONDON),  # winter, UTC+0
        dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=dt.UTC),  # a second before the change
        dt.datetime(2026, 10, 25, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_instants_round_trip_as_aware_utc(db, given):
    row = attempt(given)
    db.add(row)
    db.flush()
    db.expire_all()
    loaded = db.get(LoginAttempt, row.id)
    assert loaded.at == given
    assert loaded.at.tzinfo is dt.UTC


def test_instants_are_stored_in_utc(db):
    db.add(attempt(dt.datetime(2026, 7, 1, 12, 0, tzinfo=LONDON), key="stored-utc"))
    db.flush()
    sql = "SELECT at FROM login_attempts WHERE account_key = 'stored-utc'"
    raw = db.connection().exec_driver_sql(sql).scalar_one()
    if isinstance(raw, str):  # SQLite keeps text: it must be the UTC wall time
        assert raw.startswith("2026-07-01 11:00:00")
    else:
        assert raw == dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC)


def test_comparisons_in_sql_follow_the_instant_not_the_wall_clock(db):
    # 01:30 BST is 00:30 UTC, so it is before 01:00 UTC although its wall time is later.
    early = attempt(dt.datetime(2026, 6, 1, 1, 30, tzinfo=LONDON), key="cmp")
    late = attempt(dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC), key="cmp")
    db.add_all([early, late])
    db.flush()
    cut = dt.datetime(2026, 6, 1, 0, 45, tzinfo=dt.UTC)
    found = db.scalars(
        select(LoginAttempt.id).where(LoginAttempt.account_key == "cmp", LoginAttempt.at > cut)
    ).all()
    assert found == [late.id]
    ordered = db.scalars(
        select(LoginAttempt.id).where(LoginAttempt.account_key == "cmp").order_by(LoginAttempt.at)
    ).all()
    assert ordered == [early.id, late.id]


def test_naive_datetime_is_refused(db):
    db.add(attempt(dt.datetime(2026, 7, 1, 12, 0)))  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        db.flush()


def test_timestamps_are_set_in_utc(db):
    user = make_user(db)
    assert user.created_at.tzinfo is not None
    assert abs(user.created_at - utcnow()) < dt.timedelta(minutes=1)


class SpySession(Session):
    """A session that remembers whether it was closed."""

    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


def test_one_session_per_request_closed_at_teardown(settings, engine):
    made: list[SpySession] = []

    def factory() -> Session:
        made.append(SpySession(bind=engine))
        return made[-1]

    app = create_app(settings, Database(engine, factory))
    with app.test_request_context("/"):
        first = get_session()
        assert get_session() is first
        assert not first.closed
    assert made == [first]
    assert first.closed
    with app.test_request_context("/"):
        assert get_session() is not first


def test_uncommitted_request_work_is_rolled_back_at_teardown(settings, engine):
    app = create_app(settings, Database(engine))
    with app.test_request_context("/"):
        get_session().add(attempt(utcnow(), key="never-committed"))
        get_session().flush()
    with Session(engine) as fresh:
        query = select(LoginAttempt).where(LoginAttempt.account_key == "never-committed")
        assert fresh.scalars(query).all() == []


def test_application_sessions_turn_stale_saves_into_edit_conflicts(engine):
    assert isinstance(Database(engine).session_factory(), IgSession)


@pytest.fixture
def committed_user(engine, keyring):
    """A user committed to the database, so that separate sessions can each load it."""
    with Session(engine) as session:
        user = User(email="editors@example.org", name="Original", password_hash="x")
        session.add(user)
        session.commit()
        user_id = user.id
    yield user_id
    with Session(engine) as session:
        session.execute(delete(User).where(User.id == user_id))
        session.commit()


def stored(engine, user_id):
    with engine.connect() as connection:
        sql = f"SELECT name, version FROM users WHERE id = {int(user_id)}"
        return tuple(connection.exec_driver_sql(sql).one())


def save_name(engine, user_id, name):
    with Session(engine) as session:
        session.get(User, user_id).name = name
        session.commit()


def test_second_save_of_a_stale_record_fails(engine, committed_user):
    with Session(engine, expire_on_commit=False) as mine:
        record = mine.get(User, committed_user)
        assert record.version == 1
        # End the read, as a web request does; SQLite would otherwise refuse the
        # later write outright (its snapshot is stale), which hides the version check.
        mine.commit()
        save_name(engine, committed_user, "Saved first")  # someone else, meanwhile
        record.name = "Saved second"
        with pytest.raises(StaleDataError):
            mine.commit()
    assert stored(engine, committed_user) == ("Saved first", 2)


def test_stale_save_in_the_application_session_is_an_edit_conflict(engine, committed_user):
    with Database(engine).session_factory() as mine:
        record = mine.get(User, committed_user)
        mine.commit()  # the application's sessions keep loaded values after commit
        save_name(engine, committed_user, "Saved first")
        record.name = "Saved second"
        with pytest.raises(EditConflict, match="Nothing you entered has been saved"):
            mine.commit()
        mine.rollback()  # as the request's teardown does
        assert mine.get(User, committed_user).name == "Saved first"
    assert stored(engine, committed_user) == ("Saved first", 2)


def test_a_stale_save_in_a_request_gets_a_clear_409_page(settings, engine, committed_user):
    app = create_app(settings, Database(engine))

    @public
    def save() -> str:
        session = get_session()
        record = session.get(User, committed_user)
        session.commit()  # the record was read in an earlier step
        save_name(engine, committed_user, "Saved first")  # another person, meanwhile
        record.name = "Saved second"
        session.commit()
        return "saved"

    app.add_url_rule("/stale-save", view_func=save)
    response = app.test_client().get("/stale-save")
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.data
    assert stored(engine, committed_user) == ("Saved first", 2)


def test_check_version_after_someone_else_saved(engine, committed_user):
    with Session(engine) as first_request:
        form_version = first_request.get(User, committed_user).version
    save_name(engine, committed_user, "Saved meanwhile")
    with Session(engine) as second_request, pytest.raises(EditConflict):
        check_version(second_request.get(User, committed_user), form_version)


def test_each_save_increments_the_version(db):
    user = make_user(db)
    assert user.version == 1
    user.name = "Changed"
    db.flush()
    assert user.version == 2


def test_check_version_passes_the_version_the_form_was_loaded_with(db):
    user = make_user(db)
    check_version(user, 1)


@pytest.mark.parametrize("form_version", [0, 2, None])
def test_check_version_refuses_another_version(db, form_version):
    user = make_user(db, name="Kept")
    with pytest.raises(EditConflict) as caught:
        check_version(user, form_version)
    assert "Someone else changed this record" in caught.value.message
    assert caught.value.status == 409
    assert user.name == "Kept"


def test_session_scope_commits_on_success_and_rolls_back_on_error(db):
    def nested() -> Session:
        return Session(bind=db.connection(), join_transaction_mode="create_savepoint")

    database = Database(db.get_bind(), nested)
    with database.session_scope() as session:
        session.add(attempt(utcnow(), key="scope-ok"))

    def failing_job() -> None:
        with database.session_scope() as session:
            session.add(attempt(utcnow(), key="scope-failed"))
            session.flush()
            raise RuntimeError("job failed")

    with pytest.raises(RuntimeError):
        failing_job()
    keys = db.scalars(
        select(LoginAttempt.account_key).where(LoginAttempt.account_key.like("scope-%"))
    ).all()
    assert keys == ["scope-ok"]


def test_a_released_savepoint_is_undone_by_the_outer_rollback(engine):
    # On SQLite a savepoint outside a transaction would commit when released.
    key = "released-savepoint"
    with engine.connect() as connection:
        outer = connection.begin()
        with connection.begin_nested():
            connection.execute(
                LoginAttempt.__table__.insert().values(at=utcnow(), account_key=key, address="x")
            )
        outer.rollback()
    with Session(engine) as fresh:
        query = select(LoginAttempt).where(LoginAttempt.account_key == key)
        assert fresh.scalars(query).all() == []
