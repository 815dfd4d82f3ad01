"""Sign-in, sign-out, two-factor authentication and one's own account."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ig.auth import service, totp
from ig.auth.access import partial_sign_in, public, requires, signed_in
from ig.auth.forms import ChangePasswordForm, CodeForm, ConfirmForm, EnrolForm, SignInForm
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed
from ig.web import is_safe_next

bp = Blueprint("auth", __name__)


def _policies() -> Any:
    return current_app.extensions["ig.policies"]


def _next_url() -> str:
    target = session.get("next")
    return target if is_safe_next(target) else url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login() -> Any:
    form = SignInForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    db = get_session()
    try:
        user = service.authenticate(
            db,
            _policies(),
            form.email.data or "",
            form.password.data or "",
            request.remote_addr or "unknown",
            utcnow(),
        )
    except service.SignInRefused as refused:
        db.commit()  # the failed attempt must count towards the throttle
        form.email.errors = [refused.message]
        return render_template("auth/login.html", form=form), 200
    new = service.start_session(db, user, request.user_agent.string, utcnow())
    db.commit()
    session.clear()  # a fresh cookie session at sign-in (no fixation)
    session["next"] = form.next.data if is_safe_next(form.next.data) else None
    login_user(signed_in(new.row, new.token))
    if current_user.needs_two_factor:
        return redirect(url_for("auth.two_factor"))
    return redirect(_next_url())


@bp.post("/sign-out")
@partial_sign_in
def logout() -> Any:
    db = get_session()
    service.end_session(db, current_user.row, utcnow())
    db.commit()
    logout_user()
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.login"))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@partial_sign_in
def two_factor() -> Any:
    if not current_user.needs_two_factor:
        return redirect(_next_url())
    if not current_user.user.has_totp:
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            totp.verify_second_factor(
                db, current_user.actor, current_user.row, form.code.data or "", utcnow()
            )
            db.commit()
            return redirect(_next_url())
        except ValidationFailed as failed:
            db.commit()  # the failure is audited
            form.code.errors = [failed.message]
    return render_template("auth/two_factor.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@partial_sign_in
def enrol() -> Any:
    user = current_user.user
    if user.has_totp:
        return redirect(url_for("auth.account"))
    db = get_session()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = totp.confirm_enrolment(
                db, current_user.actor, user, form.code.data or "", utcnow()
            )
            current_user.row.is_two_factor_done = True
            db.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
        except ValidationFailed as failed:
            form.code.errors = [failed.message]
    if user.totp_secret is None or request.method == "GET":
        totp.begin_enrolment(db, user)
        db.commit()
    uri = totp.provisioning_uri(user, _policies().security.totp_issuer)
    return render_template(
        "auth/enrol.html",
        form=form,
        secret=user.totp_secret,
        qr=totp.qr_svg(uri),
        required=current_user.needs_two_factor,
    )


@bp.get("/account")
@requires("account.manage")
def account() -> Any:
    user = current_user.user
    db = get_session()
    return render_template(
        "auth/account.html",
        user=user,
        sessions=service.list_sessions(db, user),
        current_session_id=current_user.row.id,
        password_form=ChangePasswordForm(),
        confirm_form=ConfirmForm(),
        recovery_left=totp.count_unused_recovery_codes(db, user),
    )


@bp.post("/account/password")
@requires("account.manage")
def change_password() -> Any:
    form = ChangePasswordForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            service.change_password(
                db,
                current_user.actor,
                _policies(),
                current_user.user,
                form.current_password.data or "",
                form.password.data or "",
                utcnow(),
            )
            db.commit()
            logout_user()
            session.clear()
            flash("Your password has been changed. Sign in again with your new password")
            return redirect(url_for("auth.login"))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    user = current_user.user
    return render_template(
        "auth/account.html",
        user=user,
        sessions=service.list_sessions(db, user),
        current_session_id=current_user.row.id,
        password_form=form,
        confirm_form=ConfirmForm(),
        recovery_left=totp.count_unused_recovery_codes(db, user),
    ), 422


@bp.post("/account/sign-out-everywhere")
@requires("account.manage")
def sign_out_everywhere() -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        db = get_session()
        service.end_all_sessions(
            db, current_user.actor, current_user.user, utcnow(), "signed out everywhere"
        )
        db.commit()
        logout_user()
        session.clear()
        flash("You have been signed out on every device")
    return redirect(url_for("auth.login"))


@bp.post("/account/recovery-codes")
@requires("account.manage")
def recovery_codes() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    db = get_session()
    codes = totp.new_recovery_codes(db, current_user.actor, current_user.user, utcnow())
    db.commit()
    return render_template("auth/recovery_codes.html", codes=codes)
