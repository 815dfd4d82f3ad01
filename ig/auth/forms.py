"""Forms for signing in, two-factor authentication and one's own account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(FlaskForm):
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


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=32),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=16),
        ],
    )
    submit = SubmitField("Turn on two-factor authentication", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password")],
    )
    password = PasswordField(
        "New password", widget=GovPasswordInput(), validators=[DataRequired("Enter a new password")]
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
