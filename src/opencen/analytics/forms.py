"""Forms of the analysis pages: the filters every view shares, its options, and a bulletin.

``FilterForm`` is the one parser of analysis query strings (pages, CSV, API, bulletins): it
checks every value against the reference lists and builds an ``AnalyticsFilter``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any, cast

from django import forms
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from opencen.analytics.filters import (
    DEFAULT_TOP,
    MAX_TOP,
    AnalyticsFilter,
    add_months,
    default_period,
    month_span,
)
from opencen.core.errors import FieldError
from opencen.core.models import Distribution
from opencen.reference.models import Country, WcoRegion
from opencen.seizures.areas import AREA_CHOICES
from opencen.seizures.choices import Detection, Transport

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 240
UNIT_CHOICES = [("KGM", _("kilograms")), ("LTR", _("litres")), ("H87", _("pieces"))]
GRAIN_CHOICES = [("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))]
SPLIT_CHOICES = [
    ("", _("nothing")),
    ("area", _("commodity area")),
    ("region", _("WCO region")),
    ("country", _("country")),
]
METRIC_CHOICES = [("cases", _("cases")), ("quantity", _("quantity")), ("value", _("value"))]
MAP_METRIC_CHOICES = METRIC_CHOICES[:2]


CHOICES_SECONDS = 600


ALL = _("all")


def _blank(choices: Any, label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class FastSelect(forms.Select):
    """A ``<select>`` written directly (the template engine renders a 250-country list in
    tens of milliseconds, on every analysis page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == selected else ""}>'
            f"{escape(label)}</option>"
            for v, label in self.choices
        )
        attributes = "".join(
            f' {k}="{escape(v)}"' for k, v in final.items() if v is not None and v is not False
        )
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308


def _reference_choices(kind: str) -> list[tuple[str, str]]:
    """Regions or countries for the filter lists (cached: reference data rarely changes)."""
    key = f"analytics:choices:{kind}"
    choices = cache.get(key)
    if choices is None:
        model = WcoRegion if kind == "regions" else Country
        choices = list(model.objects.order_by("name").values_list("code", "name"))
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


class MonthField(forms.CharField):
    """A calendar month typed as ``YYYY-MM`` (the browser's month picker)."""

    widget = forms.TextInput(
        attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "YYYY-MM"}
    )

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1990:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


