"""The audit trail: chained entries, and verification naming the first tampered entry."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.audit.service import GENESIS, AuditFilter, list_entries, record, verify_chain
from ig.auth.rules import Actor

ADA = Actor(user_id=7, label="ada@example.org")
BOB = Actor(user_id=8, label="bob_smith@example.org")
START = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


def last_seq(db) -> int:
    return db.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))


@pytest.fixture
def trail(db):
    """Five chained entries, one an hour; returns their seq numbers."""
    entries = [
        record(
            db,
            ADA,
            f"thing.step{n}",
            "thing",
            n,
            {"field": f"f{n}"},
            at=START + dt.timedelta(hours=n),
        )
        for n in range(5)
    ]
    return [entry.seq for entry in entries]


def execute(db, sql: str, **params: object) -> None:
    db.connection().execute(text(sql), params)
    db.expire_all()


def test_entries_are_chained(db):
    before = last_seq(db)
    first = record(db, ADA, "incident.created", "incident", 12, {"fields": ["title"]}, at=START)
    second = record(db, BOB, "incident.detail_viewed", "incident", 12, at=START)
    assert (first.seq, second.seq) == (before + 1, before + 2)
    assert second.prev_hash == first.entry_hash
    assert len(first.entry_hash) == 64
    assert first.entry_hash != second.entry_hash
    assert (second.actor_id, second.actor_label, second.record_id) == (8, BOB.label, "12")
    assert second.detail == {}


def test_the_first_entry_starts_from_the_genesis_hash(db):
    assert last_seq(db) == 0  # each test starts with an empty trail
    entry = record(db, ADA, "x")
    assert (entry.seq, entry.prev_hash) == (1, GENESIS)


def test_an_intact_trail_verifies(db, trail):
    result = verify_chain(db)
    assert result.ok
    assert result.checked == trail[-1]
    assert result.head_seq == trail[-1]
    head = db.scalars(select(AuditEntry).where(AuditEntry.seq == trail[-1])).one()
    assert result.head_hash == head.entry_hash


def test_an_empty_trail_verifies(db):
    assert last_seq(db) == 0
    result = verify_chain(db)
    assert (result.ok, result.checked, result.head_hash) == (True, 0, GENESIS)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_entries SET action = 'thing.nothing' WHERE seq = :seq",
        "UPDATE audit_entries SET actor_label = 'someone.else@example.org' WHERE seq = :seq",
        "UPDATE audit_entries SET record_id = '99' WHERE seq = :seq",
        'UPDATE audit_entries SET detail = \'{"field": "other"}\' WHERE seq = :seq',
        "UPDATE audit_entries SET actor_id = NULL WHERE seq = :seq",
    ],
)
@pytest.mark.parametrize("position", [1, 4])  # in the middle and the newest
def test_an_altered_entry_is_named(db, trail, change, position):
    execute(db, change, seq=trail[position])
    problem = verify_chain(db).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == ("altered", trail[position])
    assert f"entry {trail[position]} " in problem.message


def test_an_altered_time_is_named(db, trail):
    if db.get_bind().dialect.name == "sqlite":
        execute(
            db,
            "UPDATE audit_entries SET at = datetime(at, '+1 second') WHERE seq = :seq",
            seq=trail[2],
        )
    else:
        execute(
            db,
            "UPDATE audit_entries SET at = at + interval '1 second' WHERE seq = :seq",
            seq=trail[2],
        )
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("altered", trail[2])


def test_a_changed_link_is_named(db, trail):
    execute(
        db, "UPDATE audit_entries SET prev_hash = :h WHERE seq = :seq", h="f" * 64, seq=trail[3]
    )
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("altered", trail[3])


def test_the_first_of_several_changes_is_named(db, trail):
    execute(
        db, "UPDATE audit_entries SET action = 'x' WHERE seq IN (:a, :b)", a=trail[1], b=trail[3]
    )
    assert verify_chain(db).problem.seq == trail[1]


@pytest.mark.parametrize("position", [0, 2])
def test_a_removed_entry_is_named(db, trail, position):
    execute(db, "DELETE FROM audit_entries WHERE seq = :seq", seq=trail[position])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("removed", trail[position])
    assert f"entry {trail[position]} was removed" in problem.message


def test_a_removal_before_an_altered_entry_is_named_first(db, trail):
    execute(db, "DELETE FROM audit_entries WHERE seq = :seq", seq=trail[1])
    execute(db, "UPDATE audit_entries SET action = 'x' WHERE seq = :seq", seq=trail[2])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("removed", trail[1])


def forge(db, seq: int, prev_hash: str) -> None:
    db.execute(
        AuditEntry.__table__.insert().values(
            seq=seq,
            at=START,
            actor_id=None,
            actor_label="forger",
            action="thing.forged",
            detail={},
            prev_hash=prev_hash,
            entry_hash="0" * 64,
        )
    )
    db.expire_all()


def test_an_entry_inserted_in_the_middle_is_named(db, trail):
    # Make room, as a forger must: shift the later entries up by one (in two steps,
    # so that the unique seq is never duplicated part-way).
    execute(db, "UPDATE audit_entries SET seq = -seq WHERE seq >= :seq", seq=trail[2])
    execute(db, "UPDATE audit_entries SET seq = 1 - seq WHERE seq < 0")
    before = db.scalars(select(AuditEntry.entry_hash).where(AuditEntry.seq == trail[1])).one()
    forge(db, trail[2], before)
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("inserted", trail[2])
    assert f"entry {trail[2]} (id" in problem.message
    assert "inserted" in problem.message


def test_an_entry_added_at_the_end_is_named(db, trail):
    head = verify_chain(db).head_hash
    forge(db, trail[-1] + 1, head)
    problem = verify_chain(db).problem
    assert problem.seq == trail[-1] + 1
    assert "added by someone without the audit key" in problem.message


def test_an_entry_added_far_beyond_the_end_is_named(db, trail):
    forge(db, trail[-1] + 500, "a" * 64)
    assert verify_chain(db).problem.seq == trail[-1] + 500


def test_the_unique_seq_stops_a_fork(db, trail):
    head = db.scalars(select(AuditEntry).where(AuditEntry.seq == trail[-1])).one()
    with pytest.raises(IntegrityError), db.begin_nested():
        forge(db, head.seq, head.prev_hash)  # a second entry claiming the same place


def test_verification_leaves_the_callers_objects_alone(db, trail):
    mine = record(db, ADA, "thing.kept")
    verify_chain(db)
    assert mine in db


def test_concurrent_writers_keep_one_chain(engine, keyring):
    """Two processes appending at once still make one unbroken chain (PostgreSQL lock)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; the advisory lock is PostgreSQL's")
    written: list[int] = []
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for n in range(10):
                with Session(engine) as session:
                    written.append(record(session, Actor(None, name), f"race.{n}").id)
                    session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"writer{i}",)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with Session(engine) as session:
            result = verify_chain(session)
        assert result.ok, result.problem
        assert result.checked >= 20
    finally:
        with Session(engine) as session:
            session.execute(delete(AuditEntry).where(AuditEntry.id.in_(written)))
            session.commit()


