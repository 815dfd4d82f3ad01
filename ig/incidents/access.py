"""Who may see an incident and who may change one."""

from __future__ import annotations

from ig.auth.rules import Actor
from ig.errors import PermissionDenied
from ig.incidents.models import Incident


def can_see(actor: Actor, incident: Incident) -> bool:
    """IG readers see every incident; anyone else only the ones they reported."""
    if actor.can("incidents.read"):
        return True
    return actor.can("incidents.read_own") and incident.reporter_id == actor.user_id


def require_manage(actor: Actor) -> None:
    """PermissionDenied unless the actor is on the IG team."""
    if not actor.can("incidents.manage"):
        raise PermissionDenied("Only the IG team can change an incident")
