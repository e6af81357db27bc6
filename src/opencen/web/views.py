"""The home page: who you are, your organisation, your groups and what you can do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opencen.accounts.models import Organisation
from opencen.accounts.selectors import groups_visible_to
from opencen.core.http import actor_of, page
from opencen.core.permissions import PERM_LABELS, requires_second_factor


@page()
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organisation = Organisation.objects.select_related("region").get(pk=actor.organisation_id)
    groups = groups_visible_to(actor).filter(id__in=actor.group_ids)
    abilities = [(p.value, PERM_LABELS[p]) for p in sorted(actor.perms)]
    return render(
        request,
        "web/home.html",
        {
            "organisation": organisation,
            "groups": groups,
            "abilities": abilities,
            "role_label": actor.role.label,
            "mfa_required": requires_second_factor(actor.role),
            "user": request.user,
        },
    )
