"""Forms of the reference pages: the secretariat's region edits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RegionForm(forms.Form):
    """Rename a region or name the RILO that covers it."""

    name = forms.CharField(label=_("Name"), max_length=100)
    rilo_name = forms.CharField(label=_("RILO"), max_length=100, required=False)


class MoveCountryForm(forms.Form):
    """Move a country (by ISO code) into the region shown on the page."""

    country = forms.CharField(
        label=_("Country code"),
        max_length=3,
        help_text=_(
            "ISO 3166-1 alpha-2, e.g. FR. The country's customs administrations move with it."
        ),
    )


class ImportForm(forms.Form):
    """Upload an official release file (UN/LOCODE part or CITES checklist export)."""

    dataset = forms.ChoiceField(
        label=_("Release"),
        choices=[
            ("unlocode", _("UN/LOCODE release (CSV part or the zip)")),
            ("cites", _("CITES checklist / Species+ CSV export")),
        ],
    )
    file = forms.FileField(label=_("File"))
