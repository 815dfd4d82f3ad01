"""What ``ig import-staff``, ``ig import-training``, ``ig add-team`` and ``ig add-manager`` do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.db import Database, london_today
from ig.errors import NotFound, ValidationFailed
from ig.people.hierarchy import add_team_manager, create_team
from ig.people.models import TeamKind
from ig.people.service import get_team
from ig.training.import_check import check_import
from ig.training.import_files import read_upload
from ig.training.import_rows import file_hash
from ig.training.imports import (
    apply_import,
    create_import,
    discard_import,
    find_imported,
    list_rejections,
)
from ig.training.models import ImportKind, ImportStatus
from ig.training.policy import TrainingPolicy

Echo = Callable[[str], None]


def run_import(
    database: Database,
    policy: TrainingPolicy,
    kind: ImportKind,
    path: Path,
    import_valid: bool,
    echo: Echo,
) -> int:
    """Check a file, list its rejected rows, and import it if allowed; the exit status.

    The file is kept in the database while it is checked, as an upload is.
    """
    today = london_today()
    try:
        with path.open("rb") as handle:
            data = read_upload(handle)
    except ValidationFailed as error:
        echo(f"Not imported: {error.message}.")
        return 1
    with database.session_scope() as session:
        earlier = find_imported(session, kind, file_hash(data))
        if earlier is not None:
            echo(f"This file was already imported (import {earlier.id}); nothing has changed.")
            return 0
        job = create_import(session, SYSTEM, kind, data, path.name)
        check_import(
            session, job, policy, today, progress=lambda j: echo(f"  checked {j.rows_checked} rows")
        )
        if job.status is ImportStatus.FAILED:
            echo(job.message)
            return 1
        _list_rejections(session, job, echo)
        echo(f"{job.rows_valid} valid rows, {job.rows_rejected} rejected.")
        if job.rows_rejected and not import_valid:
            discard_import(session, SYSTEM, job)
            echo(
                "Nothing was imported. Fix the rejected rows, or run again with "
                f"--import-valid to import the {job.rows_valid} valid rows only."
            )
            return 1
        apply_import(session, SYSTEM, job, policy, today)
        echo(job.message)
    return 0


def _list_rejections(session: object, job: object, echo: Echo, limit: int = 200) -> None:
    page = list_rejections(session, job, per_page=limit)  # type: ignore[arg-type]
    for rejection in page.rows:
        echo(f"  line {rejection.line}: {rejection.reason}")
    if page.total > limit:
        echo(f"  ... and {page.total - limit} more rejected rows")


def add_team(database: Database, name: str, kind: str, parent_id: int | None, echo: Echo) -> int:
    """Add a team under ``parent_id`` (or at the top)."""
    try:
        with database.session_scope() as session:
            parent = get_team(session, parent_id) if parent_id is not None else None
            team = create_team(session, SYSTEM, name, TeamKind(kind), parent)
            echo(f"Added team {team.id}: {team.name} ({team.kind.value}).")
    except (NotFound, ValidationFailed) as error:
        echo(f"Not added: {error.message}")
        return 1
    return 0


def add_manager(database: Database, team_id: int, email: str, echo: Echo) -> int:
    """Make the user with ``email`` a manager of team ``team_id``."""
    try:
        with database.session_scope() as session:
            team = get_team(session, team_id)
            user = session.scalar(select(User).where(User.email == email.strip().lower()))
            if user is None:
                raise NotFound(f"No user has the e-mail address {email}")
            add_team_manager(session, SYSTEM, team, user.id)
            echo(f"{user.name} now manages {team.name} and every team below it.")
    except NotFound as error:
        echo(f"Not changed: {error.message}")
        return 1
    return 0
