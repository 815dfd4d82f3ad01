"""Building reminder e-mails from templates, with a stable Message-ID, and sending them."""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ig.reminders.models import Reminder
from ig.reminders.policy import RemindersPolicy
from ig.reminders.rules import describe_stage
from ig.settings import PROJECT_ROOT, SmtpSettings

SMTP_POLICY = compat32.clone(linesep="\r\n")
_templates = Environment(
    loader=FileSystemLoader(str(PROJECT_ROOT / "templates" / "reminders" / "email")),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Item:
    """One reminder as the message shows it."""

    summary: str
    title: str
    stage: str
    due: str
    url: str


def message_key(rows: Sequence[Reminder]) -> str:
    """What identifies a message for ever: one reminder's key, or a digest's slot."""
    first = rows[0]
    if first.delivery == "each":
        return "|".join(
            (first.rule, first.record_type, first.record_id, first.recipient_key, first.period)
        )
    return "|".join(("digest", first.delivery, first.recipient_key, first.send_after.isoformat()))


def message_id(rows: Sequence[Reminder], sender: str) -> str:
    """A Message-ID that is the same on every retry, so a duplicate can be recognised."""
    digest = hashlib.sha256(message_key(rows).encode()).hexdigest()[:24]
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<reminder.{digest}@{domain}>"


def due_text(due_key: str) -> str:
    """The deadline in a person's words: a UK date, or the key itself if it is no date."""
    try:
        return dt.date.fromisoformat(due_key[:10]).strftime("%-d %B %Y")
    except ValueError:
        return due_key


def _items(rows: Sequence[Reminder], policy: RemindersPolicy) -> list[Item]:
    items = []
    for row in rows:
        rule = policy.rules.get(row.rule)
        items.append(
            Item(
                summary=rule.summary if rule else "A deadline needs your attention",
                title=row.title,
                stage=describe_stage(row.stage),
                due=due_text(row.due_key),
                url=policy.delivery.app_url + row.link,
            )
        )
    return items


def build_message(rows: Sequence[Reminder], policy: RemindersPolicy, sender: str) -> Message:
    """The e-mail for one reminder, or a digest of several to one person.

    Built with the email package's MIME classes, which are several times faster than
    EmailMessage's content manager: delivery builds thousands of these in one run.
    """
    items = _items(rows, policy)
    digest = rows[0].delivery != "each"
    name = "digest" if digest else "reminder"
    context = {"items": items, "item": items[0], "app_url": policy.delivery.app_url}
    message = MIMEMultipart("alternative")
    message["Subject"] = (
        f"ig: {len(items)} reminder{'s' if len(items) != 1 else ''}"
        if digest
        else f"ig: {items[0].summary}"
    )
    message["From"] = sender
    message["To"] = rows[0].recipient_email
    message["Date"] = format_datetime(rows[0].send_after)
    message["Message-ID"] = message_id(rows, sender)
    for kind in ("txt", "html"):
        text = _templates.get_template(f"{name}.{kind}").render(context)
        message.attach(MIMEText(text, "plain" if kind == "txt" else "html", "utf-8"))
    return message


def wire_bytes(message: Message) -> bytes:
    """The message as SMTP carries it: every line ending in CRLF (RFC 5321)."""
    return message.as_bytes(policy=SMTP_POLICY)


def plain_text(message: Message) -> str:
    """The plain-text body of a message built by build_message."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode("utf-8") if isinstance(payload, bytes) else ""
    return ""


def connect(
    smtp: SmtpSettings, timeout: float = 30, context: ssl.SSLContext | None = None
) -> smtplib.SMTP:
    """An SMTP connection as the settings say: implicit TLS, STARTTLS or plain (local relay).

    The server's certificate and name are always verified: against the authorities in
    ``smtp.ca_file`` (IG_SMTP_CA_FILE) when set, otherwise the system's; or by the
    ``context`` given.
    """
    assert smtp.host is not None  # callers check that mail is configured
    if context is None:
        cafile = str(smtp.ca_file) if smtp.ca_file else None
        context = ssl.create_default_context(cafile=cafile)
    client: smtplib.SMTP
    if smtp.security == "tls":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    try:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
    except BaseException:
        client.close()  # a refused STARTTLS or log-in must not leave the socket open
        raise
    return client
