"""ig: information governance and data-breach compliance for councils and their partners."""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_wtf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from ig.crypto import KeyRing, install_keyring
from ig.db import Database, close_session, make_engine
from ig.policies import load_policies
from ig.settings import PROJECT_ROOT, Settings

csrf = CSRFProtect()
# The feature folders under ig/, each with a views.py holding a Blueprint named bp.
FEATURES = (
    "home",
    "auth",
    "audit",
    "people",
    "training",
    "incidents",
    "caldicott",
    "sharing",
    "notices",
    "reminders",
)


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Assemble the application: settings, policies, keys, database, web layer, features.

    Raises ConfigurationError (or PolicyError) naming the setting or policy key at
    fault, so a misconfigured deployment stops at start-up rather than misbehaving.
    """
    settings = settings or Settings.from_env()
    policies = load_policies(settings.policies_dir)
    keyring = KeyRing.from_material(settings.key_material)
    install_keyring(keyring)
    database = database or Database(make_engine(settings.database_url))

    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="__Host-ig" if settings.is_production else "ig",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=policies.security.session_absolute_hours * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the server-side session
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        TESTING=settings.env == "test",
    )
    app.extensions.update(
        {
            "ig.settings": settings,
            "ig.policies": policies,
            "ig.keyring": keyring,
            "ig.db": database,
        }
    )
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.trusted_proxies,
            x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies,
        )
    WTFormsHelpers(app)
    csrf.init_app(app)
    app.teardown_appcontext(close_session)

    from ig import web
    from ig.auth.access import init_login

    init_login(app)
    web.init_web(app)
    _register_features(app)
    return app


def _register_features(app: Flask) -> None:
    """Each feature's blueprint and API endpoints, in FEATURES order (the navigation's)."""
    from ig.api import api

    for name in FEATURES:
        app.register_blueprint(import_module(f"ig.{name}.views").bp)
        if (PROJECT_ROOT / "ig" / name / "api.py").exists():
            import_module(f"ig.{name}.api")  # registers its endpoints on the API blueprint
    app.register_blueprint(api)
    csrf.exempt(api)  # bearer tokens, not cookies: CSRF cannot ride on them
    # Sealed records checked beside the audit chain (ig verify-audit, the chain check page).
    app.extensions["ig.integrity_checks"] = {
        "Signed Caldicott decisions": import_module(
            "ig.caldicott.integrity"
        ).verify_signed_decisions,
    }
