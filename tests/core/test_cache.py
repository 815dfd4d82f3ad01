"""The shared cache of computed figures (ig/cache.py): one store for every process."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ig import cache
from ig.cache import CachedFigure, CacheError
from ig.db import make_engine, utcnow
from ig.migrations import upgrade
from ig.training.figures import Figure
from ig.training.manager import ActionCourse
from ig.training.rules import Status


@pytest.fixture(autouse=True)
def _empty_memory():
    cache.forget()
    yield
    cache.forget()


class Calls:
    """A compute function that counts how often it ran."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.count = 0

    def __call__(self) -> object:
        self.count += 1
        return self.value


def test_a_figure_computed_in_one_process_is_read_by_another(db: Session):
    first = Calls(Figure("All courses", {Status.COMPLIANT: 3, Status.OVERDUE: 1}, 95.0))
    assert cache.cached(db, ("k", 1), ("stamp", 7), first) == first.value
    cache.forget()  # another process: nothing in its memory
    second = Calls("never used")
    found = cache.cached(db, ("k", 1), ("stamp", 7), second)
    assert (first.count, second.count) == (1, 0)
    assert found == first.value
    assert found.counts[Status.OVERDUE] == 1
    assert cache.figure_count(db) == 1


def test_a_changed_stamp_computes_again_and_replaces_the_stored_figure(db: Session):
    cache.cached(db, "k", ("stamp", 1), Calls("old"))
    fresh = Calls("new")
    assert cache.cached(db, "k", ("stamp", 2), fresh) == "new"
    cache.forget()
    assert cache.cached(db, "k", ("stamp", 2), Calls("unused")) == "new"
    assert cache.cached(db, "k", ("stamp", 1), Calls("recomputed")) == "recomputed"
    assert fresh.count == 1
    assert cache.figure_count(db) == 1


def test_memory_answers_a_repeat_without_reading_the_table(db: Session, engine):
    from tests.queries import counting

    cache.cached(db, "k", "s", Calls([1, 2]))
    with counting(engine) as statements:
        assert cache.cached(db, "k", "s", Calls("unused")) == [1, 2]
    assert statements == []


def test_plain_data_round_trips(db: Session):
    course = ActionCourse("DSA", "Data security", Status.OVERDUE, dt.date(2026, 3, 31), 4, 0, None)
    value = {
        "course": course,
        "at": utcnow(),
        "nested": [(1, 2.5, None), {"x": {3, 4}, "y": frozenset({"a"})}],
    }
    cache.cached(db, "k", "s", Calls(value))
    cache.forget()
    assert cache.cached(db, "k", "s", Calls("unused")) == value


class Payload:
    """What an attacker with write access to the table might plant: unpickling it would
    run a command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


@dataclass(frozen=True)
class Outside:
    """A dataclass, but not ig's own."""

    n: int


def test_only_igs_own_dataclasses_are_built(db: Session):
    cache.cached(db, "k", "s", Calls(Outside(1)))
    cache.forget()
    with pytest.raises(CacheError, match=r"may not hold tests\.core\.test_cache\.Outside"):
        cache.cached(db, "k", "s", Calls("unused"))


def test_a_planted_value_is_refused_and_runs_nothing(db: Session, tmp_path: Path):
    marker = tmp_path / "planted"
    cache.cached(db, "k", "s", Calls("honest"))
    db.execute(update(CachedFigure).values(value=pickle.dumps(Payload(marker))))
    cache.forget()
    with pytest.raises(CacheError, match=r"may not hold posix\.system"):
        cache.cached(db, "k", "s", Calls("unused"))
    assert not marker.exists()


def test_figures_outlive_the_request_that_computed_them(tmp_path: Path):
    """The app's session is rolled back after a GET: the figure was committed apart."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ig.db'}")
    upgrade(engine)
    with Session(engine) as session:
        cache.cached(session, "k", "s", Calls(42))
        session.rollback()
    with Session(engine) as session:
        assert cache.figure_count(session) == 1
    engine.dispose()


def test_a_sqlite_session_that_has_written_stores_the_figure_in_its_own_transaction(
    tmp_path: Path,
):
    """A command writing in one transaction (ig demo) holds SQLite's one write lock: the
    figure goes in a savepoint of that transaction, not through a second connection that
    would wait 30 seconds for the lock and give up."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ig.db'}", connect_args={"timeout": 0.1})
    upgrade(engine)
    with Session(engine) as session:
        session.add(CachedFigure(key="other", stamp="s", value=b"", computed_at=utcnow()))
        session.flush()  # the session now holds the write lock
        cache.cached(session, "k", "s", Calls(42))
        session.commit()
    with Session(engine) as session:
        assert cache.figure_count(session) == 2
    engine.dispose()


def test_figures_not_recomputed_for_over_a_year_are_dropped(db: Session):
    cache.cached(db, "old", "s", Calls(1))
    long_ago = utcnow() - cache.KEEP_FOR - dt.timedelta(days=1)
    db.execute(update(CachedFigure).values(computed_at=long_ago))
    cache.cached(db, "new", "s", Calls(2))
    assert db.scalars(select(CachedFigure.computed_at)).all() != [long_ago]
    assert cache.figure_count(db) == 1


def test_forget_with_a_session_empties_the_store(db: Session):
    cache.cached(db, "k", "s", Calls(1))
    cache.forget(db)
    again = Calls(2)
    assert cache.cached(db, "k", "s", again) == 2
    assert again.count == 1
