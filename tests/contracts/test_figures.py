"""The processor contracts section of the IG report: in force, ending soon and missing
Art. 28 terms, as recorded then and as now known."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.contracts.figures import contracts_section
from ig.contracts.service import ContractInput, update_contract
from ig.feature import ReportPeriod
from tests.contracts.factory import ALL_TERMS, MANAGE, POLICY, make_contract
from tests.queries import counting
from tests.section_checks import check_shape

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def values(db, policies, recorded_by: dt.datetime | None) -> dict[str, float | None]:
    section = contracts_section(db, policies, ReportPeriod(START, END, recorded_by))
    check_shape(section)
    return {figure.key: figure.value for figure in section.figures}


def test_contracts_and_terms_count_from_when_they_were_recorded(db, policies):
    def contract(reference: str, start: dt.date, end: dt.date, when: dt.datetime, **fields):
        return make_contract(
            db, reference=reference, start_on=start, end_on=end, now=when, **fields
        )

    contract("PC-1", dt.date(2025, 1, 1), dt.date(2028, 1, 1), at(2025, 1, 1))
    lacking = contract(
        "PC-2",
        dt.date(2026, 1, 1),
        END + dt.timedelta(days=POLICY.ending_soon_days),
        at(2026, 1, 1),
        terms=ALL_TERMS[1:],
    )
    completed = ContractInput(
        lacking.title, lacking.reference, lacking.processor_id, lacking.owner_user_id,
        lacking.start_on, lacking.end_on, lacking.value_band, terms=ALL_TERMS,
    )  # fmt: skip
    update_contract(db, MANAGE, POLICY, lacking.id, completed, lacking.version, at(2026, 10, 10))
    contract("PC-3", dt.date(2026, 5, 1), dt.date(2029, 1, 1), at(2026, 10, 20))  # recorded late
    contract("PC-4", dt.date(2025, 1, 1), dt.date(2026, 9, 1), at(2025, 1, 1))  # ended

    then = values(db, policies, day_end(END))
    db.flush()
    with counting(db.get_bind(), selects_only=True) as statements:
        now = values(db, policies, None)
    assert len(statements) == 1  # aggregates: never a query per record

    assert (then["contracts.active"], now["contracts.active"]) == (2, 3)
    assert (then["contracts.missing_terms"], now["contracts.missing_terms"]) == (1, 0)
    assert then["contracts.ending"] == now["contracts.ending"] == 1
