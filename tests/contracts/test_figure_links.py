"""The contracts section's figures link to exactly their contracts; a contract's dates
count as recorded then."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.audit.recorded import day_end
from ig.contracts.figures import contracts_section
from ig.contracts.service import update_contract
from ig.feature import ReportPeriod
from tests.contracts.factory import ALL_TERMS, MANAGE, POLICY, make_contract
from tests.contracts.test_service import input_of
from tests.figure_links import check_links, link_of, linked

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
BEFORE = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC)


def section(db, policies, recorded_by=None):
    return contracts_section(db, policies, ReportPeriod(START, END, recorded_by))


def values(db, policies, recorded_by=None) -> dict[str, float | None]:
    return {f.key: f.value for f in section(db, policies, recorded_by).figures}


def contract(db, reference: str, start: dt.date, end: dt.date, **fields):
    return make_contract(db, reference=reference, start_on=start, end_on=end, now=BEFORE, **fields)


def test_each_figure_lists_exactly_its_contracts(db, policies, client, login_as):
    contract(db, "PC-1", dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    contract(db, "PC-2", dt.date(2026, 1, 1), END + dt.timedelta(days=60), terms=ALL_TERMS[1:])
    contract(db, "PC-3", dt.date(2026, 2, 1), END + dt.timedelta(days=200), terms=ALL_TERMS[2:])
    contract(db, "PC-4", dt.date(2025, 1, 1), dt.date(2026, 9, 1))  # ended in the period
    contract(db, "PC-5", dt.date(2026, 11, 1), dt.date(2029, 1, 1), terms=())  # not yet started
    contract(db, "PC-6", dt.date(2025, 1, 1), END + dt.timedelta(days=10))
    found = section(db, policies)
    assert {f.key: f.value for f in found.figures} == {
        "contracts.active": 4,
        "contracts.ending": 2,
        "contracts.missing_terms": 2,
    }
    assert set(linked(found)) == {"contracts.active", "contracts.ending", "contracts.missing_terms"}
    check_links(client, login_as, policies, found)

    # The CSV and the next page keep the date filter.
    page = client.get(link_of(client, linked(found)["contracts.active"]))
    text = page.get_data(as_text=True)
    export = client.get("/contracts/export.csv?" + link_of(client, found.figures[0]).split("?")[1])
    assert len(list(csv.reader(io.StringIO(export.get_data(as_text=True))))) == 1 + 4
    assert "in_force_on=30&amp;in_force_on=9&amp;in_force_on=2026" in text


def test_a_contract_s_dates_count_as_recorded_then(db, policies):
    running = contract(db, "PC-1", dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    later = contract(db, "PC-2", dt.date(2026, 12, 1), dt.date(2028, 1, 1))
    then = day_end(END)
    before = values(db, policies, then)
    assert before["contracts.active"] == values(db, policies, None)["contracts.active"] == 1

    # After the period, the first is found to end soon after it, the second to have
    # started before its end: as now known both move, as recorded then neither does.
    ending = input_of(db, running, end_on=END + dt.timedelta(days=30))
    update_contract(db, MANAGE, POLICY, running.id, ending, running.version, AFTER)
    earlier = input_of(db, later, start_on=dt.date(2026, 6, 1))
    update_contract(db, MANAGE, POLICY, later.id, earlier, later.version, AFTER)

    expected = {"contracts.active": 1, "contracts.ending": 0, "contracts.missing_terms": 0}
    assert values(db, policies, then) == before == expected
    now = values(db, policies, None)
    assert (now["contracts.active"], now["contracts.ending"]) == (2, 1)


def test_a_contract_saved_before_its_dates_were_audited_counts_by_its_dates_now(db, policies):
    old = contract(db, "PC-1", dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    about = (AuditEntry.record_type == "processor_contract", AuditEntry.record_id == str(old.id))
    entries = db.scalars(select(AuditEntry).where(*about)).all()
    for entry in entries:  # as the trail held them before: missing terms only
        entry.detail = {"missing_terms": entry.detail["missing_terms"]}
    db.flush()
    assert values(db, policies, day_end(END))["contracts.active"] == 1
