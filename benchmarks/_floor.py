"""The load benchmark's floor: a bare Flask app whose ``/<size>`` is a static page of
exactly ``size`` bytes, served by gunicorn the same way as ig, so that the ratio of a
page's time to the floor's for the same size is what ig's own work costs.

Run: ``gunicorn 'benchmarks._floor:create_floor()'``.
"""

from __future__ import annotations

from functools import cache

from flask import Flask, Response

LIMIT = 10_000_000


@cache
def _body(size: int) -> bytes:
    head = b"<!DOCTYPE html><title>floor</title>"
    if size <= len(head):
        return b"x" * size
    return head + b"x" * (size - len(head))


def create_floor() -> Flask:
    """The floor app; a size over 10 MB is a 404."""
    app = Flask("ig-floor")

    @app.get("/<int:size>")
    def page(size: int) -> Response:
        if size > LIMIT:
            return Response("too large", status=404)
        return Response(_body(size), mimetype="text/html")

    return app
