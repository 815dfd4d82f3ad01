"""The auth feature: signing in, two-factor, accounts, user administration, API tokens."""

from __future__ import annotations

from ig.auth import admin_views  # noqa: F401 - routes
from ig.auth.cli import create_token_command, create_user_command, revoke_token_command
from ig.auth.service import account_tasks
from ig.auth.views import bp
from ig.feature import Feature

FEATURE: Feature = Feature(
    "auth",
    blueprint=bp,
    commands=(create_user_command, create_token_command, revoke_token_command),
    task_sources=(account_tasks,),
)
