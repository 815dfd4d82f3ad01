"""Forms for refusing a request, its handler, and publishing to the disclosure log. They
check the shape of input; the services check the law's rules."""

from __future__ import annotations

from decimal import Decimal

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, DecimalField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ig import bounds
from ig.forms import BoundedForm
from ig.rights.disclosures import TITLE
from ig.rights.forms import _area, _text, _Versioned
from ig.rights.refusal_models import RefusalScope
from ig.rights.refusal_rules import GroundInput, RefusalInput

SCOPE_LABELS = {
    RefusalScope.FULL: "Refused in full: nothing is released",
    RefusalScope.PARTIAL: "Refused in part: some information is released, the rest withheld",
    RefusalScope.FEE: "A reasonable fee is charged instead of refusing (UK GDPR Art. 12(5)(a))",
}


def _ground(number: int) -> SelectField:
    label = "Ground" if number == 1 else f"Ground {number} (optional)"
    return SelectField(label, choices=[], validators=[Optional()], validate_choice=False)


def _reason(number: int) -> TextAreaField:
    return TextAreaField(
        f"Why ground {number} applies",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )


def _public_interest(number: int) -> TextAreaField:
    return TextAreaField(
        f"Public interest test for ground {number}",
        widget=GovTextArea(),
        description="For a qualified exemption or exception only: the public interest in "
        "disclosure, in withholding, and why withholding outweighs it",
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )


class RefusalForm(_Versioned):
    scope = RadioField(
        "Is the request refused in full or in part?",
        widget=GovRadioInput(),
        choices={s.value: label for s, label in SCOPE_LABELS.items()},
        validators=[InputRequired("Choose whether the request is refused in full or in part")],
    )
    ground_1 = _ground(1)
    reason_1 = _reason(1)
    public_interest_1 = _public_interest(1)
    ground_2 = _ground(2)
    reason_2 = _reason(2)
    public_interest_2 = _public_interest(2)
    ground_3 = _ground(3)
    reason_3 = _reason(3)
    public_interest_3 = _public_interest(3)
    is_ncnd = BooleanField(
        "Neither confirm nor deny that the information is held",
        description="Only where the law allows it for every ground given",
    )
    fee = DecimalField(
        "Fee in pounds (only when charging a fee instead of refusing)",
        places=2,
        description="For example, 25.00",
        validators=[Optional(), NumberRange(min=Decimal("0.01"), max=Decimal("10000"))],
    )
    submit = SubmitField("Record the refusal", widget=GovSubmitInput())

    def refusal(self) -> RefusalInput:
        grounds = []
        for number in (1, 2, 3):
            key = getattr(self, f"ground_{number}").data or ""
            reason = getattr(self, f"reason_{number}").data or ""
            interest = getattr(self, f"public_interest_{number}").data or ""
            if number == 1 or key or reason.strip() or interest.strip():  # reasons need a ground
                grounds.append(GroundInput(key, reason, interest))
        fee = self.fee.data
        return RefusalInput(
            scope=self.scope.data or "",
            grounds=tuple(grounds),
            is_ncnd=bool(self.is_ncnd.data),
            fee_pence=None if fee is None else int(fee * 100),
        )


class HandlerForm(_Versioned):
    handler = SelectField("Handled by", choices=[], validators=[Optional()], validate_choice=False)
    submit = SubmitField("Change the handler")

    def handler_id(self) -> int | None:
        """The chosen user's id; None for no one, -1 for anything not an id (which the
        service refuses with its message)."""
        data = self.handler.data or ""
        if not data:
            return None
        return int(data) if data.isdigit() and len(data) < 19 else -1


class PublishForm(BoundedForm):
    title = _text("Title", TITLE, "Enter a title for the disclosure log",
                  "For example, Cost of the AI transcription trial")  # fmt: skip
    request_summary = _area(
        "What was asked for",
        bounds.LONG_TEXT,
        "Enter what was asked for",
        "Written for the public: no name, address or other detail of who asked",
    )
    response_summary = _area(
        "What was released",
        bounds.LONG_TEXT,
        "Enter what was released",
        "The information released, and any exemption applied to what was withheld",
    )
    submit = SubmitField("Publish to the disclosure log", widget=GovSubmitInput())


class UnpublishForm(BoundedForm):
    submit = SubmitField("Take it off the disclosure log", widget=GovSubmitInput())
