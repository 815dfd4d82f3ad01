"""Settings from the environment: development defaults, production refusals."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ig.crypto import KeyRing, new_key_material
from ig.errors import ConfigurationError
from ig.settings import PROJECT_ROOT, Settings, _read_or_create

STRONG_SECRET = "Zq8v3Lr0-Wm2yTn6Kp4Xc1Hd9Bf7Gs5Jt_A"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(new_key_material("k1")))
    path.chmod(0o600)
    return path


def production(tmp_path: Path, key_file: Path, **overrides: str) -> dict[str, str]:
    environ = {
        "IG_ENV": "production",
        "IG_DATABASE_URL": "postgresql://ig@db.example.org/ig",
        "IG_SECRET_KEY": STRONG_SECRET,
        "IG_DATA_KEYS_FILE": str(key_file),
        "IG_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    environ.update(overrides)
    return {name: value for name, value in environ.items() if value != "<unset>"}


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_development_generates_private_secret_and_keys(tmp_path):
    instance = tmp_path / "instance"
    settings = Settings.from_env({"IG_INSTANCE_PATH": str(instance)})

    secret_file, key_path = instance / "secret_key", instance / "data_keys.json"
    assert mode_of(secret_file) == 0o600
    assert mode_of(key_path) == 0o600
    assert mode_of(instance) == 0o700
    assert settings.secret_key == secret_file.read_text().strip()
    assert len(settings.secret_key) >= 32
    assert settings.data_keys_file == key_path
    assert KeyRing.from_material(settings.key_material).active_id == "k1"
    assert settings.database_url == f"sqlite:///{instance / 'ig.sqlite3'}"
    assert not list(instance.glob(".*"))  # no temporary file left behind


def test_development_reuses_generated_secrets(tmp_path):
    environ = {"IG_INSTANCE_PATH": str(tmp_path / "instance")}
    first = Settings.from_env(environ)
    second = Settings.from_env(environ)
    assert first.secret_key == second.secret_key
    assert first.key_material["keys"] == second.key_material["keys"]


def test_development_generated_secrets_differ_between_instances(tmp_path):
    one = Settings.from_env({"IG_INSTANCE_PATH": str(tmp_path / "one")})
    two = Settings.from_env({"IG_INSTANCE_PATH": str(tmp_path / "two")})
    assert one.secret_key != two.secret_key
    assert one.key_material["keys"] != two.key_material["keys"]


def test_production_with_everything_set(tmp_path, key_file):
    settings = Settings.from_env(production(tmp_path, key_file))
    assert settings.is_production
    assert settings.database_url == "postgresql+psycopg://ig@db.example.org/ig"
    assert settings.secret_key == STRONG_SECRET
    assert settings.data_keys_file == key_file
    assert not (tmp_path / "instance").exists()  # production generates nothing


def test_repr_hides_secrets(tmp_path, key_file):
    settings = Settings.from_env(
        production(tmp_path, key_file, IG_SMTP_USERNAME="u", IG_SMTP_PASSWORD="smtp-pass-123")
    )
    text = repr(settings)
    assert STRONG_SECRET not in text
    assert "smtp-pass-123" not in text
    assert settings.key_material["keys"]["k1"] not in text


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"IG_SECRET_KEY": "<unset>"}, "IG_SECRET_KEY is not set"),
        ({"IG_SECRET_KEY": ""}, "IG_SECRET_KEY is not set"),
        ({"IG_SECRET_KEY": "short-but-random-Q9"}, "IG_SECRET_KEY is too weak"),
        ({"IG_SECRET_KEY": "changeme" * 6}, "IG_SECRET_KEY is too weak"),
        ({"IG_DATABASE_URL": "<unset>"}, "IG_DATABASE_URL must be set in production"),
        ({"IG_DATA_KEYS_FILE": "<unset>"}, "IG_DATA_KEYS_FILE (or IG_DATA_KEYS) must be set"),
        ({"IG_DATA_KEYS_FILE": "/nonexistent/keys.json"}, "IG_DATA_KEYS_FILE points to"),
        ({"IG_ENV": "prod"}, "IG_ENV must be one of development, test, production"),
        ({"IG_SMTP_PORT": "twenty-five"}, "IG_SMTP_PORT must be a port number"),
        ({"IG_SMTP_PORT": "70000"}, "IG_SMTP_PORT must be a port number"),
        ({"IG_SMTP_PORT": "0"}, "IG_SMTP_PORT must be a port number"),
        ({"IG_SMTP_SECURITY": "ssl"}, "IG_SMTP_SECURITY must be one of starttls, tls, none"),
        ({"IG_SMTP_USERNAME": "mailer"}, "IG_SMTP_USERNAME and IG_SMTP_PASSWORD"),
        ({"IG_SMTP_SENDER": "not-an-address"}, "IG_SMTP_SENDER must be an e-mail address"),
        ({"IG_POLICIES_DIR": "/nonexistent/policies"}, "IG_POLICIES_DIR points to"),
        ({"IG_RUN_SCHEDULER": "yes"}, "IG_RUN_SCHEDULER must be 0 or 1"),
        ({"IG_TRUSTED_PROXIES": "all"}, "IG_TRUSTED_PROXIES must be a whole number"),
        ({"IG_TRUSTED_PROXIES": "9"}, "IG_TRUSTED_PROXIES must be a whole number"),
        ({"IG_DATA_KEYS": "{not json"}, "IG_DATA_KEYS is not valid JSON"),
        ({"IG_DATA_KEYS": "[1, 2]"}, "IG_DATA_KEYS must hold a JSON object"),
    ],
)
def test_production_refuses_bad_settings_naming_the_setting(tmp_path, key_file, overrides, named):
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env(production(tmp_path, key_file, **overrides))
    assert named in str(caught.value)


def test_weak_secret_refused_in_development_too(tmp_path):
    with pytest.raises(ConfigurationError, match="IG_SECRET_KEY is too weak"):
        Settings.from_env({"IG_INSTANCE_PATH": str(tmp_path), "IG_SECRET_KEY": "secret"})


def test_smtp_settings_read(tmp_path, key_file):
    settings = Settings.from_env(
        production(
            tmp_path,
            key_file,
            IG_SMTP_HOST="mail.example.org",
            IG_SMTP_PORT="465",
            IG_SMTP_SECURITY="tls",
            IG_SMTP_USERNAME="mailer",
            IG_SMTP_PASSWORD="pw-Xy7",
            IG_SMTP_SENDER="ig@example.org",
        )
    )
    assert settings.smtp.host == "mail.example.org"
    assert settings.smtp.port == 465
    assert settings.smtp.security == "tls"
    assert settings.smtp.username == "mailer"
    assert settings.smtp.password == "pw-Xy7"
    assert settings.smtp.sender == "ig@example.org"


def test_smtp_defaults_keep_mail_in_outbox(tmp_path):
    settings = Settings.from_env({"IG_INSTANCE_PATH": str(tmp_path)})
    assert settings.smtp.host is None
    assert settings.smtp.port == 587
    assert settings.smtp.security == "starttls"


def test_data_keys_variable_wins_and_has_no_file(tmp_path, key_file):
    material = new_key_material("env1")
    settings = Settings.from_env(production(tmp_path, key_file, IG_DATA_KEYS=json.dumps(material)))
    assert settings.data_keys_file is None
    assert settings.key_material["source"] == "IG_DATA_KEYS"
    assert KeyRing.from_material(settings.key_material).active_id == "env1"


def test_policies_dir_and_scheduler_flag(tmp_path, key_file):
    settings = Settings.from_env(
        production(tmp_path, key_file, IG_POLICIES_DIR=str(tmp_path), IG_RUN_SCHEDULER="1")
    )
    assert settings.policies_dir == tmp_path
    assert settings.run_scheduler is True
    default = Settings.from_env(production(tmp_path, key_file))
    assert default.policies_dir == PROJECT_ROOT / "policies"
    assert default.run_scheduler is False


@pytest.mark.parametrize("scheme", ["postgres://", "postgresql://"])
def test_postgres_urls_use_psycopg(tmp_path, key_file, scheme):
    settings = Settings.from_env(production(tmp_path, key_file, IG_DATABASE_URL=f"{scheme}h/d"))
    assert settings.database_url == "postgresql+psycopg://h/d"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda m: m.pop("keys"), "'keys' must map key ids"),
        (lambda m: m.update(active="nope"), "'active' must name one of the keys"),
        (lambda m: m["keys"].update(k1="c2hvcnQ="), "keys.k1 must be 32 bytes"),
        (lambda m: m["keys"].update(k1="***"), "keys.k1 is not valid base64"),
        (lambda m: m.pop("audit_key"), "'audit_key' is missing"),
        (lambda m: m["keys"].update({"bad id!": m["keys"]["k1"]}), "key id 'bad id!'"),
    ],
)
def test_unusable_key_file_stops_start_up_naming_the_file(tmp_path, key_file, change, named):
    material = json.loads(key_file.read_text())
    change(material)
    key_file.write_text(json.dumps(material))
    settings = Settings.from_env(production(tmp_path, key_file))
    with pytest.raises(ConfigurationError) as caught:
        KeyRing.from_material(settings.key_material)
    assert named in str(caught.value)
    assert str(key_file) in str(caught.value)


def test_two_processes_creating_a_secret_at_once_agree(tmp_path):
    path = tmp_path / "secret_key"

    def make_while_another_process_wins() -> str:
        path.write_text("the other process's value")
        return "this process's value"

    assert _read_or_create(path, make_while_another_process_wins) == "the other process's value"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
