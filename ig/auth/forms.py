"""Forms for signing in, two-factor authentication, one's own account and user administration."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length
from wtforms.widgets import HiddenInput

from ig.forms import BoundedForm


class SignInForm(BoundedForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=256)],
    )
    next = HiddenField()
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CodeForm(BoundedForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=32),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(BoundedForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=16),
        ],
    )
    submit = SubmitField("Turn on two-factor authentication", widget=GovSubmitInput())


class ChangePasswordForm(BoundedForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password")],
    )
    password = PasswordField(
        "New password", widget=GovPasswordInput(), validators=[DataRequired("Enter a new password")]
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ConfirmForm(BoundedForm):
    """A form with nothing but its CSRF token, for buttons that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class VersionForm(BoundedForm):
    """A button that changes a user, carrying the version the page was loaded with."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class EditUserForm(VersionForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's full name"), Length(max=200)],
    )
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Choose at least one role")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class NewUserForm(BoundedForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=320),
        ],
    )
    name = EditUserForm.name
    roles = EditUserForm.roles
    password = PasswordField(
        "Password",
        description="At least 12 characters. Give it to the person in a safe way.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a password"), Length(max=256)],
    )
    submit = SubmitField("Create user", widget=GovSubmitInput())


class ResetPasswordForm(VersionForm):
    password = PasswordField(
        "New password",
        description="At least 12 characters. Give it to the person in a safe way.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a new password"), Length(max=256)],
    )
    submit = SubmitField("Set the new password", widget=GovSubmitInput())
