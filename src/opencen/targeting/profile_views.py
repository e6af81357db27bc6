"""Pages to write, check, test and activate risk profiles, and to keep watch lists."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencen.core.errors import InvalidInput
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.engine.rules import DEFAULT_RULE_COLUMNS, RuleError, compile_rule
from opencen.targeting import profiles, selectors
from opencen.targeting.forms import PeriodForm, ProfileForm, WatchListForm, add_errors
from opencen.targeting.models import RiskProfile


@page(Perm.TARGETING_VIEW)
@require_GET
def profile_list(request: HttpRequest) -> HttpResponse:
    """The administration's profiles, active first, and its watch lists."""
    actor = actor_of(request)
    return render(
        request,
        "targeting/profiles.html",
        {
            "profiles": selectors.profiles(actor),
            "lists": selectors.watch_lists(actor),
            "can_manage": actor.can(Perm.TARGETING_PROFILE_MANAGE),
        },
    )


def _initial(profile: RiskProfile) -> dict[str, Any]:
    return {
        name: getattr(profile, name)
        for name in (
            "name", "expression", "lane", "weight", "valid_from", "valid_until", "description",
        )
    }  # fmt: skip


def _edit(request: HttpRequest, profile: RiskProfile | None) -> HttpResponse:
    actor = actor_of(request)
    if request.method != "POST":
        form = ProfileForm(initial=_initial(profile) if profile else None)
    else:
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                if profile is None:
                    saved = profiles.check_create_profile(actor, form.to_data())
                else:
                    saved = profiles.check_update_profile(actor, profile.pk, form.to_data())
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Profile %(name)s saved.") % {"name": saved.name})
                return redirect("targeting:profile", risk_profile_id=saved.pk)
    return render(
        request,
        "targeting/profile_form.html",
        {
            "form": form,
            "profile": profile,
            "lists": selectors.watch_lists(actor),
            "columns": sorted(DEFAULT_RULE_COLUMNS),
        },
    )


@page(Perm.TARGETING_PROFILE_MANAGE)
def profile_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@page(Perm.TARGETING_PROFILE_MANAGE)
def profile_edit(request: HttpRequest, risk_profile_id: uuid.UUID) -> HttpResponse:
    return _edit(request, selectors.access_profile(actor_of(request), risk_profile_id))


@page(Perm.TARGETING_VIEW)
@require_GET
def profile_detail(request: HttpRequest, risk_profile_id: uuid.UUID) -> HttpResponse:
    """A profile, its latest test over the history, and its state."""
    actor = actor_of(request)
    profile = selectors.access_profile(actor, risk_profile_id)
    return render(
        request,
        "targeting/profile.html",
        {
            "profile": profile,
            "test": profile.last_test or None,
            "period": PeriodForm(),
            "can_manage": actor.can(Perm.TARGETING_PROFILE_MANAGE),
        },
    )


@page(Perm.TARGETING_PROFILE_MANAGE)
@require_POST
def profile_test(request: HttpRequest, risk_profile_id: uuid.UUID) -> HttpResponse:
    """Run the profile over the stored history; HTMX gets the results block."""
    actor = actor_of(request)
    profile = selectors.access_profile(actor, risk_profile_id)
    form = PeriodForm(request.POST)
    report: dict[str, Any] | None = None
    error = ""
    if form.is_valid():
        try:
            report = profiles.check_test_profile(
                actor,
                profile.pk,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
        except InvalidInput as exc:
            error = "; ".join(e.reason for e in exc.errors)
    else:
        error = _("Check the dates of the period.")
    if request.headers.get("HX-Request"):
        return render(request, "targeting/_test.html", {"test": report, "error": error})
    if error:
        messages.error(request, error)
    return redirect("targeting:profile", risk_profile_id=profile.pk)


def _set_active(request: HttpRequest, risk_profile_id: uuid.UUID, active: bool) -> HttpResponse:
    try:
        profile = profiles.do_set_profile_active(actor_of(request), risk_profile_id, active)
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error.reason)
    else:
        done = _("Profile %(name)s activated.") if active else _("Profile %(name)s deactivated.")
        messages.success(request, done % {"name": profile.name})
    return redirect("targeting:profile", risk_profile_id=risk_profile_id)


@page(Perm.TARGETING_PROFILE_MANAGE)
@require_POST
def profile_activate(request: HttpRequest, risk_profile_id: uuid.UUID) -> HttpResponse:
    return _set_active(request, risk_profile_id, True)


@page(Perm.TARGETING_PROFILE_MANAGE)
@require_POST
def profile_deactivate(request: HttpRequest, risk_profile_id: uuid.UUID) -> HttpResponse:
    return _set_active(request, risk_profile_id, False)


@page(Perm.TARGETING_PROFILE_MANAGE)
@require_POST
def check_rule(request: HttpRequest) -> HttpResponse:
    """Live check of a rule while typing (HTMX): OK, or the reason under a caret."""
    actor = actor_of(request)
    source = request.POST.get("expression", "")
    context: dict[str, Any] = {"source": source}
    if source.strip():
        try:
            rule = compile_rule(source, lists=profiles.lists_of(actor.organisation_id))
        except RuleError as exc:
            context.update(
                error=exc.reason,
                position=exc.position,
                before=source[: exc.position - 1],
                at=source[exc.position - 1 : exc.position] or " ",
                after=source[exc.position :],
            )
        else:
            context.update(columns=sorted(rule.columns), lists=sorted(rule.lists))
    return render(request, "targeting/_rule_check.html", context)


# --- watch lists --------------------------------------------------------------------------


def _edit_list(request: HttpRequest, list_id: uuid.UUID | None) -> HttpResponse:
    actor = actor_of(request)
    existing = selectors.access_list(actor, list_id) if list_id else None
    if request.method != "POST":
        initial = None
        if existing is not None:
            initial = {
                "name": existing.name,
                "kind": existing.kind,
                "description": existing.description,
                "values": "\n".join(existing.values),
            }
        form = WatchListForm(initial=initial)
    else:
        form = WatchListForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = profiles.check_save_list(
                    actor,
                    name=data["name"],
                    kind=data["kind"],
                    values=form.value_list(),
                    description=data["description"],
                    list_id=existing.pk if existing else None,
                )
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Watch list %(name)s saved.") % {"name": saved.name})
                return redirect("targeting:profiles")
    return render(request, "targeting/list_form.html", {"form": form, "watch": existing})


@page(Perm.TARGETING_PROFILE_MANAGE)
def list_create(request: HttpRequest) -> HttpResponse:
    return _edit_list(request, None)


@page(Perm.TARGETING_PROFILE_MANAGE)
def list_edit(request: HttpRequest, watch_list_id: uuid.UUID) -> HttpResponse:
    return _edit_list(request, watch_list_id)
