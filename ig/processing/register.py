"""The record of processing activities: filtered, sorted and paged in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig.audit.service import Page, record
from ig.auth.rules import Actor
from ig.errors import PermissionDenied
from ig.processing.models import ProcessingActivity
from ig.processing.rules import LawfulBasis, Role

A = ProcessingActivity


@dataclass(frozen=True)
class ActivityFilter:
    role: Role = Role.CONTROLLER  # Art. 30(1) and 30(2) records are kept apart
    lawful_basis: LawfulBasis | None = None
    relies_on_consent: bool | None = None
    has_special_category: bool | None = None
    search: str = ""


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: ActivityFilter) -> Select:
    query = select(A).where(A.role == filters.role)
    if filters.lawful_basis:
        query = query.where(A.lawful_basis == filters.lawful_basis)
    if filters.relies_on_consent is not None:
        query = query.where(A.relies_on_consent.is_(filters.relies_on_consent))
    if filters.has_special_category is not None:
        query = query.where(A.has_special_category.is_(filters.has_special_category))
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip().lower())}%"
        query = query.where(func.lower(A.name).like(pattern, escape="\\"))
    return query.order_by(A.name, A.id)


def list_activities(
    session: Session, filters: ActivityFilter, page: int = 1, per_page: int = 25
) -> Page:
    """Activities matching ``filters``, by name, paged in SQL (no decrypted text)."""
    query = _filtered(filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    query = query.options(selectinload(A.controllers))
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(rows), page, per_page, total)


def export_activities(
    session: Session, actor: Actor, filters: ActivityFilter, how: str, now: dt.datetime
) -> list[ProcessingActivity]:
    """Every activity matching ``filters``, decrypted, with its categories and controllers,
    for an export or the printable record (``how``); the reading is audited.

    Raises PermissionDenied without processing.export.
    """
    if not actor.can("processing.export"):
        raise PermissionDenied("Only the IG team, the SIRO and auditors can export the record")
    detail = {"how": how, "role": filters.role.value}
    record(session, actor, "processing.exported", "processing_activity", None, detail, at=now)
    query = _filtered(filters).options(
        undefer_group("detail"), selectinload(A.categories), selectinload(A.controllers)
    )
    return list(session.scalars(query).unique().all())
