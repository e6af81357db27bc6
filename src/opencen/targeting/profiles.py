"""Risk profiles and watch lists: writing, testing over the history, activating.

A profile's rule is in the engine's profile language (``opencen.engine.rules``); it is compiled
against the administration's watch lists on every save, and a rule that does not compile is
refused with the engine's position and reason (``FieldError.start``/``end`` point at it).
Every change records its audit event and tells scoring processes to reload the profiles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, InvalidInput
from opencen.core.permissions import Perm
from opencen.engine.rules import ProfileSet, RuleError, compile_rule
from opencen.targeting import columns
from opencen.targeting.choices import Lane, ListKind
from opencen.targeting.models import Declaration, RiskProfile, WatchList
from opencen.targeting.scoring import engine_profile
from opencen.targeting.selectors import access_list, access_profile
from opencen.targeting.services import bump, require, scorer_for

LIST_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
LIST_VALUE_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = {
    ListKind.COUNTRY: re.compile(r"^[A-Z]{2}$"),
    ListKind.HS: re.compile(r"^[0-9]{2,10}$"),
}
MAX_LIST_VALUES: Final = 50_000
TEST_DAYS: Final = 365


def lists_of(owner_id: Any) -> dict[str, list[str]]:
    """The administration's watch lists as the engine takes them."""
    return {w.name: list(w.values) for w in WatchList.objects.filter(owner_id=owner_id)}


def rule_error(exc: RuleError, field: str = "expression") -> FieldError:
    """A ``RuleError`` as a field error pointing at the offending character."""
    start = max(exc.position - 1, 0)
    return FieldError(
        field,
        _("column %(column)d: %(reason)s") % {"column": exc.position, "reason": exc.reason},
        start,
        start + 1,
        exc.source[start : start + 20],
    )


def check_expression(owner_id: Any, expression: str) -> None:
    """Compile ``expression`` against the owner's lists; ``InvalidInput`` with the position."""
    try:
        compile_rule(expression, lists=lists_of(owner_id))
    except RuleError as exc:
        raise InvalidInput(rule_error(exc)) from None


@dataclass(frozen=True)
class ProfileData:
    """What an analyst writes: everything of a profile but its state."""

    name: str
    expression: str
    lane: str
    weight: float = 1.0
    description: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


