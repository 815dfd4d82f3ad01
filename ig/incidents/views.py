"""Incident pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")
