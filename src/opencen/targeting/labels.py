"""Words for what officers see: model features in explanations, performance groups."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

FEATURE_LABELS: Final[dict[str, StrPromise]] = {
    "value": gettext_lazy("declared value"),
    "net_mass": gettext_lazy("net mass"),
    "tax_rate": gettext_lazy("duty rate"),
    "aeo": gettext_lazy("AEO party"),
    "unit_value": gettext_lazy("unit value"),
    "median_unit_value": gettext_lazy("usual unit value (HS-6, origin)"),
    "unit_value_ratio": gettext_lazy("unit value against the usual"),
    "unit_value_z": gettext_lazy("unit value anomaly"),
    "unit_value_reference_n": gettext_lazy("unit values known for this HS-6"),
}
KEY_LABELS: Final[dict[str, StrPromise]] = {
    "importer": gettext_lazy("importer"),
    "declarant": gettext_lazy("declarant"),
    "seller": gettext_lazy("seller"),
    "hs_heading": gettext_lazy("HS heading"),
    "hs6": gettext_lazy("HS subheading"),
    "hs_code": gettext_lazy("HS code"),
    "origin": gettext_lazy("origin"),
    "office": gettext_lazy("office"),
    "hs6_origin": gettext_lazy("HS subheading from this origin"),
    "declared_value": gettext_lazy("same declared value"),
    "value_mass": gettext_lazy("same value and mass"),
    "hs_value": gettext_lazy("same HS code and value"),
}


def feature_label(name: str) -> str:
    """``hist_importer_rate`` -> "past fraud rate: importer"; unknown names stay as they are."""
    if name in FEATURE_LABELS:
        return str(FEATURE_LABELS[name])
    if name.startswith("hist_") and name.endswith(("_rate", "_n")):
        key, _sep, kind = name.removeprefix("hist_").rpartition("_")
        label = str(KEY_LABELS.get(key, key.replace("_", " ")))
        if kind == "rate":
            return _("past fraud rate: %(key)s") % {"key": label}
        return _("past examinations: %(key)s") % {"key": label}
    return name.replace("_", " ")


def group_label(group: str, profile_names: dict[str, str]) -> str:
    """``control`` / ``model`` / ``profile:<id>`` in words."""
    if group == "control":
        return _("Random control")
    if group == "model":
        return _("Risk model")
    profile_id = group.removeprefix("profile:")
    return _("Profile: %(name)s") % {"name": profile_names.get(profile_id, profile_id)}
