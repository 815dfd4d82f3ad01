"""The audit entries of the load benchmark's registers, as their services write them:
information assets and their yearly confirmations (ig/assets/service.py), processing
activities (ig/processing/service.py), DPIAs through screening, risks, advice, sign-off
and review (ig/dpia/service.py, signoff.py), processor contracts (ig/contracts/service.py),
privacy notices (ig/notices/service.py), partners and agreements with their parties and
signatures (ig/sharing/organisations.py, agreements.py, lifecycle.py), the learning
system's posted completions (ig/training/api.py) and leaving dates from the HR import
(ig/people/leavers.py).

The registers' generators give most records no history, so each is given a plausible
one, fixed by its id (``roll``), that ends in the state the register holds now.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from benchmarks._audit_cases import roll, utc
from ig.db import london_today
from ig.policies import Policies

IG_OFFICER = 1  # the data sets' IG officer, who records what has no other author
_TODAY = "CAST(:today AS date)"


def parameters(policies: Policies, now: dt.datetime) -> dict[str, Any]:
    """The values every generator's SQL may use."""
    return {
        "now": now,
        "today": london_today(now),
        "access_version": policies.access.version,
        "recertify_months": policies.access.recertify_every_months,
        "assets_version": policies.assets.version,
        "confirm_months": policies.assets.confirm_every_months,
        "dpia_version": policies.dpia.version,
        "dpia_criteria": json.dumps(sorted(policies.dpia.criteria)[:2]),
        "dpia_months": policies.dpia.review_interval_months,
        "contracts_version": policies.contracts.version,
        "contract_terms": list(policies.contracts.terms),
        "processing_version": policies.processing.version,
        "notices_version": policies.notices.version,
    }


def _entry(action: str, record: tuple[str, str], at: str, actor: str, detail: str,
           source: str, where: str = "true") -> str:  # fmt: skip
    """SQL: one entry per row of ``source`` matching ``where``, by user ``actor``."""
    record_type, record_id = record
    return (
        f"SELECT LEAST({at}, :now), u.id, u.email, '{action}', '{record_type}', "
        f"({record_id})::text, {detail} FROM {source} JOIN users u ON u.id = {actor} "
        f"WHERE {where}"
    )


# --- information assets: added, then confirmed by their owner every cycle --------------

ASSET = ("information_asset", "a.id")
_ASSET_ADDED = f"({_TODAY} - 430 - {roll('a.id', 'asset', 1400)})"
_CONFIRM = "make_interval(months => CAST(:confirm_months AS integer) * k)"
_CONFIRMATIONS = (
    f"(SELECT a.*, (a.next_confirmation_on - {_CONFIRM})::date AS day, "
    f"(a.next_confirmation_on - {_CONFIRM.replace('* k', '* (k - 1)')})::date AS next "
    "FROM information_assets a CROSS JOIN generate_series(1, 8) AS k) a"
)
ASSETS = [
    ("asset.created", _entry(
        "asset.created", ASSET, utc(_ASSET_ADDED, 9), str(IG_OFFICER),
        "jsonb_build_object('owner_user_id', a.owner_user_id, "
        "'policy_version', CAST(:assets_version AS text))", "information_assets a")),
    ("asset.confirmed", _entry(
        "asset.confirmed", ASSET, utc("a.day", 10), "a.owner_user_id",
        "jsonb_build_object('next_confirmation_on', to_char(a.next, 'YYYY-MM-DD'), "
        "'policy_version', CAST(:assets_version AS text))", _CONFIRMATIONS,
        f"a.day <= {_TODAY} AND a.day > {_ASSET_ADDED}")),
    ("processing.created", _entry(
        "processing.created", ("processing_activity", "a.id"),
        utc(f"{_TODAY} - 30 - {roll('a.id', 'activity', 1500)}", 9), "a.owner_user_id",
        "jsonb_build_object('role', a.role, 'policy_version', "
        "CAST(:processing_version AS text))", "processing_activities a")),
]  # fmt: skip


# --- DPIAs: started, screened, assessed risk by risk, advised, submitted, signed, reviewed

