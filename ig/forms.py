"""The base of every HTML form: each field refuses what ig cannot store or compute with.

A field's own validators check the shape of its input (required, length, choices);
BoundedForm puts one more check in front of them on every field, so that no form can
pass on an unstorable character, a number beyond 64 bits or a date outside 1900-2100,
which would otherwise fail in the database or in date arithmetic as a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from ig import bounds


def check_bounds(_form: Form, field: Field) -> None:
    """Stop a field's validation with a message if its input is out of bounds.

    Looks at what was sent (every submitted value of the field) and at what the field
    made of it: an integer outside 64 bits or a date outside 1900-2100 is refused.
    """
    problem = _raw_problem(field.raw_data or []) or _data_problem(field.data)
    if problem:
        raise StopValidation(problem)


def _raw_problem(values: list[Any]) -> str | None:
    for value in values:
        if isinstance(value, str):
            problem = bounds.text_problem(value, bounds.DOCUMENT)
            if problem:
                return problem
    return None


def _data_problem(data: Any) -> str | None:
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return bounds.int_problem(data)
    if isinstance(data, dt.date):
        return bounds.date_problem(data)
    return None


def version_of(value: Any) -> int | None:
    """The record version a form carried back (a hidden field), or None if it is not one.

    Only ASCII digits count: str.isdigit() is also true of "²" and other digits that
    int() refuses, and a version beyond 64 bits cannot match any record's.
    """
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return None if bounds.int_problem(number) else number


class BoundedMeta(DefaultMeta):
    """Binds every field with check_bounds first in its validators."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
        field: Field = super().bind_field(form, unbound_field, options)
        # A new list: the field's own list is shared by every instance of the form.
        field.validators = [check_bounds, *field.validators]
        return field


class BoundedForm(FlaskForm):
    """FlaskForm whose fields all refuse out-of-bounds input (see check_bounds)."""

    class Meta(BoundedMeta, FlaskForm.Meta):
        """Flask-WTF's CSRF settings, with every field bound by BoundedMeta."""