class TestListEntries:
    @pytest.fixture
    def entries(self, db):
        return {
            "ada_incident": record(db, ADA, "incident.created", "incident", 3, at=START),
            "bob_incident": record(
                db, BOB, "incident.updated", "incident", 3, at=START + dt.timedelta(days=1)
            ),
            "bob_user": record(db, BOB, "user.created", "user", 3, at=START + dt.timedelta(days=2)),
            # 23:30 UTC on 2 July is 00:30 on 3 July in London (summer time)
            "late": record(
                db,
                ADA,
                "incident.viewed",
                "incident",
                4,
                at=dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC),
            ),
        }

    def ids(self, db, **filters) -> set[int]:
        return {entry.id for entry in list_entries(db, AuditFilter(**filters)).rows}

    def test_filters(self, db, entries):
        e = {name: entry.id for name, entry in entries.items()}
        assert self.ids(db, actor="BOB_") == {e["bob_incident"], e["bob_user"]}
        assert self.ids(db, actor="b%b") == set()  # wildcards are literal
        assert self.ids(db, record_type="incident", record_id="3") == {
            e["ada_incident"],
            e["bob_incident"],
        }
        assert self.ids(db, action="user.created") == {e["bob_user"]}
        assert self.ids(db, date_from=dt.date(2026, 7, 3)) == {e["late"]}
        assert self.ids(db, date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 2)) == {
            e["bob_incident"],
            e["bob_user"],
        }
        assert self.ids(db, actor="ada", date_to=dt.date(2026, 6, 30)) == {e["ada_incident"]}

    def test_newest_first_and_paged(self, db):
        for n in range(7):
            record(db, ADA, f"paging.{n}", "paging", n, at=START)
        page = list_entries(db, AuditFilter(record_type="paging"), page=2, per_page=3)
        assert [entry.action for entry in page.rows] == ["paging.3", "paging.2", "paging.1"]
        assert (page.total, page.pages, page.page) == (7, 3, 2)

    @pytest.mark.parametrize(("asked", "shown"), [(-5, 1), (0, 1), (3, 3), (10**12, 3)])
    def test_page_numbers_are_clamped(self, db, asked, shown):
        for n in range(7):
            record(db, ADA, f"clamp.{n}", "clamp", n, at=START)
        page = list_entries(db, AuditFilter(record_type="clamp"), page=asked, per_page=3)
        assert page.page == shown
        assert page.rows

    def test_an_empty_result_is_one_empty_page(self, db):
        page = list_entries(db, AuditFilter(record_type="nothing"), page=4)
        assert (page.rows, page.page, page.pages, page.total) == ([], 1, 1, 0)