DPIA = ("dpia", "d.id")
DPIA_STARTED = f"({_TODAY} - 60 - {roll('d.id', 'dpia', 900)})"
_ASSESSED = "d.status IN ('in_assessment', 'awaiting_sign_off', 'signed_off')"
_SUBMITTED = "d.status IN ('awaiting_sign_off', 'signed_off')"
_RESIDUAL = (
    "(SELECT max(r.residual_likelihood * r.residual_severity) FROM dpia_risks r "
    "WHERE r.dpia_id = d.id)"
)
_REVIEWED = f"({DPIA_STARTED} + 30 + 365)"
DPIAS = [
    ("dpia.created", _entry("dpia.created", DPIA, utc(DPIA_STARTED, 9), "d.owner_user_id",
                            "jsonb_build_object('owner', d.owner_user_id)", "dpias d")),
    ("dpia.screened", _entry(
        "dpia.screened", DPIA, utc(f"{DPIA_STARTED} + 7", 9), "d.owner_user_id",
        "jsonb_build_object('criteria', CAST(:dpia_criteria AS jsonb), 'required', true, "
        "'policy_version', CAST(:dpia_version AS text))", "dpias d", "d.status <> 'draft'")),
    ("dpia.risk_added", _entry(
        "dpia.risk_added", DPIA, f"{utc(f'{DPIA_STARTED} + 14', 9)} + r.id * interval '1 minute'",
        "d.owner_user_id", "jsonb_build_object('risk', r.id, 'residual', "
        "r.residual_likelihood * r.residual_severity)",
        "dpias d JOIN dpia_risks r ON r.dpia_id = d.id", _ASSESSED)),
    ("dpia.dpo_advice", _entry("dpia.dpo_advice", DPIA, utc(f"{DPIA_STARTED} + 21", 9),
                               str(IG_OFFICER), "jsonb_build_object('followed', true)",
                               "dpias d", _SUBMITTED)),
    ("dpia.submitted", _entry("dpia.submitted", DPIA, utc(f"{DPIA_STARTED} + 22", 9),
                              "d.owner_user_id", "'{}'::jsonb", "dpias d", _SUBMITTED)),
    ("dpia.signed_off", _entry(
        "dpia.signed_off", DPIA, utc(f"{DPIA_STARTED} + 30", 14), str(IG_OFFICER),
        f"jsonb_build_object('residual', {_RESIDUAL}, 'policy_version', "
        "CAST(:dpia_version AS text))", "dpias d", "d.status = 'signed_off'")),
    ("dpia.reviewed", _entry(
        "dpia.reviewed", DPIA, utc(_REVIEWED, 9), "d.owner_user_id",
        "jsonb_build_object('next_review', to_char(" + _REVIEWED
        + " + make_interval(months => CAST(:dpia_months AS integer)), 'YYYY-MM-DD'))",
        "dpias d", f"d.status = 'signed_off' AND {_REVIEWED} <= {_TODAY}")),
]  # fmt: skip


# --- contracts and notices: as added ----------------------------------------------------

_MISSING = (
    "(SELECT COALESCE(jsonb_agg(p.term ORDER BY p.n), '[]'::jsonb) "
    "FROM unnest(CAST(:contract_terms AS text[])) WITH ORDINALITY AS p(term, n) "
    "WHERE p.term NOT IN (SELECT t.term FROM processor_contract_terms t "
    "WHERE t.contract_id = c.id))"
)
OTHERS = [
    ("contract.created", _entry(
        "contract.created", ("processor_contract", "c.id"), utc("c.start_on - 14", 9),
        "c.owner_user_id", f"jsonb_build_object('missing_terms', {_MISSING}, "
        "'start_on', to_char(c.start_on, 'YYYY-MM-DD'), 'end_on', to_char(c.end_on, "
        "'YYYY-MM-DD'), 'policy_version', CAST(:contracts_version AS text))",
        "processor_contracts c")),
    ("notice.created", _entry(
        "notice.created", ("privacy_notice", "n.id"), utc("n.effective_on - 30", 9),
        "n.owner_user_id", "jsonb_build_object('service', n.service_key, "
        "'policy_version', CAST(:notices_version AS text))", "privacy_notices n")),
    ("training.completions_posted", (
        f"SELECT LEAST(c.recorded_at, :now), u.id, u.email, 'training.completions_posted', "
        "NULL, NULL, jsonb_build_object('added', count(*), 'unchanged', 0) "
        f"FROM training_completions c JOIN users u ON u.id = {IG_OFFICER} "
        "GROUP BY c.recorded_at, u.id, u.email")),
    ("staff.leaving_date", _entry(
        "staff.leaving_date", ("staff", "s.id"), utc("s.left_on + 2", 7), str(IG_OFFICER),
        "jsonb_build_object('left_on', to_char(s.left_on, 'YYYY-MM-DD'), 'was', NULL)",
        "staff s", "s.left_on IS NOT NULL")),
]  # fmt: skip


# --- sharing: partners added, agreements drafted with their parties, signed, ended -----

_DRAFTED = f"LEAST(g.starts_on - 30, {_TODAY} - 20 - {roll('g.id', 'drafted', 60)})"
_PARTIES = "sharing_agreements g JOIN sharing_agreement_parties p ON p.agreement_id = g.id"
SHARING = [
    ("organisation.created", _entry(
        "organisation.created", ("organisation", "o.id"),
        utc(f"{_TODAY} - 1600 - {roll('o.id', 'partner', 200)}", 9), str(IG_OFFICER),
        "jsonb_build_object('code', o.code)", "organisations o")),
    ("agreement.created", _entry(
        "agreement.created", ("agreement", "g.id"), utc(_DRAFTED, 9), str(IG_OFFICER),
        "jsonb_build_object('reference', g.reference)", "sharing_agreements g")),
    ("agreement.party_added", _entry(
        "agreement.party_added", ("agreement", "g.id"),
        f"{utc(_DRAFTED, 9)} + p.id * interval '1 second'", str(IG_OFFICER),
        "jsonb_build_object('organisation_id', p.organisation_id, 'role', p.role)", _PARTIES)),
    ("agreement.signed", _entry(
        "agreement.signed", ("agreement", "g.id"),
        f"{utc(f'LEAST(p.signed_on, {_DRAFTED} + 10)', 12)} + p.id * interval '1 second'",
        str(IG_OFFICER), "jsonb_build_object('organisation_id', p.organisation_id, "
        "'as', 'on_behalf', 'digest', g.content_digest)", _PARTIES,
        "p.signed_on IS NOT NULL")),
    ("agreement.terminated", _entry(
        "agreement.terminated", ("agreement", "g.id"), utc("g.terminated_on", 10),
        str(IG_OFFICER), "'{}'::jsonb", "sharing_agreements g",
        f"g.terminated_on <= {_TODAY}")),
]  # fmt: skip

SELECTS = ASSETS + DPIAS + OTHERS + SHARING
