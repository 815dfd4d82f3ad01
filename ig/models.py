"""Imports every feature's models so that Base.metadata knows every table."""

from __future__ import annotations

from ig.audit.models import AuditEntry
from ig.auth.models import ApiToken, LoginAttempt, RecoveryCode, User, UserRole, UserSession
from ig.db import Base

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "LoginAttempt",
    "RecoveryCode",
    "User",
    "UserRole",
    "UserSession",
]
