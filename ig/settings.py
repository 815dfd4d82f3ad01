"""Settings from the environment, with safe defaults; the only reader of os.environ."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ig.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
ENVIRONMENTS = ("development", "test", "production")
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server; host None means mail stays in the outbox."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "ig@localhost"


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

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def upload_dir(self) -> Path:
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
            instance.mkdir(parents=True, exist_ok=True)
        database_url = environ.get("IG_DATABASE_URL") or (
            None if production else f"sqlite:///{instance / 'ig.sqlite3'}"
        )
        if not database_url:
            raise ConfigurationError("IG_DATABASE_URL must be set in production")
        return cls(
            env=env,
            database_url=normalise_database_url(database_url),
            secret_key=_secret_key(environ, instance, production),
            key_material=_key_material(environ, instance, production),
            policies_dir=Path(environ.get("IG_POLICIES_DIR", PROJECT_ROOT / "policies")),
            instance_path=instance,
            smtp=_smtp(environ),
            run_scheduler=environ.get("IG_RUN_SCHEDULER", "0") == "1",
        )


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs given without one."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(environ: Mapping[str, str], instance: Path, production: bool) -> str:
    key = environ.get("IG_SECRET_KEY")
    if key is None and not production:
        key = _read_or_create(instance / "secret_key", lambda: secrets.token_urlsafe(48))
    if not key or len(key) < MIN_SECRET_LENGTH or len(set(key)) < 10:
        raise ConfigurationError(
            f"IG_SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
            "characters (for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    return key


def _key_material(environ: Mapping[str, str], instance: Path, production: bool) -> dict:
    """Load the data keys: IG_DATA_KEYS (JSON), IG_DATA_KEYS_FILE, or the dev key file."""
    if "IG_DATA_KEYS" in environ:
        source, text = "IG_DATA_KEYS", environ["IG_DATA_KEYS"]
    elif "IG_DATA_KEYS_FILE" in environ:
        path = Path(environ["IG_DATA_KEYS_FILE"])
        if not path.is_file():
            raise ConfigurationError(f"IG_DATA_KEYS_FILE points to {path}, which does not exist")
        source, text = str(path), path.read_text(encoding="utf-8")
    elif production:
        raise ConfigurationError(
            "IG_DATA_KEYS or IG_DATA_KEYS_FILE must be set in production "
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
    return {**material, "source": source}


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make())
    return path.read_text(encoding="utf-8").strip()


def _smtp(environ: Mapping[str, str]) -> SmtpSettings:
    port_text = environ.get("IG_SMTP_PORT", "587")
    if not port_text.isdigit():
        raise ConfigurationError(f"IG_SMTP_PORT must be a number, not {port_text!r}")
    security = environ.get("IG_SMTP_SECURITY", "starttls")
    if security not in ("starttls", "tls", "none"):
        raise ConfigurationError("IG_SMTP_SECURITY must be starttls, tls or none")
    return SmtpSettings(
        host=environ.get("IG_SMTP_HOST") or None,
        port=int(port_text),
        security=security,
        username=environ.get("IG_SMTP_USERNAME") or None,
        password=environ.get("IG_SMTP_PASSWORD") or None,
        sender=environ.get("IG_SMTP_SENDER", "ig@localhost"),
    )
