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

from ig.auth import service, tokens, totp
from ig.auth.access import partial_sign_in, public, requires, signed_in
from ig.auth.forms import ChangePasswordForm, CodeForm, ConfirmForm, EnrolForm, SignInForm
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed
from ig.policies import Policies
from ig.web import is_safe_next

bp = Blueprint("auth", __name__)


def _policies() -> Policies:
    return current_app.extensions["ig.policies"]  # type: ignore[no-any-return]


def _address() -> str:
    return request.remote_addr or "unknown"


def _next_url() -> str:
    target = session.pop("next", None)
    return target if isinstance(target, str) and is_safe_next(target) else url_for("home.index")


def _signed_out(message: str) -> Any:
    """Forget this browser's sign-in entirely and go to the sign-in page."""
    logout_user()
    session.clear()
    flash(message)
    return redirect(url_for("auth.login"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login() -> Any:
    form = SignInForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    db = get_session()
    try:
        user = service.authenticate(
            db, _policies(), form.email.data or "", form.password.data or "", _address(), utcnow()
        )
    except service.SignInRefused as refused:
        db.commit()  # the failed attempt must count towards the throttle
        form.email.errors = [refused.message]
        return render_template("auth/login.html", form=form), 200
    if current_user.is_authenticated:  # signing in again: the old session ends here
        service.end_session(db, current_user.row, utcnow())
    new = service.start_session(db, user, request.user_agent.string, utcnow())
    db.commit()
    session.clear()  # a fresh cookie session at sign-in: nothing planted before survives
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
    return _signed_out("You have signed out")


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
                db,
                current_user.actor,
                _policies(),
                current_user.row,
                form.code.data or "",
                _address(),
                utcnow(),
            )
            db.commit()
            return redirect(_next_url())
        except ValidationFailed as failed:
            db.commit()  # the failure is counted and audited
            form.code.errors = [failed.message]
    return render_template("auth/two_factor.html", form=form), 422 if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
@partial_sign_in
def enrol() -> Any:
    user = current_user.user
    if user.has_totp:
        return redirect(url_for("auth.account"))
    form = EnrolForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            codes = totp.confirm_enrolment(
                db, current_user.actor, current_user.row, form.code.data or "", utcnow()
            )
            db.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
        except ValidationFailed as failed:
            db.commit()  # the failure is audited
            form.code.errors = [failed.message]
    secret = totp.pending_secret(current_user.row)
    uri = totp.provisioning_uri(user.email, secret, _policies().security.totp_issuer)
    return render_template(
        "auth/enrol.html",
        form=form,
        secret=secret,
        qr=totp.qr_svg(uri),
        required=current_user.needs_two_factor,
    ), 422 if form.errors else 200


def _account_page(password_form: ChangePasswordForm, status: int = 200) -> Any:
    user = current_user.user
    db = get_session()
    return render_template(
        "auth/account.html",
        user=user,
        sessions=service.list_sessions(db, user),
        current_session_id=current_user.row.id,
        tokens=tokens.list_tokens(db, user),
        now=utcnow(),
        password_form=password_form,
        confirm_form=ConfirmForm(),
        recovery_left=totp.count_unused_recovery_codes(db, user),
    ), status


@bp.get("/account")
@requires("account.manage")
def account() -> Any:
    return _account_page(ChangePasswordForm())


@bp.post("/account/password")
@requires("account.manage")
def change_password() -> Any:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(form, 422)
    db = get_session()
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
    except ValidationFailed as failed:
        getattr(form, failed.field).errors = [failed.message]
        return _account_page(form, 422)
    db.commit()
    return _signed_out("Your password has been changed. Sign in again with your new password")


@bp.post("/account/sign-out-everywhere")
@requires("account.manage")
def sign_out_everywhere() -> Any:
    db = get_session()
    service.sign_out_everywhere(db, current_user.actor, current_user.user, utcnow())
    db.commit()
    return _signed_out("You have been signed out on every device and your API tokens are revoked")


@bp.post("/account/recovery-codes")
@requires("account.manage")
def recovery_codes() -> Any:
    db = get_session()
    codes = totp.new_recovery_codes(db, current_user.actor, current_user.user, utcnow())
    db.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires("account.manage")
def revoke_token(token_id: int) -> Any:
    db = get_session()
    token = tokens.revoke_token(db, current_user.actor, token_id, utcnow(), owner=current_user.user)
    db.commit()
    flash(f"The token “{token.name}” is revoked and no longer works")
    return redirect(url_for("auth.account"))