class FilterForm(forms.Form):
    """Period, case filters and the options of one view (``options``: which to show)."""

    region = forms.ChoiceField(label=_("WCO region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    area = forms.ChoiceField(
        label=_("Commodity area"), required=False, choices=_blank(AREA_CHOICES)
    )
    chapter = forms.RegexField(
        label=_("HS chapter"),
        required=False,
        regex=r"^\d{2}$",
        max_length=2,
        error_messages={"invalid": _("Two digits, e.g. 12.")},
        widget=forms.TextInput(attrs={"size": 3, "inputmode": "numeric"}),
    )
    transport = forms.ChoiceField(
        label=_("Means of transport"), required=False, choices=_blank(Transport.choices)
    )
    detection = forms.ChoiceField(
        label=_("Detection method"), required=False, choices=_blank(Detection.choices)
    )
    grain = forms.ChoiceField(label=_("By"), required=False, choices=GRAIN_CHOICES)
    split = forms.ChoiceField(label=_("Split by"), required=False, choices=SPLIT_CHOICES)
    metric = forms.ChoiceField(label=_("Show"), required=False, choices=METRIC_CHOICES)
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=_blank(UNIT_CHOICES, _("natural unit"))
    )
    currency = forms.RegexField(
        label=_("Currency"),
        required=False,
        regex=r"^[A-Z]{3}$",
        max_length=3,
        error_messages={"invalid": _("ISO 4217, e.g. EUR.")},
        widget=forms.TextInput(attrs={"size": 4}),
    )
    top = forms.IntegerField(label=_("How many"), required=False, min_value=1, max_value=MAX_TOP)

    OPTIONS = ("grain", "split", "metric", "unit", "currency", "top")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        options: tuple[str, ...] = (),
        map_metric: bool = False,
    ) -> None:
        data = {
            k: (v.upper() if k in ("country", "region", "currency") else v)
            for k, v in (data or {}).items()
        }
        super().__init__(data)
        start, end = default_period()
        self.fields["from"] = MonthField(label=_("From"), required=False, initial=f"{start:%Y-%m}")
        self.fields["to"] = MonthField(label=_("To"), required=False, initial=f"{end:%Y-%m}")
        self.order_fields(["from", "to"])
        self._choice("region").choices = _blank(_reference_choices("regions"))
        self._choice("country").choices = _blank(_reference_choices("countries"))
        if map_metric:
            self._choice("metric").choices = MAP_METRIC_CHOICES
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                field.widget = FastSelect(choices=list(field.choices))  # type: ignore[arg-type]
        for name in self.OPTIONS:
            if name not in options:
                del self.fields[name]
        self.options = options
        for name in ("from", "to"):
            self.data.setdefault(name, self.fields[name].initial)  # type: ignore[attr-defined]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                self.add_error("to", _("The period ends before it starts."))
            elif month_span(start, end) > MAX_MONTHS:
                self.add_error("to", _("At most %(n)d months at a time.") % {"n": MAX_MONTHS})
        return data

    def to_filter(self) -> AnalyticsFilter:
        """The filter of the valid values (defaults where a value was refused)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = default_period()
        start = data.get("from") or start
        end = data.get("to") or end
        if end < start or month_span(start, end) > MAX_MONTHS:
            end = add_months(start, 11)
        values = {
            f.name: data.get(f.name)
            for f in fields(AnalyticsFilter)
            if f.name not in ("start", "end") and data.get(f.name) not in (None, "")
        }
        values.setdefault("top", DEFAULT_TOP)
        return AnalyticsFilter(start=start, end=end, **cast(dict[str, Any], values))

    def field_errors(self) -> list[FieldError]:
        return [
            FieldError(name, str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]


class ReportForm(forms.Form):
    """A bulletin: title, introduction, audience, and per view whether to include it and the
    analyst's commentary (the period and filters come from a ``FilterForm`` beside it)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    distribution = forms.ChoiceField(
        label=_("Share with"), choices=Distribution.choices, initial=Distribution.ORGANISATION
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        views: Iterable[Any] = (),
        groups: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["groups"]
        assert isinstance(group_field, forms.MultipleChoiceField)
        group_field.choices = list(groups)
        self.view_keys = []
        for view in views:
            self.fields[f"include_{view.key}"] = forms.BooleanField(
                label=view.title, required=False, initial=view.key in ("trends", "routes")
            )
            self.fields[f"commentary_{view.key}"] = forms.CharField(
                label=_("Commentary on %(view)s") % {"view": view.title},
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.view_keys.append(view.key)

    def sections(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"view": key, "commentary": data.get(f"commentary_{key}", "")}
            for key in self.view_keys
            if data.get(f"include_{key}")
        ]

    def section_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"include_{k}"], self[f"commentary_{k}"]) for k in self.view_keys]

    def add_service_errors(self, errors: Iterable[FieldError], filters: FilterForm) -> None:
        """Put each refusal next to the field it names."""
        sections = self.sections() if hasattr(self, "cleaned_data") else []
        for error in errors:
            name = error.field
            if name.startswith("query."):
                field = name.removeprefix("query.")
                filters.add_error(field if field in filters.fields else None, error.reason)
                continue
            match = re.match(r"^sections\[(\d+)\]\.commentary$", name)
            if match and int(match.group(1)) < len(sections):
                name = f"commentary_{sections[int(match.group(1))]['view']}"
            self.add_error(name if name in self.fields else None, error.reason)
