"""policies/notices.toml: the services notices cover and their review interval."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, read_policy_file


@dataclass(frozen=True)
class NoticesPolicy:
    """How often privacy notices are reviewed, and the services they cover."""

    version: str
    review_interval_months: int
    due_soon_days: int
    flagged_review_days: int
    services: Mapping[str, str]

    def service_label(self, key: str) -> str:
        """The service's label, or its key when the policy no longer lists it."""
        return self.services.get(key, key)


def load_notices(directory: Path) -> NoticesPolicy:
    """Read and validate policies/notices.toml."""
    root = read_policy_file(directory, "notices.toml")
    root.reject_unknown(["version", "review", "services"])
    review = root.section("review")
    review.reject_unknown(["interval_months", "due_soon_days", "flagged_review_days"])
    services = root.section("services")
    labels = {key: services.str(key) for key in services.data}
    if not labels:
        raise PolicyError("notices.toml", "services", "must list at least one service")
    return NoticesPolicy(
        version=root.str("version"),
        review_interval_months=review.int("interval_months", 12, minimum=1, maximum=60),
        due_soon_days=review.int("due_soon_days", 30, minimum=0, maximum=365),
        flagged_review_days=review.int("flagged_review_days", 30, minimum=0, maximum=365),
        services=labels,
    )
