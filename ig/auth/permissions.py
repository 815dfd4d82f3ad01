"""Every permission the code checks, with what it allows; roles.toml grants them."""

from __future__ import annotations

# Each feature adds the permissions its routes name. A permission in roles.toml that
# is not listed here stops start-up, so a typo cannot grant or withhold by accident.
PERMISSIONS: dict[str, str] = {
    "home.view": "see the home page and one's own tasks",
    "account.manage": "change one's own password, two-factor set-up and sessions",
    "api.me": "read one's own identity through the API",
    "audit.read": "read and filter the audit trail",
    "audit.verify": "check the audit trail's hash chain",
    "users.manage": "create, change and disable user accounts and their roles",
    "keys.view": "see which fields are encrypted and how many values each key protects",
}
