"""The mail connection as the settings say: implicit TLS (IG_SMTP_SECURITY=tls) and
STARTTLS, with credentials, against aiosmtpd on 127.0.0.1 with certificates made for the
test by an authority made for the test.

aiosmtpd speaks implicit TLS when its Controller is given ``ssl_context`` (not
``tls_context``, which is STARTTLS); its readiness probe then connects with TLS itself.
It counts only STARTTLS as encryption for AUTH, so the implicit-TLS server is told
``auth_require_tls=False``: its connection is encrypted from the first byte.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ig.errors import ConfigurationError
from ig.reminders import mail
from ig.reminders.delivery import deliver
from ig.reminders.models import ReminderStatus
from ig.settings import Settings, SmtpSettings
from tests.reminders.conftest import Handler, free_port
from tests.reminders.test_delivery import NOW, queued_notice, to
from tests.reminders.test_engine import about

SECURITIES = ("tls", "starttls")
# aiosmtpd warns of AUTH without (STARTTLS) encryption on every connection, in its own
# thread; here the connection is implicit TLS from the first byte.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@dataclass(frozen=True)
class Pki:
    """PEM files: the test's authority, the server's certificate and key that it signed,
    and another authority that signed nothing the server shows."""

    authority: Path
    certificate: Path
    key: Path
    stranger: Path


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _authority(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _server_certificate(
    authority_key: ec.EllipticCurvePrivateKey, authority: x509.Certificate
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A certificate for 127.0.0.1 only (no DNS name), signed by ``authority``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(authority.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(authority_key, hashes.SHA256())
    )
    return key, certificate


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    directory = tmp_path_factory.mktemp("tls")
    authority_key, authority = _authority("ig test authority")
    key, certificate = _server_certificate(authority_key, authority)
    _stranger_key, stranger = _authority("someone else's authority")
    pki = Pki(
        authority=directory / "authority.pem",
        certificate=directory / "server.pem",
        key=directory / "server-key.pem",
        stranger=directory / "stranger.pem",
    )
    pki.authority.write_bytes(authority.public_bytes(serialization.Encoding.PEM))
    pki.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(_pem_key(key))
    pki.stranger.write_bytes(stranger.public_bytes(serialization.Encoding.PEM))
    return pki


def authenticate(
    _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
) -> AuthResult:
    """Only ig/s3cret. A refusal is left to aiosmtpd (handled=False) so that it answers
    535: AuthResult's default, handled=True, means "already answered", and the client
    would wait for a reply that never comes."""
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ig", b"s3cret")
    return AuthResult(success=ok, handled=False)


class TlsHandler(Handler):
    """Also keeps the cipher each message came under (None if it came in the clear)."""

    def __init__(self) -> None:
        super().__init__()
        self.ciphers: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.ciphers.append(server.transport.get_extra_info("cipher"))
        return await super().handle_DATA(server, session, envelope)


@dataclass
class SecureServer:
    handler: TlsHandler
    settings: SmtpSettings


@pytest.fixture(params=SECURITIES)
def secure_server(request: pytest.FixtureRequest, pki: Pki) -> Iterator[SecureServer]:
    """aiosmtpd requiring credentials over implicit TLS or STARTTLS; the settings trust
    the test's authority through ``ca_file`` (IG_SMTP_CA_FILE)."""
    security = request.param
    handler, port = TlsHandler(), free_port()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.certificate, pki.key)
    tls: dict[str, Any] = (
        {"ssl_context": context, "auth_require_tls": False}
        if security == "tls"
        else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        ready_timeout=10,
        **tls,
    )
    controller.start()
    yield SecureServer(
        handler,
        SmtpSettings(
            host="127.0.0.1",
            port=port,
            security=security,
            username="ig",
            password="s3cret",
            sender="ig@eastmere.example",
            ca_file=pki.authority,
        ),
    )
    controller.stop()


def test_connects_over_tls_with_credentials(secure_server):
    settings = secure_server.settings
    with mail.connect(settings, timeout=10) as client:
        assert client.sock is not None
        assert isinstance(client.sock, ssl.SSLSocket)
        client.sendmail(settings.sender, ["someone@eastmere.example"], b"Subject: hi\r\n\r\nhi")
    assert len(secure_server.handler.messages) == 1
    assert secure_server.handler.ciphers[0] is not None


def test_a_context_given_to_connect_is_used(secure_server, pki):
    settings = replace(secure_server.settings, ca_file=None)
    trusting = ssl.create_default_context(cafile=str(pki.authority))
    with mail.connect(settings, timeout=10, context=trusting) as client:
        client.noop()
    with pytest.raises(ssl.SSLCertVerificationError):
        mail.connect(settings, timeout=10)


def test_a_reminder_is_delivered_over_tls(db, policies, secure_server):
    owner, notice = queued_notice(db, policies)
    result = deliver(db, policies.reminders, secure_server.settings, NOW)
    (reminder,) = about(db, "privacy_notice", notice.id)
    (message,) = to(secure_server.handler, owner.email)
    assert result.sent >= 1
    assert reminder.status is ReminderStatus.SENT
    assert reminder.message_id == message["Message-ID"].strip()
    # Every message came encrypted, on the cipher the connection agreed.
    assert len(secure_server.handler.ciphers) == len(secure_server.handler.messages)
    assert all(cipher is not None for cipher in secure_server.handler.ciphers)


