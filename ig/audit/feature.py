"""The audit feature: the trail's pages, the chain check and ``ig verify-audit``."""

from __future__ import annotations

from ig.audit.cli import verify_audit_command
from ig.audit.views import bp
from ig.feature import Feature

FEATURE: Feature = Feature("audit", blueprint=bp, commands=(verify_audit_command,))
