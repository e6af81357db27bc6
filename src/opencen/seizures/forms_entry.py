"""The case entry form: goods lines with their commodity area's fields, route legs, offender
groups, and ``CaseEntry`` which binds them to the case form.

``CaseEntry.to_case_in`` builds the one input shape every entry path uses (``inputs.CaseIn``);
``CaseEntry.add_errors`` puts each ``FieldError`` the services return next to the field it names,
down to ``goods[1].details.species``, on the row it came from even when blank rows were skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import pydantic
from django import forms
from django.forms import BoundField, formset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencen.core.actors import Actor
from opencen.core.errors import FieldError, InvalidInput
from opencen.seizures.areas import AREA_CHOICES, AREAS, DetailField
from opencen.seizures.choices import AgeBand, Gender, RouteRole
from opencen.seizures.forms import (
    DETAIL,
    CaseForm,
    Choices,
    EntryForm,
    blank_choices,
    code_input,
    plain_number,
    required_mark,
    show_if,
)
from opencen.seizures.inputs import MAX_GOODS, MAX_LEGS, MAX_OFFENDER_GROUPS, CaseIn
from opencen.seizures.validation import pydantic_errors

LINE_PATH = re.compile(r"^(goods|route|offenders)\[(\d+)\](?:\.(.+))?$")

# --- goods lines -----------------------------------------------------------------------------


def detail_form_field(spec: DetailField) -> forms.Field:
    """The form field of one area-specific detail, from its ``areas.DetailField``."""
    field: forms.Field
    if spec.kind == "choice":
        field = forms.ChoiceField(
            label=spec.label, required=False, choices=blank_choices(spec.choices)
        )
    elif spec.kind == "cites_species":
        field = forms.CharField(
            label=spec.label,
            required=False,
            max_length=spec.max_length,
            widget=code_input("cites", **{"data-ac-fill": f'{{"appendix": "{DETAIL}appendix"}}'}),
        )
    elif spec.kind == "basel_code":
        field = forms.CharField(
            label=spec.label,
            required=False,
            max_length=12,
            widget=forms.TextInput(attrs={"placeholder": "Y46, A1180"}),
        )
    elif spec.kind == "decimal":
        field = forms.CharField(
            label=spec.label,
            required=False,
            max_length=24,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    else:
        field = forms.CharField(label=spec.label, required=False, max_length=spec.max_length)
    if spec.required or spec.required_when:
        required_mark(field)
    for control, values in spec.required_when.items():
        if not spec.required:
            show_if(field, DETAIL + control, sorted(values))
    return field


class GoodsLineForm(EntryForm):
    """One goods line; the chosen commodity area's own fields are added as ``detail_*``."""

    commodity_area = required_mark(
        forms.ChoiceField(
            label=_("Commodity area"), required=False, choices=blank_choices(AREA_CHOICES)
        )
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=12,
        required=False,
        widget=code_input("hs"),
        help_text=_("Type a code or words, e.g. 1211 or coca"),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    quantity = required_mark(
        forms.DecimalField(
            label=_("Quantity"),
            required=False,
            min_value=0,
            max_digits=18,
            decimal_places=3,
            widget=forms.NumberInput(attrs={"step": "any"}),
        )
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    value = forms.DecimalField(
        label=_("Estimated value"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        widget=code_input("currencies", size="4"),
    )

    CORE: ClassVar[tuple[str, ...]] = (
        "commodity_area",
        "hs_code",
        "description",
        "quantity",
        "unit",
        "value",
        "currency",
    )

    def __init__(
        self, *args: Any, unit_choices: Sequence[tuple[str, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["commodity_area"]
        area_field.widget.attrs.update(
            {
                "hx-get": reverse("seizures:area_fields"),
                "hx-trigger": "change",
                "hx-target": "next .goods-details",
                "hx-swap": "innerHTML",
                "hx-include": "closest [data-row]",
            }
        )
        if self.is_bound:
            area = str(self.data.get(self.add_prefix("commodity_area")) or "")
            unit = str(self.data.get(self.add_prefix("unit")) or "")
        else:
            area = str(self.initial.get("commodity_area") or "")
            unit = str(self.initial.get("unit") or "")
        choices = list(unit_choices)
        if unit and unit not in {code for code, _label in choices}:
            choices.append((unit, unit))
        self.fields["unit"].choices = blank_choices(  # type: ignore[attr-defined]
            choices, _("the area's usual unit")
        )
        self.area = AREAS.get(area)
        for spec in self.area.fields if self.area else ():
            self.fields[DETAIL + spec.name] = detail_form_field(spec)

    def core_fields(self) -> list[BoundField]:
        return [self[name] for name in self.CORE]

    def detail_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name.startswith(DETAIL)]

    def is_blank(self) -> bool:
        """True when the officer typed nothing on this line (it is then left out)."""
        return not any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.is_blank():
            for name in ("commodity_area", "quantity"):
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    def to_input(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.CORE}
        data = {
            k: ("" if v is None and k not in ("quantity", "value") else v) for k, v in data.items()
        }
        data["details"] = {
            name.removeprefix(DETAIL): value
            for name, value in self.cleaned_data.items()
            if name.startswith(DETAIL) and value not in (None, "")
        }
        return data

    @classmethod
    def for_fragment(cls, params: Mapping[str, str]) -> GoodsLineForm | None:
        """The line a commodity-area change (HTMX) is about, with the new area's fields empty.

        The details sent belong to the previous area: two areas may share a field name with a
        different meaning (drugs' substance, ozone-depleting substance), so none is carried over.
        """
        for key, area in params.items():
            match = re.fullmatch(r"(goods-\d+)-commodity_area", key)
            if match:
                return cls(prefix=match.group(1), initial={"commodity_area": area})
        return None


class RouteLegForm(EntryForm):
    """One country (and optionally a place) on the route."""

    role = forms.ChoiceField(label=_("Role"), choices=RouteRole.choices, initial=RouteRole.TRANSIT)
    country = forms.CharField(
        label=_("Country"), max_length=10, required=False, widget=code_input("countries", size="4")
    )
    place = forms.CharField(
        label=_("Place (UN/LOCODE)"),
        max_length=10,
        required=False,
        widget=code_input("places", **{"data-ac-country": "country"}),
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("country") or self.cleaned_data.get("place"))

    def to_input(self) -> dict[str, Any]:
        return {
            "role": self.cleaned_data.get("role") or RouteRole.TRANSIT,
            "country": str(self.cleaned_data.get("country") or "").upper(),
            "place": self.cleaned_data.get("place") or "",
        }


class OffenderForm(EntryForm):
    """A number of people of one nationality, gender and age band (never a name)."""

    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=10,
        required=False,
        widget=code_input("countries", size="4"),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, required=False, initial=Gender.UNKNOWN
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=AgeBand.choices, required=False, initial=AgeBand.UNKNOWN
    )
    count = forms.IntegerField(
        label=_("Number of people"),
        required=False,
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"placeholder": "1"}),
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            not data.get("nationality")
            and data.get("count") is None
            and data.get("gender") in ("", None, Gender.UNKNOWN)
            and data.get("age_band") in ("", None, AgeBand.UNKNOWN)
        )

    def to_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "nationality": str(data.get("nationality") or "").upper(),
            "gender": data.get("gender") or Gender.UNKNOWN,
            "age_band": data.get("age_band") or AgeBand.UNKNOWN,
            "count": data.get("count") or 1,
        }


GoodsFormSet = formset_factory(GoodsLineForm, extra=0, max_num=MAX_GOODS, validate_max=True)
RouteFormSet = formset_factory(RouteLegForm, extra=0, max_num=MAX_LEGS, validate_max=True)
OffenderFormSet = formset_factory(
    OffenderForm, extra=0, max_num=MAX_OFFENDER_GROUPS, validate_max=True
)


def unit_choices() -> Choices:
    """The units customs declarations use most, for the goods line's unit list."""
    from opencen.reference.models import Unit

    return [(u.code, f"{u.code} · {u.name}") for u in Unit.objects.filter(is_common=True)]


def group_choices(actor: Actor) -> Choices:
    """The closed user groups the actor belongs to (the only ones they may share with)."""
    from opencen.accounts.selectors import groups_visible_to

    groups = groups_visible_to(actor).filter(id__in=actor.group_ids).order_by("name")
    return [(str(g.pk), g.name) for g in groups]


class CaseEntry:
    """The whole entry form: the case form and its goods, route and offender formsets.

    Rows the officer left blank are skipped; ``_rows`` remembers which form each input item came
    from, so that an error on ``goods[1]`` lands on the right row even after a blank one.
    """

    SECTIONS = ("goods", "route", "offenders")

    def __init__(
        self,
        actor: Actor,
        data: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        initial = initial or {}
        self.case = CaseForm(data, initial=initial.get("case"), group_choices=group_choices(actor))
        units = unit_choices()
        rows = {name: None if data is not None else initial.get(name, []) for name in self.SECTIONS}
        self.goods = GoodsFormSet(
            data, prefix="goods", initial=rows["goods"], form_kwargs={"unit_choices": units}
        )
        self.route = RouteFormSet(data, prefix="route", initial=rows["route"])
        self.offenders = OffenderFormSet(data, prefix="offenders", initial=rows["offenders"])
        self.section_errors: dict[str, list[str]] = {name: [] for name in self.SECTIONS}
        self._rows: dict[str, list[int]] = {name: [] for name in self.SECTIONS}

    @property
    def formsets(self) -> dict[str, Any]:
        return {"goods": self.goods, "route": self.route, "offenders": self.offenders}

    @classmethod
    def blank_initial(cls, country: str) -> dict[str, Any]:
        """A new case: today, the officer's country, one goods line, departure and destination."""
        return {
            "case": {"date": timezone.now().date(), "country": country},
            "goods": [{}],
            "route": [{"role": RouteRole.DEPARTURE}, {"role": RouteRole.DESTINATION}],
            "offenders": [],
        }

    @classmethod
    def initial_from(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        """The form's initial values from a case as ``serializers.case_to_dict`` gives it."""
        names = set(CaseForm.base_fields)
        case = {k: v for k, v in data.items() if k in names}
        case["date"] = dt.date.fromisoformat(str(data["date"]))
        goods = []
        for line in data.get("goods", []):
            row = {k: line.get(k) for k in GoodsLineForm.CORE}
            row["quantity"] = plain_number(Decimal(str(line["quantity"])))
            row["value"] = plain_number(Decimal(str(line["value"]))) if line.get("value") else ""
            row.update({DETAIL + k: v for k, v in (line.get("details") or {}).items()})
            goods.append(row)
        return {
            "case": case,
            "goods": goods or [{}],
            "route": list(data.get("route", [])),
            "offenders": list(data.get("offenders", [])),
        }

    def is_valid(self) -> bool:
        results = [self.case.is_valid(), *(fs.is_valid() for fs in self.formsets.values())]
        return all(results)

    @property
    def error_count(self) -> int:
        count = sum(len(v) for v in self.case.errors.values())
        for name, formset in self.formsets.items():
            count += len(self.section_errors[name]) + len(formset.non_form_errors())
            count += sum(len(v) for form in formset.forms for v in form.errors.values())
        return count

    def to_case_in(self) -> CaseIn:
        """The ``CaseIn`` of the cleaned forms; ``InvalidInput`` when pydantic refuses it."""
        payload = self.case.to_input()
        for name, formset in self.formsets.items():
            items = []
            self._rows[name] = []
            for index, form in enumerate(formset.forms):
                if form.is_blank():
                    continue
                items.append(form.to_input())
                self._rows[name].append(index)
            payload[name] = items
        try:
            return CaseIn.model_validate(payload)
        except pydantic.ValidationError as exc:
            raise InvalidInput(pydantic_errors(dict(e) for e in exc.errors())) from None

    def add_errors(self, exc: InvalidInput) -> None:
        """Put every ``FieldError`` next to its field, row or section."""
        for error in exc.errors:
            match = LINE_PATH.match(error.field)
            if match:
                self._add_row_error(match.group(1), int(match.group(2)), match.group(3), error)
            elif error.field in self.section_errors:
                self.section_errors[error.field].append(error.reason)
            elif error.field in self.case.fields:
                self.case.add_service_error(error.field, error)
            else:
                self.case.add_service_error(None, error, error.field)

    def _add_row_error(self, section: str, item: int, rest: str | None, error: FieldError) -> None:
        rows = self._rows[section]
        forms_ = self.formsets[section].forms
        if item >= len(rows) or rows[item] >= len(forms_):
            self.section_errors[section].append(f"{error.field}: {error.reason}")
            return
        form: EntryForm = forms_[rows[item]]
        name = (rest or "").replace("details.", DETAIL, 1) if rest else None
        form.add_service_error(name, error, rest or "")
