"""Every permission the code checks, with what it allows; roles.toml grants them."""

from __future__ import annotations

# Each feature adds the permissions its routes name. A permission in roles.toml that
# is not listed here stops start-up, so a typo cannot grant or withhold by accident.
PERMISSIONS: dict[str, str] = {
    "home.view": "see the home page and one's own tasks",
    "account.manage": "change one's own password, two-factor set-up and sessions",
    "api.me": "read one's own identity through the API",
    "audit.read": "read and filter the audit trail",
    "audit.verify": "check the audit trail's hash chain",
    "users.manage": "create, change and disable user accounts and their roles",
    "keys.view": "see which fields are encrypted and how many values each key protects",
    "incidents.report": "report a suspected incident",
    "incidents.read_own": "see the incidents one has reported (and, with incidents.read, all)",
    "incidents.read": "see every incident, its decrypted detail, the register and dashboard",
    "incidents.manage": "triage, record, grade, notify, act on and close incidents",
    "incidents.grade_confirm": "confirm an incident grading proposed by the IG officer",
    "incidents.export": "export the incident register as CSV",
    "sharing.check": "ask whether an agreement covers sharing data with a partner",
    "sharing.read": "see the sharing-agreement register, agreements, documents and partners",
    "sharing.manage": "create, change, renew and terminate agreements; record signatures",
    "sharing.sign": "sign an agreement for a party one is the named signatory of",
    "organisations.manage": "add and change partner organisations and load reference lists",
    "caldicott.view": "open the Caldicott log and decisions; one's own only without caldicott.read",
    "caldicott.request": "raise a Caldicott request",
    "caldicott.read": "see the Caldicott decision log, decisions and their decrypted detail",
    "caldicott.assess": "assess Caldicott requests, start amendments and link records",
    "caldicott.decide": "decide and sign Caldicott decisions (Guardian or deputy only)",
    "caldicott.export": "export the Caldicott decision log as CSV",
    "notices.read": "see the privacy-notice register, each notice's versions and reviews",
    "notices.manage": "add privacy notices and review any of them (owners review their own)",
    "dpia.read": "see the DPIA register, each DPIA with its decrypted description and advice",
    "dpia.manage": "start, screen and assess DPIAs, record the DPO's advice and reviews",
    "dpia.sign_off": "sign off a DPIA one did not write, and record the ICO prior consultation",
    "assets.read": "see the information asset register, each asset and its CSV export",
    "assets.manage": "add and change information assets (owners confirm their own)",
    "contracts.read": "see the processor contract register, each contract and its CSV export",
    "contracts.manage": "add and change processor contracts",
    "processing.read": "see the record of processing activities and each activity's detail",
    "processing.manage": "record and change processing activities",
    "processing.export": "export the record of processing activities (decrypted) and print it",
    "access.request": "ask for access to an information system, for oneself or one's staff",
    "access.report": "see who held which access to information systems on any date",
    "rights.log": "log an information rights request one has received, for the team to answer",
    "rights.read": "see the information rights register and each request's decrypted requester",
    "rights.manage": "pause, restart and extend a rights request's clock and record its outcome",
    "notifications.read": "see one's own reminders in the app and mark them as read",
    "reminders.admin": "see the reminder outbox, what would be sent and failed deliveries",
    "people.view_all": "see every team and every member of staff, not only one's own teams",
    "people.manage": "add teams and their managers, and import the HR staff register",
    "training.view_own": "see one's own training record",
    "training.view_team": "see the training status of the teams one manages and those below",
    "training.view_all": "see organisation-wide training compliance and the DSPT evidence",
    "training.record": "record completions and exemptions, import training files, assign courses",
    "reports.read": "read the stored IG reports, their scrutiny-panel versions and CSV",
    "reports.generate": "generate and store an IG report for a quarter or any period",
    "risks.read": "see the IG risk register, each risk with its controls, history and actions",
    "risks.manage": "add, change, review and close IG risks, their actions and links",
}

# The permissions that show decrypted case detail of cases other people raised: incident
# narratives, the people affected and investigation notes; Caldicott requests' case
# details and the Guardian's reasoning; DPIAs' descriptions and the DPO's advice; the
# record of processing exported with its encrypted fields decrypted; the requesters of
# information rights requests and what they asked. A role granting any
# of them must sign in with a second factor (requires_two_factor in roles.toml), or
# policy loading stops start-up.
# Seeing what one reported oneself (incidents.read_own, caldicott.view) is not listed.
SHOWS_CASE_DETAIL: frozenset[str] = frozenset(
    {"incidents.read", "caldicott.read", "dpia.read", "processing.export", "rights.read"}
)
