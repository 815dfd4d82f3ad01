"""ig: information governance and data-breach compliance for councils and their partners."""

from __future__ import annotations

from flask import Flask
from flask_wtf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from ig.crypto import KeyRing, install_keyring
from ig.db import Database, close_session, make_engine
from ig.settings import PROJECT_ROOT, Settings

csrf = CSRFProtect()


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Assemble the application: settings, policies, keys, database, web layer, features.

    Raises ConfigurationError (or PolicyError) naming the setting or policy key at
    fault, so a misconfigured deployment stops at start-up rather than misbehaving.
    """
    # Here rather than at the top, so that importing one part of ig (a rule, a model)
    # does not load every feature.
    from ig.features import (
        FEATURES,
        feeds,
        integrity_checks,
        load_policies,
        report_sections,
        task_sources,
    )

    settings = settings or Settings.from_env()
    policies = load_policies(settings.policies_dir)
    keyring = KeyRing.from_material(settings.key_material)
    install_keyring(keyring)
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    _configure(app, settings, policies.security.session_absolute_hours)
    app.extensions.update(
        {
            "ig.settings": settings,
            "ig.policies": policies,
            "ig.keyring": keyring,
            "ig.db": database or Database(make_engine(settings.database_url)),
            # Sealed records checked beside the audit chain (ig verify-audit, the check page).
            "ig.integrity_checks": integrity_checks(),
            "ig.task_sources": task_sources(),  # the home page's, in the features' order
            "ig.report_sections": report_sections(),  # the IG report's, in the same order
            "ig.feeds": feeds(),  # the read-only feeds for Power BI, in the same order
        }
    )
    _install_web(app)
    for feature in FEATURES:
        if feature.blueprint is not None:
            app.register_blueprint(feature.blueprint)
    _install_api(app)
    return app


def _configure(app: Flask, settings: Settings, session_hours: int) -> None:
    """Flask's settings: secret, cookies, upload limit, and the template folders."""
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="__Host-ig" if settings.is_production else "ig",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=session_hours * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the server-side session
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        TESTING=settings.env == "test",
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


def _install_web(app: Flask) -> None:
    """The form helpers, CSRF, the per-request session, sign-in and the web layer's hooks."""
    from ig import web
    from ig.auth.access import init_login

    WTFormsHelpers(app)
    csrf.init_app(app)
    app.teardown_appcontext(close_session)
    init_login(app)
    web.init_web(app)


def _install_api(app: Flask) -> None:
    """The JSON API, whose endpoints the features have added to its blueprint."""
    from ig.api import api

    app.register_blueprint(api)
    csrf.exempt(api)  # bearer tokens, not cookies: CSRF cannot ride on them
