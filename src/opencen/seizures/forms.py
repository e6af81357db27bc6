"""Forms of the case pages: the case form, the list filters, the withdrawal reason, and the
helpers the entry form's rows share (see ``forms_entry`` for the rows and ``CaseEntry``).

The entry form only parses what the officer typed (types, choices, required fields of a line
that is not blank).  Everything else (codes, rules, the personal-data gate) is the services' job;
their ``FieldError``s come back next to the field they name, and a personal-data finding's span is
highlighted in the text (``EntryForm.add_service_error``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from opencen.core.errors import FieldError
from opencen.core.models import Distribution
from opencen.seizures.areas import AREA_CHOICES
from opencen.seizures.choices import (
    CaseKind,
    Concealment,
    Detection,
    Direction,
    LocationType,
    Procedure,
    Status,
    Transport,
)
from opencen.seizures.selectors import CaseFilter

Choices = list[tuple[str, Any]]
DETAIL = "detail_"


def blank_choices(choices: Iterable[tuple[str, Any]], label: Any = "—") -> Choices:
    return [("", label), *choices]


def code_input(source: str, **attrs: str) -> forms.TextInput:
    """A text input that suggests codes from the reference API (see static/seizures/)."""
    return forms.TextInput(
        attrs={"data-ac": source, "autocomplete": "off", "spellcheck": "false", **attrs}
    )


def show_if(field: forms.Field, control: str, values: Iterable[str]) -> forms.Field:
    """Show ``field`` only while ``control`` holds one of ``values`` (or it holds a value)."""
    field.show_if_field = control  # type: ignore[attr-defined]
    field.show_if_values = " ".join(values)  # type: ignore[attr-defined]
    return field


def required_mark(field: forms.Field) -> forms.Field:
    """Mark a field required on the page while the services decide when it really is."""
    field.mark_required = True  # type: ignore[attr-defined]
    return field


def plain_number(value: Decimal | None) -> str:
    """``Decimal("412.500")`` -> ``"412.5"``; never scientific notation."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Cut ``text`` into (segment, marked) pairs, the spans marked (overlaps merged)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            segments.append((text[cursor:start], False))
        segments.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], False))
    return segments


class EntryBoundField(BoundField):
    """A bound field that also knows the personal-data spans found in its value."""

    @property
    def highlight(self) -> list[tuple[str, bool]]:
        return getattr(self.form, "highlights", {}).get(self.name, [])


