"""The mail connection as the settings say: STARTTLS with credentials,
against aiosmtpd on 127.0.0.1 with a certificate made for the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ig.reminders import mail
from ig.settings import SmtpSettings
from tests.reminders.conftest import Handler, free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def authenticate(
    _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ig", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture
def trust(certificate: tuple[str, str]) -> ssl.SSLContext:
    """A client context that trusts the test certificate (and nothing else)."""
    return ssl.create_default_context(cafile=certificate[0])


def server_context(certificate: tuple[str, str]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def secure_server(
    certificate: tuple[str, str],
) -> Iterator[tuple[Handler, SmtpSettings]]:
    handler, port = Handler(), free_port()
    context = server_context(certificate)
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_required=True,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    yield (
        handler,
        SmtpSettings(
            host="127.0.0.1",
            port=port,
            security="starttls",
            username="ig",
            password="s3cret",
            sender="ig@eastmere.example",
        ),
    )
    controller.stop()


def test_sends_over_tls_with_credentials(secure_server, trust):
    handler, settings = secure_server
    with mail.connect(settings, timeout=10, context=trust) as client:
        client.sendmail(settings.sender, ["someone@eastmere.example"], b"Subject: hi\r\n\r\nhi")
    assert len(handler.messages) == 1


def test_an_untrusted_certificate_is_refused(secure_server):
    _handler, settings = secure_server
    with pytest.raises(ssl.SSLCertVerificationError):
        mail.connect(settings, timeout=10)
