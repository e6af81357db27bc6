"""Pages of the model registry (versions, training, activation) and the selection policy."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencen.core.errors import InvalidInput
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm
from opencen.targeting import selectors, services, training
from opencen.targeting.forms import SettingsForm, TrainForm, add_errors
from opencen.targeting.scoring import Policy
from opencen.targeting.services import POLICY_FIELDS

METRICS = ("p@1%", "p@2%", "p@5%", "p@10%", "r@5%", "r@10%", "auc")


@page(Perm.TARGETING_VIEW)
@require_GET
def model_list(request: HttpRequest) -> HttpResponse:
    """Every model version with its window and validation metrics; training for managers."""
    actor = actor_of(request)
    settings = services.settings_of(actor.organisation_id, create=False)
    return render(
        request,
        "targeting/models.html",
        {
            "versions": selectors.model_versions(actor),
            "active_id": settings.active_model_id,
            "metric_names": METRICS,
            "form": TrainForm(),
            "settings": settings,
            "min_batch": Policy.of(settings).min_batch(),
            "can_manage": actor.can(Perm.TARGETING_MODEL_MANAGE),
        },
    )


@page(Perm.TARGETING_VIEW)
@require_GET
def model_detail(request: HttpRequest, model_version_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.access_model(actor, model_version_id)
    return render(
        request,
        "targeting/model.html",
        {
            "version": version,
            "is_active": version.pk == selectors.active_model_id(actor),
            "metrics": [(name, version.metrics.get(name)) for name in METRICS],
            "can_manage": actor.can(Perm.TARGETING_MODEL_MANAGE),
        },
    )


@page(Perm.TARGETING_MODEL_MANAGE)
@require_POST
def train(request: HttpRequest) -> HttpResponse:
    """Queue the training of a new version."""
    form = TrainForm(request.POST)
    if form.is_valid():
        try:
            version = training.check_start_training(actor_of(request), **form.cleaned_data)
        except InvalidInput as exc:
            for error in exc.errors:
                messages.error(request, error.reason)
        else:
            messages.success(
                request,
                _("Version %(n)d: %(status)s.")
                % {"n": version.number, "status": version.get_status_display()},
            )
            return redirect("targeting:model", model_version_id=version.pk)
    else:
        messages.error(request, _("Check the dates of the window."))
    return redirect("targeting:models")


@page(Perm.TARGETING_MODEL_MANAGE)
@require_POST
def model_activate(request: HttpRequest, model_version_id: uuid.UUID) -> HttpResponse:
    try:
        version = training.do_activate_model(actor_of(request), model_version_id)
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error.reason)
    else:
        messages.success(request, _("Version %(n)d is now active.") % {"n": version.number})
    return redirect("targeting:model", model_version_id=model_version_id)


@page(Perm.TARGETING_MODEL_MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    """Lane budgets, random control share, AEO factor."""
    actor = actor_of(request)
    row = services.settings_of(actor.organisation_id, create=False)
    if request.method != "POST":
        form = SettingsForm(initial={name: getattr(row, name) for name in POLICY_FIELDS})
    else:
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.check_update_settings(actor, form.cleaned_data)
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Selection settings saved."))
                return redirect("targeting:models")
    return render(
        request,
        "targeting/settings.html",
        {"form": form, "min_batch": Policy.of(row).min_batch()},
    )
