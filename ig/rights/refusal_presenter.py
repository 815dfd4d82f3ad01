"""Ready-to-show values for refusals, refusal notices and the disclosure log."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from ig.csv_cells import safe_cell
from ig.rights.models import Outcome, RightsRequest
from ig.rights.policy import Family, InterestTest, RightsPolicy
from ig.rights.presenter import OUTCOME_LABELS
from ig.rights.refusal_models import RefusalScope, RightsDisclosure, RightsRefusal

TEST_LABELS = {
    InterestTest.NONE: "No public interest test",
    InterestTest.ABSOLUTE: "Absolute exemption: no public interest test",
    InterestTest.QUALIFIED: "Qualified: subject to the public interest test",
}
SCOPE_TEXT = {
    RefusalScope.FULL: "Refused in full",
    RefusalScope.PARTIAL: "Refused in part",
    RefusalScope.FEE: "A reasonable fee charged instead of refusing",
}


@dataclass(frozen=True)
class GroundRow:
    key: str
    label: str
    source: str
    test: str
    is_qualified: bool
    note: str
    reason: str
    public_interest: str


@dataclass(frozen=True)
class RefusalView:
    """A recorded refusal as its page, the timeline and the notice show it."""

    refusal: RightsRefusal
    scope: str
    grounds: list[GroundRow]
    fee: str
    summary: str  # one line for the timeline

    @property
    def labels(self) -> str:
        return "; ".join(g.label for g in self.grounds)


def refusal_view(refusal: RightsRefusal, policy: RightsPolicy) -> RefusalView:
    rows = []
    for given in refusal.grounds:
        ground = policy.grounds.get(given.ground_key)
        rows.append(
            GroundRow(
                key=given.ground_key,
                label=ground.label if ground else given.ground_key,
                source=ground.source if ground else "",
                test=TEST_LABELS[ground.test] if ground else "",
                is_qualified=bool(ground and ground.is_qualified),
                note=ground.note if ground else "",
                reason=given.reason,
                public_interest=given.public_interest,
            )
        )
    fee = f"£{refusal.fee_pence / 100:,.2f}" if refusal.fee_pence is not None else ""
    scope = SCOPE_TEXT[refusal.scope]
    summary = f"{scope}{' (' + fee + ')' if fee else ''} under " + "; ".join(r.label for r in rows)
    if refusal.is_ncnd:
        summary += "; neither confirmed nor denied that the information is held"
    return RefusalView(refusal, scope, rows, fee, summary)


def refusal_events(
    refusal: RefusalView | None, disclosure: RightsDisclosure | None
) -> list[tuple[dt.date, str]]:
    """The refusal and publication, for the request's timeline."""
    events = []
    if refusal is not None:
        events.append((refusal.refusal.recorded_on, refusal.summary))
    if disclosure is not None:
        events.append((disclosure.published_on, "Published to the disclosure log"))
    return events


def has_notice(item: RightsRequest, refusal: RightsRefusal | None, policy: RightsPolicy) -> bool:
    """An FOI or EIR request refused in full or in part has a refusal notice."""
    request_type = policy.types.get(item.type_key)
    return (
        refusal is not None
        and request_type is not None
        and request_type.family in (Family.FOI, Family.EIR)
    )


def notice_law(item: RightsRequest, policy: RightsPolicy) -> str:
    """The provision the notice is given under."""
    request_type = policy.types.get(item.type_key)
    if request_type is not None and request_type.family is Family.EIR:
        return "regulation 14 of the Environmental Information Regulations 2004"
    return "section 17 of the Freedom of Information Act 2000"


@dataclass(frozen=True)
class DisclosureRow:
    reference: str
    published_on: dt.date
    type_label: str
    title: str
    request_summary: str
    response_summary: str
    outcome: str
    withheld_under: str


def disclosure_rows(
    entries: list[tuple[RightsDisclosure, str, Outcome | None, RightsRefusal | None]],
    policy: RightsPolicy,
) -> list[DisclosureRow]:
    """The log's rows from disclosures.list_log: the published texts, the kind of request,
    its outcome and what was withheld under; nothing of who asked."""
    rows = []
    for disclosure, type_key, outcome, refusal in entries:
        rows.append(
            DisclosureRow(
                reference=f"IR-{disclosure.request_id:05d}",
                published_on=disclosure.published_on,
                type_label=policy.label(type_key),
                title=disclosure.title,
                request_summary=disclosure.request_summary,
                response_summary=disclosure.response_summary,
                outcome=OUTCOME_LABELS[outcome] if outcome else "",
                withheld_under=refusal_view(refusal, policy).labels if refusal else "",
            )
        )
    return rows


CSV_HEADER = [
    "reference",
    "published on",
    "kind",
    "title",
    "what was asked for",
    "what was released",
    "outcome",
    "withheld under",
]


def disclosure_csv(rows: list[DisclosureRow]) -> str:
    """The disclosure log as CSV, dates in ISO form."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        values = (
            row.reference,
            row.published_on.isoformat(),
            row.type_label,
            row.title,
            row.request_summary,
            row.response_summary,
            row.outcome,
            row.withheld_under,
        )
        writer.writerow([safe_cell(value) for value in values])
    return out.getvalue()
