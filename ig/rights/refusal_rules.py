"""What a refusal must hold: pure checks against the grounds in policies/rights.toml.

A request is refused, in whole or in part, on grounds its regime allows: manifestly
unfounded or excessive for data protection rights (or a reasonable fee instead), FOI
ss.12, 14 and 21-44, EIR regulation 12. Each ground says why it applies; a qualified
exemption or exception also records the public interest test, and "neither confirm nor
deny" is open only where every ground allows it. Each check raises ValidationFailed
naming the form's field, so bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ig import bounds
from ig.errors import ValidationFailed
from ig.rights.models import Outcome
from ig.rights.policy import Ground
from ig.rights.refusal_models import RefusalScope

MOST_GROUNDS = 3  # the form offers this many; a notice rarely needs more
MOST_FEE_PENCE = 1_000_000  # £10,000: a sanity bound, not the law's


@dataclass(frozen=True)
class GroundInput:
    """One ground as the officer gave it: its key in policy, why it applies and, for a
    qualified one, the public interest reasoning."""

    key: str
    reason: str
    public_interest: str = ""


@dataclass(frozen=True)
class RefusalInput:
    scope: str
    grounds: tuple[GroundInput, ...]
    is_ncnd: bool = False
    fee_pence: int | None = None


def _check_text(field: str, value: str, required: str) -> None:
    if not value.strip():
        raise ValidationFailed(field, required)
    problem = bounds.text_problem(value.strip(), bounds.SHORT_TEXT)
    if problem:
        raise ValidationFailed(field, problem)


def _check_ground(number: int, given: GroundInput, allowed: Mapping[str, Ground]) -> Ground:
    ground = allowed.get(given.key)
    if ground is None:
        raise ValidationFailed(
            f"ground_{number}", "Choose a ground that the policy allows for this kind of request"
        )
    _check_text(f"reason_{number}", given.reason, f"Enter why {ground.label} applies")
    field = f"public_interest_{number}"
    if ground.is_qualified:
        _check_text(
            field,
            given.public_interest,
            f"Enter the public interest reasoning: {ground.label} is qualified, so say why "
            "the public interest in withholding the information outweighs the public "
            "interest in disclosing it",
        )
    elif given.public_interest.strip():
        raise ValidationFailed(
            field, f"{ground.label} has no public interest test: leave the reasoning empty"
        )
    return ground


def check_grounds(grounds: tuple[GroundInput, ...], allowed: Mapping[str, Ground]) -> list[Ground]:
    """Each ground allowed for the request's regime, given once, with its reasons."""
    if not grounds:
        raise ValidationFailed("ground_1", "Choose the ground for the refusal")
    if len(grounds) > MOST_GROUNDS:
        raise ValidationFailed("ground_1", f"Give at most {MOST_GROUNDS} grounds")
    found: list[Ground] = []
    for number, given in enumerate(grounds, start=1):
        ground = _check_ground(number, given, allowed)
        if ground in found:
            raise ValidationFailed(f"ground_{number}", f"{ground.label} is already given")
        found.append(ground)
    return found


def check_refusal(data: RefusalInput, allowed: Mapping[str, Ground]) -> list[Ground]:
    """The whole refusal: its scope, grounds, neither-confirm-nor-deny and any fee."""
    if data.scope not in {s.value for s in RefusalScope}:
        raise ValidationFailed("scope", "Choose whether the request is refused in full or in part")
    scope = RefusalScope(data.scope)
    grounds = check_grounds(data.grounds, allowed)
    if data.is_ncnd:
        if scope is not RefusalScope.FULL:
            raise ValidationFailed(
                "is_ncnd", "Neither confirming nor denying covers the whole request: "
                "choose a full refusal"
            )  # fmt: skip
        barred = [g.label for g in grounds if not g.ncnd]
        if barred:
            raise ValidationFailed(
                "is_ncnd", f"The law does not allow neither confirming nor denying under "
                f"{barred[0]}"
            )  # fmt: skip
    _check_fee(scope, data.fee_pence, grounds)
    return grounds


def _check_fee(scope: RefusalScope, fee_pence: int | None, grounds: list[Ground]) -> None:
    if scope is not RefusalScope.FEE:
        if fee_pence is not None:
            raise ValidationFailed("fee", "A fee is charged only instead of refusing")
        return
    barred = [g.label for g in grounds if not g.fee_alternative]
    if barred:
        raise ValidationFailed(
            "scope", f"A reasonable fee cannot be charged instead of refusing under {barred[0]}"
        )
    if fee_pence is None:
        raise ValidationFailed("fee", "Enter the fee in pounds, for example 25.00")
    if not 1 <= fee_pence <= MOST_FEE_PENCE:
        raise ValidationFailed("fee", "Enter a fee between £0.01 and £10,000")


def check_outcome(outcome: Outcome, scope: RefusalScope | None) -> None:
    """A response's outcome agrees with the refusal recorded (if any): a refused request
    has its grounds recorded first; one refused in part is answered in part."""
    if outcome is Outcome.WITHDRAWN or scope is RefusalScope.FEE:
        return  # a fee asked and not paid, or paid and answered: any outcome follows
    if outcome is Outcome.REFUSED and scope is None:
        raise ValidationFailed(
            "outcome", "Record the refusal and its grounds first (Refuse the request)"
        )
    expected = {RefusalScope.FULL: Outcome.REFUSED, RefusalScope.PARTIAL: Outcome.PARTIAL}
    if scope is not None and outcome is not expected[scope]:
        how = "in full" if scope is RefusalScope.FULL else "in part"
        choose = expected[scope].value.capitalize()
        raise ValidationFailed(
            "outcome", f"The request is refused {how}: choose {choose} or Withdrawn"
        )
