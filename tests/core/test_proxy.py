"""Behind a trusted reverse proxy, the client's address is the forwarded one, no deeper."""

from __future__ import annotations

import dataclasses

from flask import request

from ig import create_app
from ig.db import Database


def test_without_trusted_proxies_forwarded_header_is_ignored(settings, engine, db):
    app = create_app(settings, Database(engine, session_factory=lambda: db))
    seen = {}

    @app.get("/_addr")
    def addr():
        seen["addr"] = request.remote_addr
        return ""

    addr.ig_permission = "public"
    app.test_client().get(
        "/_addr",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert seen["addr"] == "10.0.0.1"


def test_one_trusted_proxy_gives_the_client_address_not_a_forged_one(settings, engine, db):
    app = create_app(
        dataclasses.replace(settings, trusted_proxies=1),
        Database(engine, session_factory=lambda: db),
    )
    seen = {}

    @app.get("/_addr")
    def addr():
        seen["addr"] = request.remote_addr
        return ""

    addr.ig_permission = "public"
    # The client forged the first value; the proxy appended the address it saw.
    app.test_client().get(
        "/_addr",
        headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert seen["addr"] == "203.0.113.9"
