"""Users, roles and permissions, sign-in, two-factor authentication and API tokens."""
