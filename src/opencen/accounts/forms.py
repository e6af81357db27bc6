"""Forms of the accounts pages (validation of shape only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencen.accounts.models import OrganisationKind
from opencen.core.permissions import PERM_LABELS, Perm, Role


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """Fill a choice field's options at run time (they depend on the user)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(label=_("Permissions"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=90)

    def __init__(self, *args: object, perms: frozenset[Perm], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(
            self, "scopes", [(p.value, f"{PERM_LABELS[p]} ({p.value})") for p in sorted(perms)]
        )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.CharField(
        label=_("Country (customs administration)"), max_length=2, required=False
    )
    region = forms.CharField(label=_("WCO region code (RILO)"), max_length=8, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    hidden_membership = forms.BooleanField(
        label=_("Hide the member list from members"), required=False
    )


class MemberForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    user_email = forms.EmailField(label=_("or one user (e-mail)"), required=False)

    def __init__(
        self, *args: object, organisations: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "organisation", [("", "—"), *organisations])


class UserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"))
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, roles: frozenset[Role], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "role", [(r.value, r.label) for r in sorted(roles)])