def assert_waiting_with(db, notice, error: str):
    """The reminder is still queued, its attempt counted, the error kept, a retry set."""
    (reminder,) = about(db, "privacy_notice", notice.id)
    assert (reminder.status, reminder.attempts) == (ReminderStatus.PENDING, 1)
    assert error in reminder.last_error
    assert reminder.next_attempt_at == NOW + dt.timedelta(minutes=5)
    return reminder


@pytest.mark.parametrize("trusted", ["the system's authorities", "another authority"])
def test_an_untrusted_certificate_is_refused_and_the_reminder_waits(
    db, policies, secure_server, pki, trusted
):
    owner, notice = queued_notice(db, policies)
    ca_file = None if trusted == "the system's authorities" else pki.stranger
    untrusting = replace(secure_server.settings, ca_file=ca_file)
    result = deliver(db, policies.reminders, untrusting, NOW)
    assert (result.sent, result.failed) == (0, 0)
    assert result.retrying >= 1
    assert secure_server.handler.messages == []
    reminder = assert_waiting_with(db, notice, "mail server's certificate is not trusted")
    assert "IG_SMTP_CA_FILE" in reminder.last_error
    # Nothing is lost: once the authority is trusted, the retry delivers it, once.
    later = NOW + dt.timedelta(minutes=5)
    deliver(db, policies.reminders, secure_server.settings, later)
    deliver(db, policies.reminders, secure_server.settings, later + dt.timedelta(minutes=30))
    assert len(to(secure_server.handler, owner.email)) == 1
    assert reminder.status is ReminderStatus.SENT


def test_the_server_name_is_verified_too(db, policies, secure_server):
    """The certificate names 127.0.0.1 only: reached as "localhost", it is refused."""
    _owner, notice = queued_notice(db, policies)
    by_name = replace(secure_server.settings, host="localhost")
    deliver(db, policies.reminders, by_name, NOW)
    assert secure_server.handler.messages == []
    reminder = assert_waiting_with(db, notice, "mail server's certificate is not trusted")
    assert "mismatch" in reminder.last_error


def test_a_refused_log_in_leaves_the_reminder_queued(db, policies, secure_server):
    owner, notice = queued_notice(db, policies)
    wrong = replace(secure_server.settings, password="not-the-password")
    result = deliver(db, policies.reminders, wrong, NOW)
    assert (result.sent, result.failed) == (0, 0)
    assert secure_server.handler.messages == []
    reminder = assert_waiting_with(db, notice, "mail server refused the log-in (535")
    assert "IG_SMTP_USERNAME and IG_SMTP_PASSWORD" in reminder.last_error
    assert "not-the-password" not in reminder.last_error
    deliver(db, policies.reminders, secure_server.settings, NOW + dt.timedelta(minutes=5))
    assert len(to(secure_server.handler, owner.email)) == 1
    assert reminder.status is ReminderStatus.SENT


def test_the_error_is_shown_to_administrators(client, login_as, db, policies, secure_server):
    _owner, notice = queued_notice(db, policies)
    deliver(db, policies.reminders, replace(secure_server.settings, ca_file=None), NOW)
    (reminder,) = about(db, "privacy_notice", notice.id)
    login_as("administrator")
    page = client.get(f"/reminders/outbox/{reminder.id}")
    assert page.status_code == 200
    assert b"mail server&#39;s certificate is not trusted" in page.data


def test_implicit_tls_to_a_server_without_it_fails_clearly(db, policies, smtp_server):
    owner, notice = queued_notice(db, policies)
    settings = replace(smtp_server.settings, security="tls")
    deliver(db, policies.reminders, settings, NOW)
    assert to(smtp_server, owner.email) == []
    assert_waiting_with(db, notice, "TLS with the mail server failed")


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(db, policies, smtp_server):
    """A server (or a man in the middle) that hides STARTTLS gets no mail in the clear."""
    owner, notice = queued_notice(db, policies)
    settings = replace(smtp_server.settings, security="starttls")
    deliver(db, policies.reminders, settings, NOW)
    assert to(smtp_server, owner.email) == []
    assert_waiting_with(db, notice, "STARTTLS extension not supported")


def env(**values: str) -> dict[str, str]:
    return {"IG_ENV": "test", "IG_SECRET_KEY": "k" * 8 + "abcdefghijklmnopqrstuvwxyz", **values}


def test_the_ca_file_setting(tmp_path, pki):
    settings = Settings.from_env(env(IG_SMTP_CA_FILE=str(pki.authority)), tmp_path)
    assert settings.smtp.ca_file == pki.authority
    assert Settings.from_env(env(), tmp_path).smtp.ca_file is None
    with pytest.raises(ConfigurationError, match=r"IG_SMTP_CA_FILE points to .*not exist"):
        Settings.from_env(env(IG_SMTP_CA_FILE=str(tmp_path / "missing.pem")), tmp_path)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="holds no certificate"):
        Settings.from_env(env(IG_SMTP_CA_FILE=str(junk)), tmp_path)
