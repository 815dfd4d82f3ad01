"""Notifications (each person's reminders) and the administrators' reminder outbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.reminders import mail, service
from ig.reminders.models import ReminderStatus
from ig.reminders.rules import describe_stage

bp = Blueprint("reminders", __name__)


def _settings() -> Any:
    return current_app.extensions["ig.settings"]


@bp.get("/notifications")
@requires("notifications.read")
def notifications() -> Any:
    unread = request.args.get("show") == "unread"
    page = service.list_notifications(
        get_session(),
        current_actor(),
        unread_only=unread,
        page=request.args.get("page", 1, type=int) or 1,
    )
    return render_template(
        "reminders/notifications.html", page=page, unread=unread, describe_stage=describe_stage
    )


@bp.post("/notifications/<int:reminder_id>/read")
@requires("notifications.read")
def mark_read(reminder_id: int) -> Any:
    service.mark_read(get_session(), current_actor(), reminder_id, utcnow())
    get_session().commit()
    return redirect(url_for("reminders.notifications"))


@bp.post("/notifications/read-all")
@requires("notifications.read")
def mark_all_read() -> Any:
    service.mark_all_read(get_session(), current_actor(), utcnow())
    get_session().commit()
    return redirect(url_for("reminders.notifications"))


@bp.get("/reminders/outbox")
@requires("reminders.admin")
def outbox() -> Any:
    try:
        status = ReminderStatus(request.args.get("status", "pending"))
    except ValueError:
        status = ReminderStatus.PENDING
    page = service.list_outbox(
        get_session(), status, page=request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "reminders/outbox.html",
        page=page,
        status=status,
        statuses=list(ReminderStatus),
        summary=service.outbox_summary(get_session()),
        mail_configured=_settings().smtp.host is not None,
    )


@bp.get("/reminders/outbox/<int:reminder_id>")
@requires("reminders.admin")
def preview(reminder_id: int) -> Any:
    reminder = service.get_reminder(get_session(), reminder_id)
    policies = current_app.extensions["ig.policies"]
    message = mail.build_message([reminder], policies.reminders, _settings().smtp.sender)
    return render_template(
        "reminders/preview.html",
        reminder=reminder,
        message=message,
        body=mail.plain_text(message),
    )


@bp.post("/reminders/outbox/<int:reminder_id>/retry")
@requires("reminders.admin")
def retry(reminder_id: int) -> Any:
    service.retry_failed(get_session(), current_actor(), reminder_id, utcnow())
    get_session().commit()
    return redirect(url_for("reminders.outbox", status="failed"))
