"""User administration pages for administrators: list, create, change, disable, reset."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from ig.auth import service
from ig.auth import users as user_admin
from ig.auth.access import current_actor, requires
from ig.auth.forms import EditUserForm, NewUserForm, ResetPasswordForm, VersionForm
from ig.auth.models import User
from ig.auth.views import bp
from ig.db import get_session, utcnow
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from ig.policies import Policies


def _policies() -> Policies:
    return current_app.extensions["ig.policies"]  # type: ignore[no-any-return]


def _role_choices() -> list[tuple[str, str]]:
    return [(name, role.title) for name, role in _policies().roles.roles.items()]


def _user_page(
    user: User, form: EditUserForm | None = None, status: int = 200, problem: str = ""
) -> Any:
    if form is None:
        form = EditUserForm(obj=user, version=user.version, roles=sorted(user.role_names))
    form.roles.choices = _role_choices()
    return render_template(
        "admin/user.html",
        user=user,
        form=form,
        problem=problem,
        version_form=VersionForm(version=user.version),
        is_self=user.id == current_actor().user_id,
    ), status


@bp.get("/admin/users")
@requires("users.manage")
def users() -> Any:
    search = request.args.get("q", "")[:100]
    page = user_admin.list_users(get_session(), search, request.args.get("page", 1, type=int) or 1)
    titles = {name: role.title for name, role in _policies().roles.roles.items()}
    return render_template("admin/users.html", page=page, search=search, role_titles=titles)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires("users.manage")
def new_user() -> Any:
    form = NewUserForm()
    form.roles.choices = _role_choices()
    if not form.validate_on_submit():
        return render_template("admin/new_user.html", form=form), 422 if form.errors else 200
    db = get_session()
    try:
        user = service.create_user(
            db,
            current_actor(),
            _policies(),
            form.email.data or "",
            form.name.data or "",
            form.password.data or "",
            form.roles.data or [],
        )
    except ValidationFailed as failed:
        getattr(form, failed.field).errors = [failed.message]
        return render_template("admin/new_user.html", form=form), 422
    db.commit()
    flash(f"{user.name} can now sign in")
    return redirect(url_for("auth.user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires("users.manage")
def user(user_id: int) -> Any:
    db = get_session()
    target = service.get_user(db, user_id)
    if request.method == "GET":
        return _user_page(target)
    form = EditUserForm()
    form.roles.choices = _role_choices()
    if not form.validate_on_submit():
        return _user_page(target, form, 422)
    try:
        user_admin.update_user(
            db,
            current_actor(),
            _policies(),
            target,
            form.version.data or 0,
            form.name.data or "",
            form.roles.data or [],
            utcnow(),
        )
    except ValidationFailed as failed:
        getattr(form, failed.field).errors = [failed.message]
        return _user_page(target, form, 422)
    except (EditConflict, PermissionDenied) as refused:
        return _user_page(target, form, refused.status, refused.message)
    db.commit()
    flash("The changes are saved")
    return redirect(url_for("auth.user", user_id=target.id))


@bp.post("/admin/users/<int:user_id>/active")
@requires("users.manage")
def set_active(user_id: int) -> Any:
    db = get_session()
    target = service.get_user(db, user_id)
    form = VersionForm()
    make_active = request.form.get("active") == "yes"
    if form.validate_on_submit():
        user_admin.set_active(
            db, current_actor(), target, form.version.data or 0, make_active, utcnow()
        )
        db.commit()
        flash(
            f"{target.name} can now sign in"
            if make_active
            else f"{target.name} can no longer sign in or use the API"
        )
    return redirect(url_for("auth.user", user_id=target.id))


@bp.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@requires("users.manage")
def reset_password(user_id: int) -> Any:
    db = get_session()
    target = service.get_user(db, user_id)
    form = ResetPasswordForm(version=target.version)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("admin/reset_password.html", user=target, form=form), status
    try:
        user_admin.reset_password(
            db,
            current_actor(),
            _policies(),
            target,
            form.version.data or 0,
            form.password.data or "",
            utcnow(),
        )
    except ValidationFailed as failed:
        form.password.errors = [failed.message]
        return render_template("admin/reset_password.html", user=target, form=form), 422
    db.commit()
    flash(
        f"The password is changed, {target.name} has been signed out everywhere "
        "and their API tokens are revoked"
    )
    return redirect(url_for("auth.user", user_id=target.id))


@bp.post("/admin/users/<int:user_id>/two-factor")
@requires("users.manage")
def reset_two_factor(user_id: int) -> Any:
    db = get_session()
    target = service.get_user(db, user_id)
    form = VersionForm()
    if form.validate_on_submit():
        user_admin.reset_two_factor(db, current_actor(), target, form.version.data or 0, utcnow())
        db.commit()
        flash(f"Two-factor authentication is off for {target.name} until they set it up again")
    return redirect(url_for("auth.user", user_id=target.id))
