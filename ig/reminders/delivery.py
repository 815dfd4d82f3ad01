"""Delivery: read the outbox and send what is due, retrying with backoff, losing nothing.

Each batch is first claimed in its own commit, so two runs at once never send the same
message; each message is then marked sent in its own commit straight after the mail
server accepts it, so a crash can at worst repeat the one message in flight, and that
repeat carries the same Message-ID. A refusal or an unreachable server counts an
attempt and sets the next one further off; after max_attempts the reminder is shown as
failed to the administrators.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ig.reminders import mail
from ig.reminders.models import Reminder, ReminderRun, ReminderStatus
from ig.reminders.policy import RemindersPolicy
from ig.reminders.rules import retry_delay
from ig.settings import SmtpSettings

log = logging.getLogger(__name__)
# How long a claimed reminder is left to its run before another run may try it.
CLAIM = dt.timedelta(minutes=15)
# Refusals of one message: the others may still go on the same connection.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class DeliveryResult:
    configured: bool = True
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def due_messages(session: Session, now: dt.datetime) -> list[list[Reminder]]:
    """Pending reminders that may go now, grouped into messages (a digest is one)."""
    rows = session.scalars(
        select(Reminder)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.send_after <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        .order_by(Reminder.id)
    ).all()
    messages: dict[tuple[str, ...], list[Reminder]] = {}
    for row in rows:
        key = (
            (str(row.id),)
            if row.delivery == "each"
            else (row.recipient_key, row.delivery, row.send_after.isoformat())
        )
        messages.setdefault(key, []).append(row)
    return list(messages.values())


def deliver(
    session: Session,
    policy: RemindersPolicy,
    smtp: SmtpSettings,
    now: dt.datetime,
    connect: Callable[[SmtpSettings], smtplib.SMTP] = mail.connect,
) -> DeliveryResult:
    """Send every due message; commits after each one. Without SMTP settings, sends nothing."""
    if smtp.host is None:
        return DeliveryResult(configured=False)
    result = DeliveryResult()
    messages = due_messages(session, now)
    size = policy.delivery.batch_size
    for start in range(0, len(messages), size):
        batch = _claim(session, messages[start : start + size], now)
        if not _send_batch(session, policy, smtp, now, batch, connect, result):
            break  # the server is unreachable: the rest wait for the next run
    if messages:
        session.add(
            ReminderRun(
                kind="delivery",
                started_at=now,
                as_of=now,
                summary=f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}",
            )
        )
    session.commit()
    return result


def _claim(
    session: Session, batch: Sequence[list[Reminder]], now: dt.datetime
) -> list[list[Reminder]]:
    """Take the batch's reminders for this run, counting the attempt, and commit.

    Another delivery running at the same moment claims none of them (the UPDATE's
    condition no longer holds for it), so no message is sent twice. A run that dies
    after claiming leaves them pending; they are tried again once the claim lapses.
    """
    lease = now + CLAIM
    ids = [row.id for rows in batch for row in rows]
    # End the read first: on SQLite a read transaction cannot wait to become a write.
    session.commit()
    claimed = set(
        session.scalars(
            update(Reminder)
            .where(
                Reminder.id.in_(ids),
                Reminder.status == ReminderStatus.PENDING,
                or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
            )
            .values(attempts=Reminder.attempts + 1, next_attempt_at=lease)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        ).all()
    )
    session.commit()
    mine = []
    for rows in batch:
        taken = [row for row in rows if row.id in claimed]
        for row in taken:
            set_committed_value(row, "attempts", row.attempts + 1)
            set_committed_value(row, "next_attempt_at", lease)
        if taken:
            mine.append(taken)
    return mine


def _send_batch(
    session: Session,
    policy: RemindersPolicy,
    smtp: SmtpSettings,
    now: dt.datetime,
    batch: Sequence[list[Reminder]],
    connect: Callable[[SmtpSettings], smtplib.SMTP],
    result: DeliveryResult,
) -> bool:
    """Send one batch on one connection; False if the server could not be reached."""
    try:
        client = connect(smtp)
    except (OSError, smtplib.SMTPException) as error:
        problem = connection_problem(error)
        log.warning("mail server %s:%s: %s", smtp.host, smtp.port, problem)
        for rows in batch:
            _attempt_failed(rows, problem, policy, now, result)
        return False
    with client:
        for index, rows in enumerate(batch):
            try:
                message = mail.build_message(rows, policy, smtp.sender)
                client.sendmail(smtp.sender, [rows[0].recipient_email], mail.wire_bytes(message))
            except MESSAGE_REFUSED as error:
                _attempt_failed(rows, f"refused: {error}", policy, now, result)
            except (OSError, smtplib.SMTPException) as error:
                for pending in batch[index:]:
                    _attempt_failed(pending, f"connection lost: {error}", policy, now, result)
                session.commit()
                return False
            else:
                _sent(rows, smtp.sender, now, result)
            _commit_outcome(session)
    return True


def connection_problem(error: OSError | smtplib.SMTPException) -> str:
    """Why no connection could be had, in words an administrator can act on."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"mail server's certificate is not trusted ({error.verify_message}); "
            "nothing was sent: check IG_SMTP_HOST, or give its authority in IG_SMTP_CA_FILE"
        )
    if isinstance(error, ssl.SSLError):
        return f"TLS with the mail server failed: {error}; check IG_SMTP_SECURITY and the port"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        reply = error.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode(errors="replace")
        return (
            f"mail server refused the log-in ({error.smtp_code} {reply}); "
            "check IG_SMTP_USERNAME and IG_SMTP_PASSWORD"
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"mail server does not offer what the IG_SMTP_* settings need: {error}"
    return f"mail server unreachable: {error}"


def _commit_outcome(session: Session) -> None:
    """Commit one message's outcome; on PostgreSQL without waiting for the disk flush.

    Should the database server itself crash in the next instant, the message would be
    sent again with the same Message-ID: the same window a crash of this process has
    anyway, for a commit per message that costs no disk flush.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    session.commit()


def _sent(rows: list[Reminder], sender: str, now: dt.datetime, result: DeliveryResult) -> None:
    message_id = mail.message_id(rows, sender)
    for row in rows:
        row.status, row.sent_at, row.message_id = ReminderStatus.SENT, now, message_id
        row.next_attempt_at = None
    result.sent += 1


def _attempt_failed(
    rows: list[Reminder],
    error: str,
    policy: RemindersPolicy,
    now: dt.datetime,
    result: DeliveryResult,
) -> None:
    settings = policy.delivery
    for row in rows:
        row.last_error = error[:1000]
        if row.attempts >= settings.max_attempts:
            row.status, row.next_attempt_at = ReminderStatus.FAILED, None
        else:
            row.next_attempt_at = now + retry_delay(
                row.attempts, settings.backoff_base_minutes, settings.backoff_max_minutes
            )
    if rows[0].status is ReminderStatus.FAILED:
        result.failed += 1
    else:
        result.retrying += 1