def _validate(actor: Actor, data: ProfileData, exclude: Any = None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not data.name.strip():
        errors.append(FieldError("name", _("give the profile a name")))
    taken = RiskProfile.objects.filter(owner_id=actor.organisation_id, name=data.name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        errors.append(FieldError("name", _("another profile has this name")))
    if data.lane not in Lane.values:
        errors.append(FieldError("lane", _("one of red, yellow, blue, green")))
    if not data.weight > 0:
        errors.append(FieldError("weight", _("the weight must be positive")))
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors.append(FieldError("valid_until", _("the end of validity precedes its start")))
    try:
        compile_rule(data.expression, lists=lists_of(actor.organisation_id))
    except RuleError as exc:
        errors.append(rule_error(exc))
    return errors


def _snapshot(profile: RiskProfile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "expression": profile.expression,
        "lane": profile.lane,
        "weight": profile.weight,
        "description": profile.description,
        "valid_from": profile.valid_from.isoformat() if profile.valid_from else None,
        "valid_until": profile.valid_until.isoformat() if profile.valid_until else None,
    }


def check_create_profile(actor: Actor, data: ProfileData) -> RiskProfile:
    """Write a new profile; it starts inactive (test it, then activate it)."""
    require(actor, Perm.TARGETING_PROFILE_MANAGE)
    errors = _validate(actor, data)
    if errors:
        raise InvalidInput(errors)
    profile = RiskProfile(
        owner_id=actor.organisation_id,
        created_by_id=actor.user_id,
        name=data.name.strip(),
        description=data.description,
        expression=data.expression.strip(),
        lane=data.lane,
        weight=data.weight,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    with transaction.atomic():
        profile.save()
        record_event(
            actor, EventTag.TARGETING_PROFILE_CREATED, obj=profile, changes=_snapshot(profile)
        )
    return profile


def check_update_profile(actor: Actor, profile_id: Any, data: ProfileData) -> RiskProfile:
    """Change a profile (an active one changes scoring at once)."""
    require(actor, Perm.TARGETING_PROFILE_MANAGE)
    profile = access_profile(actor, profile_id)
    errors = _validate(actor, data, exclude=profile.pk)
    if errors:
        raise InvalidInput(errors)
    before = _snapshot(profile)
    profile.name, profile.description = data.name.strip(), data.description
    profile.expression, profile.lane, profile.weight = (
        data.expression.strip(),
        data.lane,
        data.weight,
    )
    profile.valid_from, profile.valid_until = data.valid_from, data.valid_until
    after = _snapshot(profile)
    if after["expression"] != before["expression"]:
        profile.last_test, profile.tested_at = {}, None
    with transaction.atomic():
        profile.save()
        record_event(
            actor,
            EventTag.TARGETING_PROFILE_UPDATED,
            obj=profile,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
        if profile.is_active:
            bump(profile.owner_id, profiles=True)
    return profile


def do_set_profile_active(actor: Actor, profile_id: Any, active: bool) -> RiskProfile:
    """Activate or deactivate a profile."""
    require(actor, Perm.TARGETING_PROFILE_MANAGE)
    profile = access_profile(actor, profile_id)
    if active:
        check_expression(profile.owner_id, profile.expression)
    if profile.is_active == active:
        return profile
    tag = EventTag.TARGETING_PROFILE_ACTIVATED if active else EventTag.TARGETING_PROFILE_DEACTIVATED
    with transaction.atomic():
        RiskProfile.objects.filter(pk=profile.pk).update(is_active=active)
        profile.is_active = active
        record_event(actor, tag, obj=profile, changes={"name": profile.name})
        bump(profile.owner_id, profiles=True)
    return profile


# --- testing over the history ----------------------------------------------------------------


def profile_test(
    owner_id: Any,
    profile: RiskProfile,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, Any]:
    """What ``profile`` would have hit among the stored declarations of a period.

    Features are computed time-safely (each declaration sees only results known before its
    date), the ``score`` column is the score the declaration got.  ``hit_rate`` is the share
    of fraud among the examined hits, ``lift`` that rate over the random control group's.
    """
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - dt.timedelta(days=TEST_DAYS)
    queryset = Declaration.objects.filter(
        owner_id=owner_id, date__gte=date_from, date__lte=date_to
    ).order_by("date", "created_at")
    frame = columns.queryset_frame(queryset, with_outcome=True, extra=("score", "selected_by"))
    scorer = scorer_for(owner_id)
    base = frame.select(list(columns.SCHEMA))
    feats = scorer.features(base).with_columns(frame["score"])
    engine = engine_profile(profile, lists_of(owner_id))
    hit = ProfileSet([engine]).matches(feats).to_series() if frame.height else pl.Series([])
    table = frame.select("date", "result", "revenue", "selected_by").with_columns(
        hit=hit if frame.height else pl.lit(False)
    )
    examined = table.filter(pl.col("result").is_not_null())
    fraud = pl.col("result") >= 1
    hits = table.filter("hit")
    examined_hits = examined.filter("hit")
    frauds = examined_hits.filter(fraud).height
    control = examined.filter(pl.col("selected_by") == "control")
    control_rate = control.filter(fraud).height / control.height if control.height else None
    hit_rate = frauds / examined_hits.height if examined_hits.height else None
    monthly = (
        table.with_columns(month=pl.col("date").dt.strftime("%Y-%m"))
        .group_by("month")
        .agg(
            pl.col("hit").sum().alias("hits"),
            (pl.col("hit") & pl.col("result").is_not_null()).sum().alias("examined"),
            (pl.col("hit") & (pl.col("result").fill_null(0) >= 1)).sum().alias("frauds"),
        )
        .filter(pl.col("hits") > 0)
        .sort("month")
    )
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "declarations": table.height,
        "hits": hits.height,
        "hit_share": hits.height / table.height if table.height else None,
        "examined_hits": examined_hits.height,
        "frauds": frauds,
        "hit_rate": hit_rate,
        "revenue": float(examined_hits["revenue"].fill_null(0).sum()) if frauds else 0.0,
        "control_examined": control.height,
        "control_hit_rate": control_rate,
        "lift": hit_rate / control_rate if hit_rate is not None and control_rate else None,
        "months": monthly.to_dicts(),
    }


def check_test_profile(
    actor: Actor,
    profile_id: Any,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, Any]:
    """Run a profile over the stored history and keep the figures on the profile."""
    require(actor, Perm.TARGETING_PROFILE_MANAGE)
    profile = access_profile(actor, profile_id)
    if date_from and date_to and date_to < date_from:
        raise InvalidInput.one("date_to", _("the end of the period precedes its start"))
    check_expression(profile.owner_id, profile.expression)
    report = profile_test(profile.owner_id, profile, date_from=date_from, date_to=date_to)
    with transaction.atomic():
        RiskProfile.objects.filter(pk=profile.pk).update(last_test=report, tested_at=timezone.now())
        record_event(
            actor,
            EventTag.TARGETING_PROFILE_TESTED,
            obj=profile,
            changes={k: v for k, v in report.items() if k != "months"},
        )
    return report


# --- watch lists --------------------------------------------------------------------------


def clean_values(kind: str, values: Sequence[str]) -> tuple[list[str], list[FieldError]]:
    """Stripped, distinct, non-empty values in their order, and the refused ones."""
    cleaned: list[str] = []
    errors: list[FieldError] = []
    pattern = LIST_VALUE_PATTERNS.get(kind)
    for position, raw in enumerate(values):
        value = str(raw).strip()
        if not value or value in cleaned:
            continue
        if pattern is not None and not pattern.match(value):
            errors.append(
                FieldError(
                    f"values[{position}]",
                    _("%(v)s is not a valid value for this kind of list") % {"v": value[:40]},
                )
            )
            continue
        cleaned.append(value)
    if len(cleaned) > MAX_LIST_VALUES:
        errors.append(FieldError("values", _("at most %(n)d values") % {"n": MAX_LIST_VALUES}))
    return cleaned, errors


def _list_errors(actor: Actor, name: str, kind: str, exclude: Any = None) -> list[FieldError]:
    errors = []
    if not LIST_NAME.match(name):
        errors.append(FieldError("name", _("letters, digits, '_', '.' or '-' only (at most 64)")))
    if kind not in ListKind.values:
        errors.append(FieldError("kind", _("one of party, hs, country, other")))
    taken = WatchList.objects.filter(owner_id=actor.organisation_id, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        errors.append(FieldError("name", _("another list has this name")))
    return errors


def check_save_list(
    actor: Actor,
    *,
    name: str,
    kind: str,
    values: Sequence[str],
    description: str = "",
    list_id: Any = None,
) -> WatchList:
    """Create a watch list, or replace one's content (``list_id``)."""
    require(actor, Perm.TARGETING_PROFILE_MANAGE)
    existing = access_list(actor, list_id) if list_id is not None else None
    name = name.strip()
    cleaned, value_errors = clean_values(kind, values)
    errors = _list_errors(actor, name, kind, exclude=existing.pk if existing else None)
    if existing is not None and existing.name != name and _list_in_use(actor, existing.name):
        errors.append(FieldError("name", _("profiles use this list under its current name")))
    errors += value_errors
    if errors:
        raise InvalidInput(errors)
    watch = existing or WatchList(owner_id=actor.organisation_id, created_by_id=actor.user_id)
    before = {"name": watch.name, "size": len(watch.values or [])}
    watch.name, watch.kind, watch.values, watch.description = name, kind, cleaned, description
    tag = EventTag.TARGETING_LIST_UPDATED if existing else EventTag.TARGETING_LIST_CREATED
    try:
        with transaction.atomic():
            watch.save()
            record_event(
                actor,
                tag,
                obj=watch,
                changes={"name": [before["name"], name], "size": [before["size"], len(cleaned)]},
            )
            bump(watch.owner_id, profiles=True)
    except IntegrityError:
        raise InvalidInput.one("name", _("another list has this name")) from None
    return watch


def _list_in_use(actor: Actor, name: str) -> bool:
    return any(
        f'"{name}"' in expr or f"'{name}'" in expr
        for expr in RiskProfile.objects.filter(owner_id=actor.organisation_id).values_list(
            "expression", flat=True
        )
    )
