"""The audit viewer's filter form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencen.audit.tags import EventTag


class EventFilterForm(forms.Form):
    tag = forms.ChoiceField(label=_("Event"), required=False)
    actor = forms.CharField(label=_("Who (e-mail contains)"), required=False, max_length=254)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        prefixes = sorted({t.value.rsplit(".", 1)[0] for t in EventTag})
        self.fields["tag"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(p, p + ".*") for p in prefixes],
            *[(t.value, t.value) for t in EventTag],
        ]
