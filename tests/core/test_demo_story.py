"""The demo tells one story: one council, its own teams and people, throughout."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.assets.models import InformationAsset
from ig.demo import DEMO_USERS, load_demo
from ig.incidents.demo import STORIES
from ig.incidents.models import Incident
from ig.people.models import Organisation, Team
from ig.policies import Policies
from ig.sharing.models import AgreementParty


def test_the_demo_names_one_council_and_its_own_teams_and_people(
    db: Session, policies: Policies
) -> None:
    assert load_demo(db, policies) is True
    council = db.scalar(select(Organisation).where(Organisation.is_self.is_(True)))
    top = db.scalar(select(Team).where(Team.parent_id.is_(None)))
    assert council is not None
    assert top is not None
    assert council.name == top.name == "Eastmere Borough Council"

    # Each incident happened in the team its story names, not in a team picked at random.
    teams_by_id = {team.id: team.name for team in db.scalars(select(Team))}
    named = {story[1]: story[-1] for story in STORIES}
    for incident in db.scalars(select(Incident)):
        assert teams_by_id[incident.team_id] == named[incident.narrative]

    # The council signs its agreements through one of the demo's named people.
    people = {name for _email, name, _roles in DEMO_USERS}
    own_signatories = set(
        db.scalars(
            select(AgreementParty.signatory_name).where(
                AgreementParty.organisation_id == council.id,
                AgreementParty.signatory_name != "",
            )
        )
    )
    assert own_signatories
    assert own_signatories <= people

    # Each DPIA links the activity and the asset it assesses, from the same story.
    from ig.dpia.linked import list_dpias_for_activity, list_dpias_for_asset
    from ig.processing.models import ProcessingActivity

    safeguarding = db.scalar(
        select(ProcessingActivity).where(ProcessingActivity.name == "Children's safeguarding")
    )
    assert safeguarding is not None
    [hub] = list_dpias_for_activity(db, safeguarding.id)
    assert hub.title == "Multi-agency safeguarding hub case system"
    assets = [a.id for a in db.scalars(select(InformationAsset))]
    assert sum(len(list_dpias_for_asset(db, asset_id)) for asset_id in assets) == 3
