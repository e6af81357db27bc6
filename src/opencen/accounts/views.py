"""Accounts pages: login with second factor, enrolment, account and tokens, groups, users."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencen.accounts import mfa, selectors, services
from opencen.accounts.forms import (
    CodeForm,
    GroupForm,
    LoginForm,
    MemberForm,
    OrganisationForm,
    PasswordChangeForm,
    TokenForm,
    UserForm,
)
from opencen.accounts.middleware import client_ip
from opencen.accounts.models import Organisation, User
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.errors import InvalidInput
from opencen.core.forms import add_service_errors
from opencen.core.http import actor_of, page
from opencen.core.permissions import Perm, permissions_for

PENDING = "opencen_pending_user"
BACKEND = "opencen.accounts.backends.EmailBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: e-mail and password."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.check_password_step(
                form.cleaned_data["email"], form.cleaned_data["password"], ip=client_ip(request)
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            request.session.cycle_key()
            if step.needs_code:
                request.session[PENDING] = str(step.user.pk)
                request.session["opencen_next"] = _next_url(request)
                return redirect("accounts:login_code")
            services.do_complete_login(step.user, ip=client_ip(request))
            login(request, step.user, backend=BACKEND)
            if step.must_enrol:
                messages.warning(request, _("Your role requires a second factor: set it up now."))
                return redirect("accounts:enrol")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def login_code_view(request: HttpRequest) -> HttpResponse:
    """Step two: the TOTP code."""
    user_id = request.session.get(PENDING)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_code_step(user, form.cleaned_data["code"], ip=client_ip(request))
        except InvalidInput as exc:
            add_service_errors(form, exc)
            if user.is_locked():
                request.session.pop(PENDING, None)
        else:
            target = request.session.pop("opencen_next", "/")
            request.session.pop(PENDING, None)
            services.do_complete_login(user, ip=client_ip(request))
            login(request, user, backend=BACKEND)
            return redirect(target)
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is not None:
        record_event(
            actor,
            EventTag.ACCOUNTS_LOGOUT,
            object_type="accounts.user",
            object_id=str(actor.user_id),
        )
    logout(request)
    return redirect("accounts:login")


def enrol_view(request: HttpRequest) -> HttpResponse:
    """Set up the second factor: scan the QR code, confirm with a code."""
    user = request.user
    if not isinstance(user, User):
        return redirect("accounts:login")
    sealed = request.session.get("opencen_enrol_secret")
    if not sealed or request.method == "GET":
        sealed = mfa.seal(mfa.new_secret())
        request.session["opencen_enrol_secret"] = sealed
    secret = mfa.unseal(sealed)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_enrol_second_factor(
                user, sealed, form.cleaned_data["code"], ip=client_ip(request)
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop("opencen_enrol_secret", None)
            messages.success(request, _("Second factor set up. You will need it at every login."))
            return redirect("web:home")
    uri = mfa.provisioning_uri(user.email, secret)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "secret": secret,
            "qr": mfa.qr_svg(uri),
            "uri": uri,
        },
    )


@page()
def account_view(request: HttpRequest) -> HttpResponse:
    """Your account: password, second factor, API tokens."""
    actor = actor_of(request)
    user = User.objects.get(pk=actor.user_id)
    password_form = PasswordChangeForm()
    token_form = TokenForm(perms=permissions_for(actor.role))
    new_token = None
    if request.method == "POST" and request.POST.get("form") == "password":
        password_form = PasswordChangeForm(request.POST)
        if password_form.is_valid():
            try:
                services.check_change_password(
                    user,
                    current=password_form.cleaned_data["current_password"],
                    new=password_form.cleaned_data["new_password"],
                    ip=client_ip(request),
                )
            except InvalidInput as exc:
                add_service_errors(password_form, exc)
            else:
                login(request, user, backend=BACKEND)  # keep the session after the change
                messages.success(request, _("Password changed."))
                return redirect("accounts:account")
    elif request.method == "POST" and request.POST.get("form") == "token":
        token_form = TokenForm(request.POST, perms=permissions_for(actor.role))
        if token_form.is_valid():
            try:
                _token, new_token = services.check_create_token(
                    actor,
                    name=token_form.cleaned_data["name"],
                    scopes=token_form.cleaned_data["scopes"],
                    days=token_form.cleaned_data["days"],
                )
            except InvalidInput as exc:
                add_service_errors(token_form, exc)
            else:
                token_form = TokenForm(perms=permissions_for(actor.role))
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "password_form": password_form,
            "token_form": token_form,
            "tokens": selectors.tokens_of(actor),
            "new_token": new_token,
        },
    )


@page()
@require_POST
def revoke_token_view(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    services.do_revoke_token(actor_of(request), token_id)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:account")


@page()
def groups_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if not actor.can(Perm.ACCOUNTS_GROUP_CREATE):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                group = services.check_create_group(actor, **form.cleaned_data)
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Group created."))
                return redirect("accounts:group", group_id=group.id)
    return render(
        request,
        "accounts/groups.html",
        {
            "groups": selectors.groups_visible_to(actor),
            "form": form,
            "can_create": actor.can(Perm.ACCOUNTS_GROUP_CREATE),
        },
    )


def _organisation_choices(exclude: Any = None) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in selectors.organisations().exclude(pk=exclude)]


@page()
def group_view(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    group = selectors.access_group(actor, group_id)
    is_owner = group.owner_id == actor.organisation_id and actor.can(Perm.ACCOUNTS_GROUP_CREATE)
    form = MemberForm(request.POST or None, organisations=_organisation_choices(group.owner_id))
    if request.method == "POST":
        if not is_owner:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.check_add_member(
                    actor,
                    group.id,
                    organisation_id=form.cleaned_data["organisation"] or None,
                    user_email=form.cleaned_data["user_email"],
                )
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect("accounts:group", group_id=group.id)
    return render(
        request,
        "accounts/group.html",
        {
            "group": group,
            "members": selectors.visible_members(actor, group),
            "is_owner": is_owner,
            "form": form,
        },
    )


@page()
@require_POST
def remove_member_view(
    request: HttpRequest, group_id: uuid.UUID, membership_id: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    selectors.access_group(actor, group_id)
    try:
        services.do_remove_member(actor, group_id, membership_id)
    except InvalidInput as exc:
        messages.error(request, str(exc.errors[0].reason))
    else:
        messages.success(request, _("Member removed."))
    return redirect("accounts:group", group_id=group_id)


@page()
def organisations_view(request: HttpRequest) -> HttpResponse:
    """The directory of organisations; the secretariat also creates them here."""
    actor = actor_of(request)
    can_manage = actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                org = services.check_create_organisation(actor, **form.cleaned_data)
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s created.") % {"name": org.name})
                return redirect("accounts:organisations")
    return render(
        request,
        "accounts/organisations.html",
        {
            "organisations": selectors.organisations().order_by("kind", "name"),
            "form": form,
            "can_manage": can_manage,
        },
    )


@page(Perm.ACCOUNTS_USER_MANAGE)
def users_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organisation = Organisation.objects.get(pk=actor.organisation_id)
    form = UserForm(request.POST or None, roles=organisation.allowed_roles)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_create_user(actor, **form.cleaned_data)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(email)s created.") % {"email": user.email})
            return redirect("accounts:users")
    return render(
        request,
        "accounts/users.html",
        {
            "users": selectors.users_managed_by(actor).order_by("organisation__name", "email"),
            "form": form,
        },
    )


USER_ACTIONS = {
    "deactivate": services.do_deactivate_user,
    "reactivate": services.do_reactivate_user,
    "unlock": services.do_unlock_user,
    "reset-second-factor": services.do_reset_second_factor,
}


@page(Perm.ACCOUNTS_USER_MANAGE)
@require_POST
def user_action_view(request: HttpRequest, user_id: uuid.UUID, action: str) -> HttpResponse:
    act = USER_ACTIONS.get(action)
    if act is None:
        return HttpResponse(status=404)
    try:
        user = act(actor_of(request), user_id)
    except InvalidInput as exc:
        messages.error(request, exc.errors[0].reason)
    else:
        messages.success(request, _("%(email)s: done.") % {"email": user.email})
    return redirect("accounts:users")
