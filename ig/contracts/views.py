"""Processor contract pages: the register, a contract, adding and editing."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from ig.assets.lookup import asset_names
from ig.auth.access import current_actor, requires
from ig.contracts import register, service
from ig.contracts.export import contracts_csv
from ig.contracts.forms import ContractFilterForm, ContractForm, EditContractForm
from ig.contracts.models import ProcessorContract
from ig.contracts.policy import ContractsPolicy
from ig.contracts.presenter import (
    contract_input,
    contract_rows,
    form_data,
    set_choices,
    summary_rows,
    term_rows,
)
from ig.contracts.rules import ending_soon_from
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, picked_in, suggestions

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


def _policy() -> ContractsPolicy:
    return current_app.extensions["ig.policies"].contracts


def _filters() -> tuple[ContractFilterForm, register.ContractFilter, pickers.Picked]:
    form = ContractFilterForm(request.args)
    if not form.validate():
        return form, register.ContractFilter(), pickers.Picked(form.processor_name.data or "")
    processor = picked_from(
        pickers.ORGANISATIONS, form.processor_name, form.processor, scope=register.processor_ids()
    )
    filters = register.ContractFilter(
        processor_id=filter_id(processor),
        flag=form.flag.data or "",
        search=form.q.data or "",
        in_force_on=form.in_force_on.data,
    )
    return form, filters, processor


def _window(filters: register.ContractFilter | None = None) -> tuple[Any, Any]:
    """The day the flags are judged on (the "in force on" day, else today) and the last
    end date that counts as ending soon then."""
    today = (filters and filters.in_force_on) or london_today()
    return today, ending_soon_from(today, _policy().ending_soon_days)


@bp.get("/")
@requires("contracts.read")
def index() -> Any:
    form, filters, processor = _filters()
    today, soon = _window(filters)
    number = request.args.get("page", 1, type=int) or 1
    page = register.list_contracts(get_session(), filters, today, soon, page=number)
    return render_template(
        "contracts/index.html",
        form=form,
        processor=processor,
        page=page,
        rows=contract_rows(page.rows, _policy(), today),
        can_manage=current_actor().can("contracts.manage"),
    )


@bp.get("/mine")
@requires("home.view")
def mine() -> Any:
    """The contracts the signed-in person owns, most urgent first (their task's page)."""
    filters = register.ContractFilter(owner_user_id=current_actor().user_id or -1)
    today, soon = _window()
    owned = register.list_contracts(get_session(), filters, today, soon, per_page=500).rows
    return render_template("contracts/mine.html", rows=contract_rows(owned, _policy(), today))


@bp.get("/processors/search")
@requires("contracts.read")
def processor_suggestions() -> Any:
    """The contracts' processors, for the register's processor filter."""
    return suggestions(pickers.ORGANISATIONS, register.processor_ids())


@bp.get("/organisations/search")
@requires("contracts.manage")
def organisation_suggestions() -> Any:
    """Organisations from the partner register, for a contract's processor."""
    return suggestions(pickers.ORGANISATIONS)


@bp.get("/people/search")
@requires("contracts.manage")
def people_suggestions() -> Any:
    """Active users, for a contract's owner."""
    return suggestions(pickers.USERS)


@bp.get("/export.csv")
@requires("contracts.read")
def export() -> Any:
    _form, filters, _processor = _filters()
    today, soon = _window(filters)
    contracts = register.export_contracts(get_session(), filters, today, soon)
    return Response(
        contracts_csv(contracts, _policy(), today),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=processor-contracts-{today}.csv"},
    )


def _pickers(form: ContractForm, contract: ProcessorContract | None) -> dict[str, Any]:
    return {
        "processor": picked_in(
            pickers.ORGANISATIONS,
            form.processor_name,
            form.processor_id,
            current=contract.processor_id if contract else None,
            required="Enter the processor, from the partner register",
        ),
        "owner": picked_in(
            pickers.USERS,
            form.owner_name,
            form.owner_user_id,
            current=contract.owner_user_id if contract else None,
            required="Enter the contract's owner",
        ),
    }


def _save(form: ContractForm, contract: ProcessorContract | None) -> Any:
    """Validate, resolve the pickers, call the service; the page again with errors."""
    set_choices(form, _policy())
    valid = form.validate_on_submit()
    chosen = _pickers(form, contract)
    if valid and not form.errors:
        try:
            if contract is None:
                contract = service.create_contract(
                    get_session(), current_actor(), _policy(), contract_input(form), utcnow()
                )
            else:
                service.update_contract(
                    get_session(),
                    current_actor(),
                    _policy(),
                    contract.id,
                    contract_input(form),
                    form.version.data,
                    utcnow(),
                )
            get_session().commit()
            return redirect(url_for("contracts.show", contract_id=contract.id))
        except ValidationFailed as failed:
            names = {"processor_id": "processor_name", "owner_user_id": "owner_name"}
            getattr(form, names.get(failed.field, failed.field)).errors = [failed.message]
    page = render_template("contracts/form.html", form=form, contract=contract, **chosen)
    return page, (422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@requires("contracts.manage")
def new() -> Any:
    return _save(ContractForm(), None)


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@requires("contracts.manage")
def edit(contract_id: int) -> Any:
    contract = service.get_contract(get_session(), contract_id)
    data = form_data(contract, service.asset_ids(get_session(), contract.id))
    return _save(EditContractForm(data=data), contract)


@bp.get("/<int:contract_id>")
@requires("home.view")
def show(contract_id: int) -> Any:
    contract = service.get_contract(get_session(), contract_id)
    actor = current_actor()
    if not service.can_view(actor, contract):
        abort(403)
    names = asset_names(get_session(), service.asset_ids(get_session(), contract.id))
    return render_template(
        "contracts/show.html",
        contract=contract,
        row=contract_rows([contract], _policy(), london_today())[0],
        details=summary_rows(contract, _policy(), names),
        terms=term_rows(contract, _policy()),
        can_manage=actor.can("contracts.manage"),
        back_to="contracts.index" if actor.can("contracts.read") else "contracts.mine",
    )
