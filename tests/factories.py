"""Factory functions for test records: small, explicit, with sensible defaults."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from ig.auth.models import User, UserRole

PASSWORD = "a long test passphrase 42"
# Hashed once: argon2 is deliberately slow, and most tests only need a valid hash.
PASSWORD_HASH = PasswordHasher().hash(PASSWORD)
_sequence = itertools.count(1)


def make_user(
    db: Session,
    roles: Iterable[str] = ("staff",),
    email: str | None = None,
    name: str | None = None,
    **fields: Any,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"user{number}@example.org",
        name=name or f"Test User {number}",
        password_hash=PASSWORD_HASH,
        roles=[UserRole(role=role) for role in roles],
        **fields,
    )
    db.add(user)
    db.flush()
    return user


def make_team(db: Session, name: str | None = None, parent: Any = None, kind: str = "team") -> Any:
    """A team under ``parent`` (or at the top), with its materialised path set."""
    from ig.people.models import Team, TeamKind

    team = Team(name=name or f"Team {next(_sequence)}", kind=TeamKind(kind), path="/")
    team.parent_id = parent.id if parent is not None else None
    db.add(team)
    db.flush()
    team.path = f"{parent.path if parent is not None else '/'}{team.id}/"
    db.flush()
    return team


def make_staff(db: Session, team: Any = None, **fields: Any) -> Any:
    """A member of staff in ``team`` (a new team if none), in post since 2020."""
    import datetime as dt

    from ig.people.models import Staff

    number = next(_sequence)
    staff = Staff(
        staff_number=fields.pop("staff_number", f"S{number:06d}"),
        name=fields.pop("name", f"Staff Member {number}"),
        team_id=(team or make_team(db)).id,
        started_on=fields.pop("started_on", dt.date(2020, 1, 6)),
        **fields,
    )
    db.add(staff)
    db.flush()
    return staff


def make_completion(
    db: Session, staff: Any, course_code: str, completed_on: Any, **fields: Any
) -> Any:
    """A completion recorded (by default) at noon UTC on the day it was completed."""
    import datetime as dt

    from ig.training.models import Completion, CompletionSource

    completion = Completion(
        staff_id=staff.id,
        course_code=course_code,
        completed_on=completed_on,
        source=fields.pop("source", CompletionSource.MANUAL),
        recorded_at=fields.pop(
            "recorded_at", dt.datetime.combine(completed_on, dt.time(12), dt.UTC)
        ),
        **fields,
    )
    db.add(completion)
    db.flush()
    return completion


def make_caldicott_organisation(db: Session, name: str | None = None) -> Any:
    """A partner organisation for Caldicott requests (a police force by default)."""
    from ig.people.models import Organisation, OrganisationKind

    organisation = Organisation(
        name=name or f"Constabulary {next(_sequence)}", kind=OrganisationKind.POLICE
    )
    db.add(organisation)
    db.flush()
    return organisation


def make_caldicott_request(db: Session, raised_by: User, **fields: Any) -> Any:
    """A Caldicott request raised by ``raised_by`` through the service (so it is valid)."""
    import datetime as dt

    from ig.auth.rules import Actor
    from ig.caldicott.policy import load_caldicott
    from ig.caldicott.service import NewRequest, raise_request
    from ig.settings import PROJECT_ROOT

    now = fields.pop("now", dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC))
    organisation = fields.pop("organisation", None) or make_caldicott_organisation(db)
    values: dict[str, Any] = {
        "received_on": now.date(),
        "requester_name": "DC Jane Rivers",
        "requester_role": "Detective constable",
        "organisation_id": organisation.id,
        "channel": "email",
        "request_type": "police_disclosure",
        "urgency": "routine",
        "purpose": "Investigation of an assault",
        "information": "Contact history for one adult",
        "categories": ("care_records", "criminal_offence"),
        "people_count": 1,
        "includes_deceased": False,
        "needed_by": now.date() + dt.timedelta(days=10),
        "case_details": "Case details that must stay encrypted",
        "identifiers": ("AC-1234567",),
        **fields,
    }
    actor = Actor(
        raised_by.id, raised_by.email, raised_by.role_names, frozenset({"caldicott.request"})
    )
    return raise_request(
        db, actor, load_caldicott(PROJECT_ROOT / "policies"), NewRequest(**values), now
    )


def make_notice(db: Session, owner: User | None = None, **fields: Any) -> Any:
    """A privacy notice with its first version; ``fields`` override NoticeInput's values."""
    import datetime as dt

    from ig.auth.rules import Actor
    from ig.notices.models import Audience
    from ig.notices.policy import load_notices
    from ig.notices.service import NoticeInput, create_notice
    from ig.settings import PROJECT_ROOT

    now = fields.pop("now", dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))
    owner = owner or make_user(db, roles=("manager",))
    values: dict[str, Any] = {
        "title": "Adult social care privacy notice",
        "service_key": "adult_social_care",
        "owner_user_id": owner.id,
        "published_url": "https://eastmere.example/privacy/adult-social-care",
        "audience": Audience.PUBLIC,
        "processing": "Assessments, care and support plans, safeguarding",
        "text": "We collect information about you to assess and meet your care needs.",
        "effective_on": dt.date(2026, 1, 10),
        "approved_by": "Data Protection Officer",
        **fields,
    }
    actor = Actor(None, "factory", frozenset(), frozenset({"notices.manage"}))
    return create_notice(
        db, actor, load_notices(PROJECT_ROOT / "policies"), NoticeInput(**values), now
    )


