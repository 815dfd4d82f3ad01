"""The records the query-count tests show, each made the first time a page names it.

tests/web/query_rows.py adds rows to them; tests/web/test_query_counts.py counts.
"""

from __future__ import annotations

import itertools
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.auth.service import actor_for
from ig.db import utcnow
from ig.policies import Policies
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.incidents.conftest import breach

numbers = itertools.count(1)  # for unique names and references


class World:
    """A signed-in user's small data set, each record made the first time it is asked for."""

    def __init__(self, db: Session, policies: Policies, user: Any) -> None:
        self.db, self.policies, self.user = db, policies, user

    def fresh(self, name: str) -> Any:
        """The record ``name`` as the database now holds it: a request's teardown closes
        the session, which leaves the objects made before it detached and stale."""
        made = getattr(self, name)
        return self.db.get(type(made), made.id)

    def actor(self, *roles: str) -> Actor:
        return actor_for(factories.make_user(self.db, roles=roles), self.policies)

    @cached_property
    def officer(self) -> Actor:
        return self.actor("ig_officer")

    @cached_property
    def guardian(self) -> tuple[Any, Actor]:
        user = factories.make_user(self.db, roles=("caldicott_guardian",))
        return user, actor_for(user, self.policies)

    @cached_property
    def team(self) -> Any:
        return factories.make_team(self.db)

    @cached_property
    def incident(self) -> Any:
        return breach(
            self.db, self.actor("staff"), self.officer, self.policies.incidents, self.team
        )

    @cached_property
    def request(self) -> Any:
        """A Caldicott request, assessed and signed, about the factory's one identifier."""
        request = factories.make_caldicott_request(self.db, self.user)
        assess(self.db, self.policies.caldicott, self.officer, request)
        sign(self.db, self.policies.caldicott, self.guardian, request)
        return request

    @cached_property
    def own(self) -> Any:
        return factories.make_organisation(self.db, name=f"Eastmere {next(numbers)}")

    @cached_property
    def council(self) -> Any:
        return factories.make_organisation(self.db, "local_authority", "E09000007", "Camden")

    @cached_property
    def agreement(self) -> Any:
        return factories.make_sharing_agreement(
            self.db, self.policies.sharing, self.own, [factories.make_organisation(self.db)]
        )

    @cached_property
    def notice(self) -> Any:
        return factories.make_notice(self.db, owner=self.user)

    @cached_property
    def staff(self) -> Any:
        return factories.make_staff(self.db, self.team, user_id=self.user.id)

    @cached_property
    def training_import(self) -> Any:
        """A checked file of completions (the training import page)."""
        from ig.training.models import ImportKind

        return self._checked_import(ImportKind.COMPLETIONS)

    @cached_property
    def staff_import(self) -> Any:
        """A checked file of staff (the people import page)."""
        from ig.training.models import ImportKind

        return self._checked_import(ImportKind.STAFF)

    def _checked_import(self, kind: Any) -> Any:
        from ig.training.models import ImportStatus, TrainingImport

        job = TrainingImport(
            kind=kind,
            status=ImportStatus.CHECKED,
            file_name="upload.csv",
            file_hash=f"{next(numbers):064d}",
            created_at=utcnow(),
        )
        self.db.add(job)
        self.db.flush()
        return job
