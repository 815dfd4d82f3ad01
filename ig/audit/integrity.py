"""Checks of sealed records beside the audit chain, offered by the features that seal them.

A feature that signs its own records (the Caldicott decision log) offers a check that
returns its problems as sentences; ``create_app`` lists the checks in
``app.extensions["ig.integrity_checks"]``, and both ``ig verify-audit`` and the audit
chain check page run every one of them, so neither can report less than the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import VerifyResult, verify_chain

IntegrityCheck = Callable[[Session], list[str]]


@dataclass(frozen=True)
class IntegrityReport:
    """The audit chain's result and, per named check, the problems it found."""

    chain: VerifyResult
    problems: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not any(self.problems.values())


def verify_all(session: Session, checks: Mapping[str, IntegrityCheck]) -> IntegrityReport:
    """Walk the audit chain, then run every feature's check."""
    chain = verify_chain(session)
    return IntegrityReport(chain, {name: check(session) for name, check in checks.items()})
