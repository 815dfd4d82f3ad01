"""Settings from the environment, with safe defaults; the only reader of os.environ."""

from __future__ import annotations

import json
import os
import secrets
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ig.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
ENVIRONMENTS = ("development", "test", "production")
MIN_SECRET_LENGTH = 32
SMTP_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server; host None means mail stays in the outbox."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"  # one of SMTP_SECURITY
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "ig@localhost"
    # A PEM file of the authorities to trust for the server's certificate instead of the
    # system's (a council relay with its own CA); None trusts the system's.
    ca_file: Path | None = None


@dataclass(frozen=True)
class Settings:
    """Everything the application reads from its environment, validated once."""

    env: str
    database_url: str
    secret_key: str = field(repr=False)
    key_material: Mapping[str, object] = field(repr=False)
    policies_dir: Path
    instance_path: Path
    smtp: SmtpSettings = SmtpSettings()
    run_scheduler: bool = False
    # The file the data keys were read from; None when they came from IG_DATA_KEYS,
    # which ig cannot change (so ``ig keys new`` refuses).
    data_keys_file: Path | None = None
    # How many reverse proxies (TLS terminators) stand in front of ig. Their
    # X-Forwarded-For is believed only this deep, so sign-in throttling per address
    # sees the real client, not the proxy, and a client cannot forge its address.
    trusted_proxies: int = 0

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def upload_dir(self) -> Path:
        """Where uploads were kept before they moved into the database. Nothing writes
        here now: only the migrations that move the files (and the downgrades that write
        them back) read it, and ``ig backup`` names any files left in it."""
        return self.instance_path / "uploads"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, instance_path: Path | None = None
    ) -> Settings:
        """Read settings from ``environ`` (default: the process environment).

        In development, a missing secret key or data key is generated once in the
        instance folder (mode 0600). In production, anything missing or weak raises
        ConfigurationError naming the setting to supply.
        """
        environ = os.environ if environ is None else environ
        env = environ.get("IG_ENV", "development")
        if env not in ENVIRONMENTS:
            raise ConfigurationError(
                f"IG_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}"
            )
        instance = Path(environ.get("IG_INSTANCE_PATH", instance_path or DEFAULT_INSTANCE))
        production = env == "production"
        if not production:
            # Owner-only: it holds the SQLite database and the generated secrets.
            instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        database_url = environ.get("IG_DATABASE_URL") or (
            None if production else f"sqlite:///{instance / 'ig.sqlite3'}"
        )
        if not database_url:
            raise ConfigurationError(
                "IG_DATABASE_URL must be set in production "
                "(for example postgresql://ig@db.example.org/ig)"
            )
        secret_key = _secret_key(environ, instance, production)
        key_material, key_file = _key_material(environ, instance, production)
        return cls(
            env=env,
            database_url=normalise_database_url(database_url),
            secret_key=secret_key,
            key_material=key_material,
            policies_dir=_policies_dir(environ),
            instance_path=instance,
            smtp=_smtp(environ),
            run_scheduler=_flag(environ, "IG_RUN_SCHEDULER"),
            data_keys_file=key_file,
            trusted_proxies=_count(environ, "IG_TRUSTED_PROXIES"),
        )


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs given without one."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(environ: Mapping[str, str], instance: Path, production: bool) -> str:
    """The key that signs session cookies and CSRF tokens; generated once in development."""
    key = environ.get("IG_SECRET_KEY")
    if key is None and not production:
        key = _read_or_create(instance / "secret_key", lambda: secrets.token_urlsafe(48))
    # Few distinct characters means a made-up value ("changeme" repeated), not a random one.
    if not key or len(key) < MIN_SECRET_LENGTH or len(set(key)) < 10:
        problem = "is not set" if not key else "is too weak"
        raise ConfigurationError(
            f"IG_SECRET_KEY {problem}: set it to a random value of at least "
            f"{MIN_SECRET_LENGTH} characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    return key


def _key_material(
    environ: Mapping[str, str], instance: Path, production: bool
) -> tuple[dict[str, Any], Path | None]:
    """Load the data keys and the file they came from (None for IG_DATA_KEYS).

    IG_DATA_KEYS (JSON) wins over IG_DATA_KEYS_FILE; in development a key file is
    generated in the instance folder. The key ring itself checks the keys' shape.
    """
    path: Path | None = None
    if environ.get("IG_DATA_KEYS"):
        source, text = "IG_DATA_KEYS", environ["IG_DATA_KEYS"]
    elif environ.get("IG_DATA_KEYS_FILE"):
        path = Path(environ["IG_DATA_KEYS_FILE"])
        if not path.is_file():
            raise ConfigurationError(f"IG_DATA_KEYS_FILE points to {path}, which does not exist")
        source, text = f"IG_DATA_KEYS_FILE ({path})", path.read_text(encoding="utf-8")
    elif production:
        raise ConfigurationError(
            "IG_DATA_KEYS_FILE (or IG_DATA_KEYS) must be set in production "
            "(create a key file with: ig keys init FILE)"
        )
    else:
        from ig.crypto import new_key_material

        path = instance / "data_keys.json"
        source = str(path)
        text = _read_or_create(path, lambda: json.dumps(new_key_material(), indent=2))
    try:
        material = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{source} is not valid JSON: {exc}") from exc
    if not isinstance(material, dict):
        raise ConfigurationError(f"{source} must hold a JSON object")
    return {**material, "source": source}, path


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    """Read ``path``, first creating it (mode 0600) with ``make()`` if it does not exist.

    The content is written to a private temporary file and linked into place, so two
    processes starting at once agree on one value and nobody reads a half-written file.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(make())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won the race; use its value
        finally:
            temporary.unlink()
    return path.read_text(encoding="utf-8").strip()


def _policies_dir(environ: Mapping[str, str]) -> Path:
    directory = Path(environ.get("IG_POLICIES_DIR") or PROJECT_ROOT / "policies")
    if not directory.is_dir():
        raise ConfigurationError(f"IG_POLICIES_DIR points to {directory}, which is not a folder")
    return directory


def _count(environ: Mapping[str, str], name: str) -> int:
    text = environ.get(name, "0").strip()
    if not text.isdigit() or int(text) > 5:
        raise ConfigurationError(f"{name} must be a whole number from 0 to 5, not {text!r}")
    return int(text)


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "0")
    if value not in ("0", "1"):
        raise ConfigurationError(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def _ca_file(environ: Mapping[str, str]) -> Path | None:
    """IG_SMTP_CA_FILE: a PEM file of certificates that OpenSSL can load, or None."""
    if not environ.get("IG_SMTP_CA_FILE"):
        return None
    path = Path(environ["IG_SMTP_CA_FILE"])
    if not path.is_file():
        raise ConfigurationError(f"IG_SMTP_CA_FILE points to {path}, which does not exist")
    try:
        ssl.create_default_context(cafile=str(path))
    except ssl.SSLError as error:
        raise ConfigurationError(
            f"IG_SMTP_CA_FILE ({path}) holds no certificate that can be loaded: {error}"
        ) from error
    return path


def _smtp(environ: Mapping[str, str]) -> SmtpSettings:
    port_text = environ.get("IG_SMTP_PORT") or "587"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ConfigurationError(
            f"IG_SMTP_PORT must be a port number from 1 to 65535, not {port_text!r}"
        )
    security = environ.get("IG_SMTP_SECURITY") or "starttls"
    if security not in SMTP_SECURITY:
        raise ConfigurationError(
            f"IG_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}"
        )
    if bool(environ.get("IG_SMTP_USERNAME")) != bool(environ.get("IG_SMTP_PASSWORD")):
        raise ConfigurationError("IG_SMTP_USERNAME and IG_SMTP_PASSWORD must be set together")
    sender = environ.get("IG_SMTP_SENDER") or "ig@localhost"
    if "@" not in sender:
        raise ConfigurationError(f"IG_SMTP_SENDER must be an e-mail address, not {sender!r}")
    ca_file = _ca_file(environ)
    return SmtpSettings(
        host=environ.get("IG_SMTP_HOST") or None,
        port=int(port_text),
        security=security,
        username=environ.get("IG_SMTP_USERNAME") or None,
        password=environ.get("IG_SMTP_PASSWORD") or None,
        sender=sender,
        ca_file=ca_file,
    )
