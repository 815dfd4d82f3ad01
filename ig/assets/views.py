"""Information-asset pages: the register, an asset, adding, editing and confirming."""

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

from ig.assets import register, service
from ig.assets.export import assets_csv
from ig.assets.forms import (
    AssetFilterForm,
    AssetForm,
    ConfirmForm,
    EditAssetForm,
    LinkForm,
    UnlinkForm,
)
from ig.assets.links import link_record, link_views, unlink_record
from ig.assets.models import InformationAsset
from ig.assets.policy import AssetsPolicy
from ig.assets.presenter import (
    asset_input,
    asset_rows,
    filters_from,
    form_data,
    set_choices,
    summary_rows,
)
from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.dpia.linked import list_dpias_for_asset
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, picked_in, suggestions

bp = Blueprint("assets", __name__, url_prefix="/assets")


def _policy() -> AssetsPolicy:
    return current_app.extensions["ig.policies"].assets


def _filters() -> tuple[AssetFilterForm, register.AssetFilter, pickers.Picked]:
    form = AssetFilterForm(request.args)
    if not form.validate():
        return form, register.AssetFilter(), pickers.Picked(form.owner_name.data or "")
    owner = picked_from(pickers.USERS, form.owner_name, form.owner, scope=register.owner_ids())
    return form, filters_from(form, filter_id(owner)), owner


@bp.get("/")
@requires("assets.read")
def index() -> Any:
    form, filters, owner = _filters()
    today = london_today()
    page = register.list_assets(
        get_session(), filters, today, page=request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "assets/index.html",
        form=form,
        owner=owner,
        page=page,
        rows=asset_rows(page.rows, _policy(), today),
        can_manage=current_actor().can("assets.manage"),
    )


@bp.get("/mine")
@requires("home.view")
def mine() -> Any:
    """The assets the signed-in person owns, overdue confirmations first (their task's page)."""
    filters = register.AssetFilter(owner_user_id=current_actor().user_id or -1)
    today = london_today()
    assets = register.list_assets(get_session(), filters, today, per_page=500).rows
    return render_template("assets/mine.html", rows=asset_rows(assets, _policy(), today))


@bp.get("/owners/search")
@requires("assets.read")
def owner_suggestions() -> Any:
    """The assets' owners, for the register's owner filter."""
    return suggestions(pickers.USERS, register.owner_ids())


@bp.get("/people/search")
@requires("assets.manage")
def people_suggestions() -> Any:
    """Active users, for an asset's owner or administrator: for those who may add and
    change assets only."""
    return suggestions(pickers.USERS)


def _people(form: AssetForm, asset: InformationAsset | None = None) -> dict[str, pickers.Picked]:
    """The owner's and the administrator's pickers, resolved (the asset's, before a submit)."""
    return {
        "owner": picked_in(
            pickers.USERS,
            form.owner_name,
            form.owner_user_id,
            current=asset.owner_user_id if asset else None,
            required="Enter the asset's owner",
        ),
        "administrator": picked_in(
            pickers.USERS,
            form.administrator_name,
            form.administrator_user_id,
            current=asset.administrator_user_id if asset else None,
            required="Enter the asset's administrator",
        ),
    }


def _refused(form: AssetForm, failed: ValidationFailed) -> None:
    names = {"owner_user_id": "owner_name", "administrator_user_id": "administrator_name"}
    getattr(form, names.get(failed.field, failed.field)).errors = [failed.message]


@bp.get("/export.csv")
@requires("assets.read")
def export() -> Any:
    _form, filters, _owner = _filters()
    today = london_today()
    assets = register.export_assets(get_session(), filters, today)
    return Response(
        assets_csv(assets, _policy(), today),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=information-assets-{today}.csv"},
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("assets.manage")
def new() -> Any:
    form = AssetForm()
    set_choices(form, _policy())
    valid = form.validate_on_submit()
    people = _people(form)
    if valid and not form.errors:
        try:
            asset = service.create_asset(
                get_session(), current_actor(), _policy(), asset_input(form), utcnow()
            )
            get_session().commit()
            return redirect(url_for("assets.show", asset_id=asset.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    page = render_template("assets/form.html", form=form, asset=None, **people)
    return page, (422 if form.errors else 200)


@bp.get("/<int:asset_id>")
@requires("home.view")
def show(asset_id: int) -> Any:
    asset = service.get_asset(get_session(), asset_id)
    if not service.can_view(current_actor(), asset):
        abort(403)
    return _show(asset, LinkForm()), 200


def _show(asset: InformationAsset, link_form: LinkForm) -> str:
    actor = current_actor()
    return render_template(
        "assets/show.html",
        asset=asset,
        row=asset_rows([asset], _policy(), london_today())[0],
        details=summary_rows(asset, _policy()),
        links=link_views(get_session(), asset),
        dpias=list_dpias_for_asset(get_session(), asset.id) if actor.can("dpia.read") else None,
        can_manage=actor.can("assets.manage"),
        back_to="assets.index" if actor.can("assets.read") else "assets.mine",
        link_form=link_form,
        unlink_form=UnlinkForm(),
        confirm_form=ConfirmForm(data={"version": asset.version})
        if service.can_confirm(actor, asset)
        else None,
    )


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
@requires("assets.manage")
def edit(asset_id: int) -> Any:
    asset = service.get_asset(get_session(), asset_id)
    form = EditAssetForm(data=form_data(asset))
    set_choices(form, _policy())
    valid = form.validate_on_submit()
    people = _people(form, asset)
    if valid and not form.errors:
        try:
            service.update_asset(
                get_session(),
                current_actor(),
                _policy(),
                asset.id,
                asset_input(form),
                form.version.data,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("assets.show", asset_id=asset.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    page = render_template("assets/form.html", form=form, asset=asset, **people)
    return page, (422 if form.errors else 200)


@bp.post("/<int:asset_id>/confirm")
@requires("home.view")
def confirm(asset_id: int) -> Any:
    asset = service.get_asset(get_session(), asset_id)
    if not service.can_confirm(current_actor(), asset):
        abort(403)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    service.confirm_asset(
        get_session(), current_actor(), _policy(), asset.id, form.version.data, utcnow()
    )
    get_session().commit()
    return redirect(url_for("assets.show", asset_id=asset.id))


@bp.post("/<int:asset_id>/links")
@requires("assets.manage")
def link(asset_id: int) -> Any:
    asset = service.get_asset(get_session(), asset_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            link_record(
                get_session(), current_actor(), asset, form.kind.data, form.reference.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("assets.show", asset_id=asset.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return _show(asset, form), 422


@bp.post("/<int:asset_id>/links/remove")
@requires("assets.manage")
def unlink(asset_id: int) -> Any:
    asset = service.get_asset(get_session(), asset_id)
    form = UnlinkForm()
    if not form.validate_on_submit():
        abort(400)
    unlink_record(
        get_session(), current_actor(), asset, form.kind.data, form.reference.data, utcnow()
    )
    get_session().commit()
    return redirect(url_for("assets.show", asset_id=asset.id))
