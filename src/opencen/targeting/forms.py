"""Forms of the targeting pages: they parse; the services validate and act."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opencen.core.errors import InvalidInput
from opencen.targeting.choices import Lane, ListKind, Result, SelectedBy
from opencen.targeting.profiles import ProfileData
from opencen.targeting.selectors import DeclarationFilter

DATE = forms.DateInput(attrs={"type": "date"})


def add_errors(form: forms.Form, exc: InvalidInput) -> None:
    """Show a service's field errors on the form (unknown fields on the form itself)."""
    for error in exc.errors:
        name = error.field.split("[")[0].split(".")[0]
        form.add_error(name if name in form.fields else None, error.reason)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, header row) or Parquet, with the columns of the engine schema."),
    )
    history = forms.BooleanField(
        label=_("Examined history (with results), to train models; not scored"), required=False
    )


class ResultForm(forms.Form):
    result = forms.TypedChoiceField(label=_("Result"), choices=Result.choices, coerce=int)
    revenue = forms.DecimalField(
        label=_("Additional revenue"), required=False, min_value=0, decimal_places=2
    )
    result_date = forms.DateField(
        label=_("Result date"), required=False, widget=DATE, help_text=_("Default: today.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    expression = forms.CharField(
        label=_("Rule"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "rule", "spellcheck": "false"}),
        help_text=_(
            'e.g. hs startswith "8517" and origin in ("CN", "VN") and '
            "unit_value < 0.3 * median_unit_value"
        ),
    )
    lane = forms.ChoiceField(label=_("Target lane"), choices=Lane.choices)
    weight = forms.FloatField(
        label=_("Weight"),
        initial=1.0,
        min_value=0.000001,
        help_text=_("Higher weights win when several profiles match."),
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def to_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            name=data["name"],
            expression=data["expression"],
            lane=data["lane"],
            weight=data["weight"],
            description=data["description"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)


class WatchListForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_('Used in rules as list "name": letters, digits, _ . - only.'),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ListKind.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    values = forms.CharField(
        label=_("Values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One per line, or separated by commas."),
    )

    def value_list(self) -> list[str]:
        return [v for v in re.split(r"[\n,;]+", self.cleaned_data.get("values") or "") if v]


class TrainForm(forms.Form):
    window_from = forms.DateField(
        label=_("History from"), required=False, widget=DATE, help_text=_("Default: all.")
    )
    window_until = forms.DateField(label=_("History until"), required=False, widget=DATE)
    activate = forms.BooleanField(label=_("Activate when trained"), required=False)


class SettingsForm(forms.Form):
    red_share = forms.FloatField(
        label=_("Red lane budget"), min_value=0, max_value=1, help_text=_("Share of declarations.")
    )
    yellow_share = forms.FloatField(label=_("Yellow lane budget"), min_value=0, max_value=1)
    blue_share = forms.FloatField(label=_("Blue lane budget"), min_value=0, max_value=1)
    random_share = forms.FloatField(
        label=_("Random control share"),
        min_value=0,
        max_value=1,
        help_text=_("Share of each lane drawn at random, to measure lift and keep learning."),
    )
    aeo_factor = forms.FloatField(
        label=_("AEO priority factor"),
        min_value=0,
        help_text=_("Multiplies the model priority of declarations with an AEO party."),
    )


EXAMINED = [("", _("any")), ("yes", _("examined")), ("no", _("not examined"))]


class DeclarationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Number, party or HS code"), required=False, widget=forms.TextInput()
    )
    lane = forms.ChoiceField(
        label=_("Lane"), choices=[("", _("any")), *Lane.choices], required=False
    )
    selected_by = forms.ChoiceField(
        label=_("Selected by"),
        choices=[("", _("any")), *[c for c in SelectedBy.choices if c[0]]],
        required=False,
    )
    examined = forms.ChoiceField(label=_("Examined"), choices=EXAMINED, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def to_filter(self) -> DeclarationFilter:
        if not self.is_bound or not self.is_valid():
            return DeclarationFilter()
        data: dict[str, Any] = self.cleaned_data
        examined = {"yes": True, "no": False}.get(data["examined"])
        return DeclarationFilter(
            lane=data["lane"],
            selected_by=data["selected_by"],
            examined=examined,
            date_from=data["date_from"],
            date_to=data["date_to"],
            q=data["q"],
        )