def make_organisation(
    db: Session,
    kind: str = "other",
    code: str | None = None,
    name: str | None = None,
    **fields: Any,
) -> Any:
    """A partner organisation (any code given must suit the kind)."""
    from ig.people.models import Organisation, OrganisationKind

    organisation = Organisation(
        name=name or f"Partner {next(_sequence)}", kind=OrganisationKind(kind), code=code, **fields
    )
    db.add(organisation)
    db.flush()
    return organisation


def make_sharing_agreement(
    db: Session,
    policy: Any,
    owner: Any,
    partners: Iterable[Any] = (),
    *,
    signed: int | None = None,
    **fields: Any,
) -> Any:
    """An agreement drafted through the service, with ``partners`` as recipients and the
    first ``signed`` parties (all if None) signed by an IG officer on their behalf."""
    import datetime as dt

    from ig.auth.rules import Actor
    from ig.sharing import agreements, lifecycle
    from ig.sharing.models import PartyRole

    actor = Actor(None, "factory", frozenset(), frozenset({"sharing.manage", "sharing.sign"}))
    start = fields.pop("starts_on", dt.date(2026, 1, 1))
    values = {
        "reference": f"DSA-{next(_sequence):05d}",
        "title": "Sharing for direct care",
        "purpose": "Joined-up care",
        "owner_id": owner.id,
        "lawful_basis": "art6_1e",
        "categories": ("identity", "care_records"),
        "purposes": ("direct_care",),
        "starts_on": start,
        "review_on": start + dt.timedelta(days=300),
        "ends_on": start + dt.timedelta(days=730),
        **fields,
    }
    agreement = agreements.create_agreement(db, actor, policy, agreements.AgreementInput(**values))
    for partner in partners:
        agreements.add_party(db, actor, agreement, partner.id, PartyRole.RECIPIENT, start)
    parties = agreement.parties if signed is None else agreement.parties[:signed]
    for party in parties:
        data = lifecycle.SignatureInput("A Signatory", "Director", start, "e-mail of 1 Jan")
        lifecycle.sign_agreement(
            db, actor, agreement, party.id, data, start, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        )
    return agreement


def make_asset(db: Session, owner: User | None = None, **fields: Any) -> Any:
    """An information asset; ``fields`` override AssetInput's values (``now``: when added)."""
    import datetime as dt

    from ig.assets.policy import load_assets
    from ig.assets.rules import AssetFormat, Criticality, Hosting
    from ig.assets.service import AssetInput, create_asset
    from ig.auth.rules import Actor
    from ig.settings import PROJECT_ROOT

    now = fields.pop("now", dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))
    owner = owner or make_user(db, roles=("manager",))
    values: dict[str, Any] = {
        "name": "Adult social care case records",
        "system": "Mosaic",
        "description": "Assessments, care and support plans",
        "owner_user_id": owner.id,
        "administrator_user_id": owner.id,
        "record_count": 48_000,
        "asset_format": AssetFormat.ELECTRONIC,
        "hosting": Hosting.SUPPLIER_CLOUD,
        "location": "UK data centre",
        "retention_period": "8 years",
        "retention_rule": "Retention schedule 4.2",
        "security_controls": "Role-based access",
        "criticality": Criticality.HIGH,
        "personal_data": ("identity", "care_records"),
        "special_categories": ("health",),
        **fields,
    }
    actor = Actor(None, "factory", frozenset(), frozenset({"assets.manage"}))
    return create_asset(
        db, actor, load_assets(PROJECT_ROOT / "policies"), AssetInput(**values), now
    )
