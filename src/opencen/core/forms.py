"""Form helpers: show a service's refusal on the page, next to the field it names."""

from __future__ import annotations

from django import forms

from opencen.core.errors import InvalidInput


def add_service_errors(form: forms.Form, exc: InvalidInput) -> None:
    """Attach each ``FieldError`` to its form field, or to the form when the field is not shown."""
    for error in exc.errors:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.reason)