class EntryForm(forms.Form):
    """Base of the entry forms: highlighted spans per field, and service errors."""

    bound_field_class = EntryBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.highlights: dict[str, list[tuple[str, bool]]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def text_of(self, name: str) -> str:
        """The value of ``name`` as the services saw it (stripped, as both layers strip)."""
        value = self.data.get(self.add_prefix(name), "") if self.is_bound else ""
        return str(value or "").strip()

    def add_service_error(self, name: str | None, error: FieldError, label: str = "") -> None:
        """Show ``error`` next to field ``name`` (or on the form), with its span highlighted."""
        if name is None or name not in self.fields:
            prefix = f"{label}: " if label else ""
            self.add_error(None, prefix + error.reason)
            return
        text = self.text_of(name)
        if error.start is not None and error.end is not None:
            start, end = error.start, error.end
            if text[start:end] != error.text and error.text:
                start = text.find(error.text)
                end = start + len(error.text)
            if 0 <= start < end <= len(text):
                spans = self._spans.setdefault(name, [])
                spans.append((start, end))
                self.highlights[name] = highlight(text, spans)
        self.add_error(name, error.reason)


# --- the case --------------------------------------------------------------------------------

SEA = ("sea_container", "sea_bulk")
AIR = ("air_cargo", "air_passenger", "express_courier")
CONTAINERISED = ("sea_container", "sea_bulk", "rail", "road", "unknown")


class CaseForm(EntryForm):
    """The case itself: when and where, how found, how carried, summary, distribution."""

    SECTIONS: ClassVar[list[tuple[Any, tuple[str, ...]]]] = [
        (
            _("When and where"),
            (
                "date",
                "kind",
                "country",
                "place",
                "procedure",
                "location_type",
                "direction",
                "external_ref",
            ),
        ),
        (_("How it was found"), ("detection", "risk_profile")),
        (
            _("How it was carried"),
            ("transport", "concealment", "vessel_imo", "flight_number", "container_number"),
        ),
    ]

    date = forms.DateField(
        label=_("Date of seizure"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.SEIZURE)
    country = forms.CharField(
        label=_("Country"),
        max_length=10,
        widget=code_input("countries", size="4"),
        help_text=_("ISO code, e.g. FR"),
    )
    place = forms.CharField(
        label=_("Place (UN/LOCODE)"),
        max_length=10,
        required=False,
        widget=code_input("places", **{"data-ac-country": "country"}),
        help_text=_("Type a name or a code, e.g. Le Havre or FRLEH"),
    )
    procedure = forms.ChoiceField(
        label=_("Customs procedure"), choices=blank_choices(Procedure.choices)
    )
    location_type = forms.ChoiceField(
        label=_("Location type"), choices=blank_choices(LocationType.choices)
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=blank_choices(Direction.choices))
    external_ref = forms.CharField(
        label=_("Your reference"),
        max_length=64,
        required=False,
        help_text=_("Optional: your own file number"),
    )
    detection = forms.ChoiceField(
        label=_("Detection method"), choices=blank_choices(Detection.choices)
    )
    risk_profile = show_if(
        forms.CharField(label=_("Risk profile that fired"), max_length=120, required=False),
        "detection",
        ["risk_profile"],
    )
    transport = forms.ChoiceField(
        label=_("Means of transport"), choices=blank_choices(Transport.choices)
    )
    concealment = forms.ChoiceField(
        label=_("Concealment method"), choices=blank_choices(Concealment.choices)
    )
    vessel_imo = show_if(
        forms.CharField(label=_("Vessel IMO number"), max_length=10, required=False),
        "transport",
        SEA,
    )
    flight_number = show_if(
        forms.CharField(label=_("Flight number"), max_length=10, required=False), "transport", AIR
    )
    container_number = show_if(
        forms.CharField(
            label=_("Container number"),
            max_length=14,
            required=False,
            help_text=_("ISO 6346, e.g. CSQU3054383"),
        ),
        "transport",
        CONTAINERISED,
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What happened, without personal data: no names, document numbers, phones, "
            "e-mails or addresses. Nationalities, companies, brands and vessels are fine."
        ),
    )
    distribution = forms.ChoiceField(
        label=_("Shared with"), choices=Distribution.choices, initial=Distribution.ORGANISATION
    )
    groups = show_if(
        forms.MultipleChoiceField(
            label=_("Closed user groups"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Only groups you belong to."),
        ),
        "distribution",
        ["groups"],
    )

    def __init__(
        self, *args: Any, group_choices: Sequence[tuple[str, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = list(group_choices)  # type: ignore[attr-defined]

    def sections(self) -> list[tuple[Any, list[BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def to_input(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["groups"] = [uuid.UUID(g) for g in data.get("groups") or []]
        return data


# --- list filters, withdrawal ----------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """The case list's filters; every one optional, invalid ones ignored (and shown)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("words, reference…")}),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    country = forms.CharField(
        label=_("Country"), required=False, max_length=2, widget=code_input("countries", size="4")
    )
    region = forms.ChoiceField(label=_("WCO region"), required=False)
    commodity_area = forms.ChoiceField(
        label=_("Commodity area"), required=False, choices=blank_choices(AREA_CHOICES, _("All"))
    )
    hs_chapter = forms.CharField(
        label=_("HS chapter"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "3", "placeholder": "30"}),
    )
    transport = forms.ChoiceField(
        label=_("Transport"), required=False, choices=blank_choices(Transport.choices, _("All"))
    )
    concealment = forms.ChoiceField(
        label=_("Concealment"), required=False, choices=blank_choices(Concealment.choices, _("All"))
    )
    detection = forms.ChoiceField(
        label=_("Detection"), required=False, choices=blank_choices(Detection.choices, _("All"))
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=blank_choices(Status.choices, _("All"))
    )

    def __init__(self, *args: Any, regions: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = blank_choices(regions, _("All"))  # type: ignore[attr-defined]

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def clean_hs_chapter(self) -> str:
        value = str(self.cleaned_data["hs_chapter"]).strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("Two digits, e.g. 30."))
        return value.zfill(2) if value else ""

    def to_filter(self) -> CaseFilter:
        """The filter of the valid fields (an invalid one filters nothing)."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilter(**{name: data[name] for name in self.fields if data.get(name)})


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case withdrawn?"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. recorded twice; see FR-2026-000012")}),
    )
