"""The processor contract register (UK GDPR Art. 28) as a read-only feed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.contracts.models import ProcessorContract
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.people.models import Organisation
from ig.policies import Policies

C = FeedColumn


def _contracts(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    c = ProcessorContract
    return select(
        c.id,
        c.reference,
        c.title,
        c.processor_id,
        Organisation.name.label("processor"),
        c.owner_user_id,
        c.start_on,
        c.end_on,
        c.value_band,
        c.missing_terms,
    ).join(Organisation, Organisation.id == c.processor_id)


CONTRACTS = Feed(
    "processor_contracts",
    "Processor contracts",
    "contracts.read",
    (
        C("id", "integer", "the contract's number in ig"),
        C("reference", "string", "its reference"),
        C("title", "string", "its title"),
        C("processor_id", "integer", "the processor, from the partner register"),
        C("processor", "string", "the processor's name"),
        C("owner_user_id", "integer", "the user who owns it"),
        C("start_on", "date", "when it starts"),
        C("end_on", "date", "when it ends"),
        C("value_band", "string", "its value band"),
        C("missing_terms", "integer", "how many Art. 28(3) terms it lacks"),
    ),
    _contracts,
    FeedChanges(record_type="processor_contract"),
)
