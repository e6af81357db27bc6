"""Every write to accounts: logins, second factor, users, tokens, organisations, groups.

``do_*`` acts and records its audit event in one transaction; ``check_*`` validates, raising
``InvalidInput`` (field and reason) or ``Forbidden``, then acts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opencen.accounts import mfa
from opencen.accounts.actors import actor_for
from opencen.accounts.middleware import SEEN_EVERY
from opencen.accounts.models import (
    ApiToken,
    ApiTokenUse,
    ClosedUserGroup,
    GroupMembership,
    Organisation,
    OrganisationKind,
    User,
)
from opencen.audit.services import record_event
from opencen.audit.tags import EventTag
from opencen.core.actors import Actor
from opencen.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from opencen.core.permissions import Perm, Role, permissions_for, requires_second_factor

TOKEN_PREFIX = "ocn"  # noqa: S105 - a marker, not a secret
TOKEN_USE_EVERY = dt.timedelta(minutes=1)  # a token's last_used_at / use_count refresh


# --- login ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordStep:
    """Outcome of the password step: the user, and whether a TOTP code must follow."""

    user: User
    needs_code: bool
    must_enrol: bool


def _ip_key(ip: str | None) -> str:
    return f"login-failures:{ip or 'unknown'}"


def check_password_step(email: str, password: str, *, ip: str | None) -> PasswordStep:
    """Check e-mail and password, with per-account lockout and per-address throttling.

    The same message answers an unknown e-mail and a wrong password.  A locked account is
    refused even with the right password, until ``locked_until``.
    """
    refused = InvalidInput.one("password", _("E-mail or password is not correct."))
    if cache.get(_ip_key(ip), 0) >= settings.OPENCEN_IP_MAX_FAILURES:
        raise InvalidInput.one(
            "email", _("Too many failed attempts from your address. Try again later.")
        )
    user = User.objects.select_related("organisation").filter(email__iexact=email.strip()).first()
    if user is None:
        _count_ip_failure(ip)
        record_event(
            None,
            EventTag.ACCOUNTS_LOGIN_FAILED,
            email=email[:254],
            ip=ip,
            changes={"reason": "unknown e-mail"},
        )
        raise refused
    if user.is_locked():
        record_event(
            None,
            EventTag.ACCOUNTS_LOGIN_FAILED,
            obj=user,
            email=user.email,
            ip=ip,
            changes={"reason": "locked"},
        )
        raise InvalidInput.one(
            "email",
            _("This account is locked after too many failed attempts. Try again after %(t)s UTC.")
            % {"t": user.locked_until.strftime("%H:%M") if user.locked_until else ""},
        )
    if not user.check_password(password):
        _count_ip_failure(ip)
        _count_failure(user, ip, reason="wrong password")
        raise refused
    if not user.is_active or not user.organisation.is_active:
        record_event(
            None,
            EventTag.ACCOUNTS_LOGIN_FAILED,
            obj=user,
            email=user.email,
            ip=ip,
            changes={"reason": "inactive"},
        )
        raise InvalidInput.one(
            "email", _("This account is deactivated. Ask your organisation's administrator.")
        )
    must_enrol = requires_second_factor(user.role) and not user.has_second_factor
    return PasswordStep(user=user, needs_code=user.has_second_factor, must_enrol=must_enrol)


def _count_ip_failure(ip: str | None) -> None:
    key = _ip_key(ip)
    cache.add(key, 0, timeout=settings.OPENCEN_LOCKOUT_MINUTES * 60)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.OPENCEN_LOCKOUT_MINUTES * 60)


def _count_failure(user: User, ip: str | None, *, reason: str) -> None:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.failed_logins += 1
        fields = ["failed_logins"]
        record_event(
            None,
            EventTag.ACCOUNTS_LOGIN_FAILED,
            obj=locked,
            email=locked.email,
            ip=ip,
            changes={"reason": reason, "failures": locked.failed_logins},
        )
        if locked.failed_logins >= settings.OPENCEN_LOGIN_MAX_FAILURES:
            locked.locked_until = timezone.now() + dt.timedelta(
                minutes=settings.OPENCEN_LOCKOUT_MINUTES
            )
            locked.failed_logins = 0
            fields.append("locked_until")
            record_event(
                None,
                EventTag.ACCOUNTS_LOGIN_LOCKED,
                obj=locked,
                email=locked.email,
                ip=ip,
                changes={"until": locked.locked_until.isoformat()},
            )
        locked.save(update_fields=fields)
        user.failed_logins, user.locked_until = locked.failed_logins, locked.locked_until


def check_code_step(user: User, code: str, *, ip: str | None) -> None:
    """Check a TOTP code for a user who passed the password step; a code works once."""
    if user.is_locked():
        raise InvalidInput.one("code", _("This account is locked. Try again later."))
    step = mfa.matching_step(mfa.unseal(user.totp_secret), code)
    if step is None or step <= user.totp_last_step:
        record_event(None, EventTag.ACCOUNTS_MFA_FAILED, obj=user, email=user.email, ip=ip)
        _count_failure(user, ip, reason="wrong code")
        raise InvalidInput.one("code", _("The code is not correct or was already used."))
    User.objects.filter(pk=user.pk).update(totp_last_step=step)
    user.totp_last_step = step


def do_complete_login(user: User, *, ip: str | None, via: str = "session") -> Actor:
    """Both factors passed: reset failure counters, note the visit, record the login."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(
        failed_logins=0, locked_until=None, last_seen_at=now, inactivity_warned_at=None
    )
    user.failed_logins, user.last_seen_at = 0, now
    actor = actor_for(user, via=via, ip=ip)
    record_event(
        actor,
        EventTag.ACCOUNTS_LOGIN_SUCCEEDED,
        obj=user,
        changes={"second_factor": user.has_second_factor},
    )
    return actor


def check_enrol_second_factor(user: User, sealed_secret: str, code: str, *, ip: str | None) -> None:
    """Confirm a new TOTP secret with a code from the user's authenticator, then store it."""
    secret = mfa.unseal(sealed_secret)
    step = mfa.matching_step(secret, code)
    if step is None:
        raise InvalidInput.one("code", _("The code does not match. Check your device's clock."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            totp_secret=sealed_secret, totp_confirmed_at=timezone.now(), totp_last_step=step
        )
        user.refresh_from_db()
        record_event(None, EventTag.ACCOUNTS_MFA_ENROLLED, obj=user, email=user.email, ip=ip)


# --- users ---------------------------------------------------------------------------------


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.can(perm):
        raise Forbidden(perm)


def _manageable_user(actor: Actor, user_id: Any) -> User:
    """A user the actor administers: their own organisation's, or anyone's for the secretariat."""
    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    qs = User.objects.select_related("organisation")
    if not actor.can(Perm.ACCOUNTS_ORGANISATION_MANAGE):
        qs = qs.filter(organisation_id=actor.organisation_id)
    user = qs.filter(pk=user_id).first()
    if user is None:
        raise NotFound
    return user


def check_create_user(
    actor: Actor,
    *,
    email: str,
    full_name: str,
    role: str,
    password: str,
    organisation: Organisation | None = None,
) -> User:
    """Create a user in the actor's organisation (the secretariat may name another one)."""
    _require(actor, Perm.ACCOUNTS_USER_MANAGE)
    if organisation is None:
        organisation = Organisation.objects.get(pk=actor.organisation_id)
    elif organisation.pk != actor.organisation_id and not actor.can(
        Perm.ACCOUNTS_ORGANISATION_MANAGE
    ):
        raise Forbidden(Perm.ACCOUNTS_ORGANISATION_MANAGE)
    errors: list[FieldError] = []
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", _("Enter a valid e-mail address.")))
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors.append(FieldError("email", _("A user with this e-mail already exists.")))
    if not full_name.strip():
        errors.append(FieldError("full_name", _("Enter the person's name.")))
    if role not in {r.value for r in organisation.allowed_roles}:
        errors.append(
            FieldError(
                "role",
                _("This role does not exist in a %(kind)s.")
                % {"kind": OrganisationKind(organisation.kind).label},
            )
        )
    elif role == Role.SECRETARIAT_ADMIN and actor.role != Role.SECRETARIAT_ADMIN:
        errors.append(FieldError("role", _("Only a secretariat admin can create another.")))
    candidate = User(email=email, full_name=full_name, organisation=organisation)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors.extend(FieldError("password", str(m)) for m in exc.messages)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name.strip(),
            role=role,
            organisation=organisation,
        )
        record_event(
            actor,
            EventTag.ACCOUNTS_USER_CREATED,
            obj=user,
            changes={"email": email, "role": role, "organisation": organisation.name},
        )
    return user


def do_deactivate_user(actor: Actor, user_id: Any, *, reason: str = "") -> User:
    user = _manageable_user(actor, user_id)
    if user.pk == actor.user_id:
        raise InvalidInput.one("user", _("You cannot deactivate your own account."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False, deactivated_reason=reason[:200])
        user.is_active = False
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        record_event(
            actor, EventTag.ACCOUNTS_USER_DEACTIVATED, obj=user, changes={"reason": reason[:200]}
        )
    return user


def do_reactivate_user(actor: Actor, user_id: Any) -> User:
    user = _manageable_user(actor, user_id)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            is_active=True,
            deactivated_reason="",
            last_seen_at=timezone.now(),
            locked_until=None,
            failed_logins=0,
        )
        user.refresh_from_db()
        record_event(actor, EventTag.ACCOUNTS_USER_UPDATED, obj=user, changes={"is_active": True})
    return user


def do_unlock_user(actor: Actor, user_id: Any) -> User:
    user = _manageable_user(actor, user_id)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0)
        user.refresh_from_db()
        record_event(actor, EventTag.ACCOUNTS_USER_UNLOCKED, obj=user)
    return user


def do_reset_second_factor(actor: Actor, user_id: Any) -> User:
    """Clear a user's TOTP (lost device); they must enrol again at their next login."""
    user = _manageable_user(actor, user_id)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            totp_secret="", totp_confirmed_at=None, totp_last_step=0
        )
        user.refresh_from_db()
        record_event(actor, EventTag.ACCOUNTS_MFA_RESET, obj=user)
    return user


def check_change_password(user: User, *, current: str, new: str, ip: str | None) -> None:
    if not user.check_password(current):
        raise InvalidInput.one("current_password", _("Your current password is not correct."))
    try:
        validate_password(new, user)
    except ValidationError as exc:
        raise InvalidInput([FieldError("new_password", str(m)) for m in exc.messages]) from None
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        record_event(actor_for(user, ip=ip), EventTag.ACCOUNTS_PASSWORD_CHANGED, obj=user)


def expire_inactive_accounts(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Warn users idle for (limit - warning) days; deactivate those idle past the limit.

    Returns (warned, expired).  Meant to run daily (``opencen accounts expire-inactive``).
    A user who never logged in counts from the day they joined.
    """
    now = now or timezone.now()
    limit = dt.timedelta(days=settings.OPENCEN_INACTIVE_DAYS)
    warn_at = limit - dt.timedelta(days=settings.OPENCEN_INACTIVE_WARNING_DAYS)
    warned = expired = 0
    for user in User.objects.filter(is_active=True).select_related("organisation"):
        seen = user.last_seen_at or user.date_joined
        idle = now - seen
        if idle >= limit:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(
                    is_active=False, deactivated_reason="inactive"
                )
                user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
                record_event(
                    None,
                    EventTag.ACCOUNTS_USER_EXPIRED,
                    obj=user,
                    changes={"last_seen": seen.isoformat()},
                )
            expired += 1
        elif idle >= warn_at and user.inactivity_warned_at is None:
            days_left = (limit - idle).days
            send_mail(
                _("Your opencen account will be deactivated"),
                _(
                    "You have not used opencen since %(seen)s. Log in within %(days)s days to "
                    "keep your account."
                )
                % {"seen": seen.date().isoformat(), "days": days_left},
                None,
                [user.email],
                fail_silently=True,
            )
            User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
            warned += 1
    return warned, expired


# --- API tokens ------------------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_create_token(
    actor: Actor, *, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """Create a token for the actor; returns it with the plaintext, which is never stored.

    Scopes must be permissions the actor's role holds; the token expires after ``days``
    (1 to ``OPENCEN_TOKEN_MAX_DAYS``).  Tokens cannot create tokens.
    """
    _require(actor, Perm.ACCOUNTS_TOKEN_CREATE)
    if actor.via == "token":
        raise Forbidden("tokens cannot create tokens")
    errors: list[FieldError] = []
    if not name.strip() or len(name) > 100:
        errors.append(FieldError("name", _("Give the token a name of 1 to 100 characters.")))
    role_perms = permissions_for(actor.role)
    if not scopes:
        errors.append(FieldError("scopes", _("Choose at least one permission.")))
    for scope in scopes:
        if scope not in Perm._value2member_map_:
            errors.append(FieldError("scopes", _("Unknown permission: %(s)s") % {"s": scope}))
        elif Perm(scope) not in role_perms:
            errors.append(FieldError("scopes", _("Your role does not hold %(s)s") % {"s": scope}))
    if not 1 <= days <= settings.OPENCEN_TOKEN_MAX_DAYS:
        errors.append(
            FieldError(
                "days", _("Between 1 and %(n)s days.") % {"n": settings.OPENCEN_TOKEN_MAX_DAYS}
            )
        )
    if errors:
        raise InvalidInput(errors)
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user_id=actor.user_id,
            name=name.strip(),
            prefix=prefix,
            digest=_digest(raw),
            scopes=sorted(set(scopes)),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record_event(
            actor,
            EventTag.ACCOUNTS_TOKEN_CREATED,
            obj=token,
            changes={"name": token.name, "scopes": token.scopes, "days": days},
        )
    return token, raw


def do_revoke_token(actor: Actor, token_id: Any) -> ApiToken:
    """Revoke one of the actor's own tokens (admins: any token of a user they manage)."""
    token = ApiToken.objects.filter(pk=token_id, user_id=actor.user_id).first()
    if token is None and actor.can(Perm.ACCOUNTS_USER_MANAGE):
        candidate = ApiToken.objects.filter(pk=token_id).first()
        if candidate is not None:
            _manageable_user(actor, candidate.user_id)
            token = candidate
    if token is None:
        raise NotFound
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        record_event(actor, EventTag.ACCOUNTS_TOKEN_REVOKED, obj=token)
    return token


def authenticate_token(raw: str, *, ip: str | None, method: str, path: str) -> Actor | None:
    """The actor for a presented token, or None; every successful use is recorded."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user__organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    user = token.user
    if not token.is_usable() or not user.is_active or not user.organisation.is_active:
        record_event(
            None,
            EventTag.ACCOUNTS_TOKEN_REFUSED,
            obj=token,
            email=user.email,
            ip=ip,
            changes={
                "reason": "revoked"
                if token.revoked_at
                else "expired"
                if token.expires_at <= timezone.now()
                else "inactive"
            },
        )
        return None
    now = timezone.now()
    with transaction.atomic():  # one commit for the use and the summaries it refreshes
        ApiTokenUse.objects.create(token=token, at=now, ip=ip, method=method, path=path[:500])
        _refresh_token_use(token, now)
        if user.last_seen_at is None or now - user.last_seen_at > SEEN_EVERY:
            User.objects.filter(pk=user.pk).update(last_seen_at=now)
    return actor_for(user, via="token", ip=ip, scopes=token.scopes, token_id=token.id)


def _refresh_token_use(token: ApiToken, now: dt.datetime) -> None:
    """Bring the token's ``last_used_at`` and ``use_count`` up to ``now``, at most once per
    :data:`TOKEN_USE_EVERY`.

    Every use is an ``ApiTokenUse`` row, written by every request (the record); the two
    fields summarise it for the account page and are written at most once a minute per token
    rather than by every request (a hot row, and a write per request). ``use_count`` adds the
    uses recorded since the previous refresh. The update is conditional on the previous
    ``last_used_at``, so of concurrent requests only one refreshes. In the caller's
    transaction.
    """
    previous = token.last_used_at
    if previous is not None and now - previous < TOKEN_USE_EVERY:
        return
    uses = ApiTokenUse.objects.filter(token=token, at__lte=now)
    if previous is not None:
        uses = uses.filter(at__gt=previous)
    ApiToken.objects.filter(pk=token.pk, last_used_at=previous).update(
        last_used_at=now, use_count=F("use_count") + uses.count()
    )


# --- organisations ---------------------------------------------------------------------------


def check_create_organisation(
    actor: Actor, *, name: str, short_name: str, kind: str, country: str = "", region: str = ""
) -> Organisation:
    """Create an organisation (secretariat only).

    A customs administration names its country, and its region follows that country's WCO
    region; a RILO names the WCO region (code) it covers; other kinds have neither.
    """
    from opencen.reference.models import Country, WcoRegion

    _require(actor, Perm.ACCOUNTS_ORGANISATION_MANAGE)
    errors: list[FieldError] = []
    if kind not in OrganisationKind.values:
        errors.append(FieldError("kind", _("Unknown organisation kind.")))
    if not name.strip():
        errors.append(FieldError("name", _("Enter a name.")))
    elif Organisation.objects.filter(name__iexact=name.strip()).exists():
        errors.append(FieldError("name", _("An organisation with this name exists.")))
    if not short_name.strip():
        errors.append(FieldError("short_name", _("Enter a short name.")))
    elif Organisation.objects.filter(short_name__iexact=short_name.strip()).exists():
        errors.append(FieldError("short_name", _("An organisation with this short name exists.")))
    country_row = None
    region_row = None
    if kind == OrganisationKind.CUSTOMS:
        country_row = Country.objects.filter(code=country.strip().upper()).first()
        if country_row is None:
            errors.append(FieldError("country", _("Unknown country code: %(c)s") % {"c": country}))
        else:
            region_row = country_row.wco_region
    elif kind == OrganisationKind.RILO:
        region_row = WcoRegion.objects.filter(code=region.strip().upper()).first()
        if region_row is None:
            errors.append(FieldError("region", _("Unknown WCO region: %(r)s") % {"r": region}))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name.strip(),
            short_name=short_name.strip(),
            kind=kind,
            country=country_row.code if country_row else "",
            region=region_row,
        )
        record_event(
            actor,
            EventTag.ACCOUNTS_ORGANISATION_CREATED,
            obj=org,
            changes={
                "name": org.name,
                "kind": kind,
                "country": org.country,
                "region": region_row.code if region_row else "",
            },
        )
    return org


def check_update_organisation(
    actor: Actor, organisation_id: Any, *, name: str, short_name: str, is_active: bool
) -> Organisation:
    """Rename an organisation or (de)activate it (secretariat).  A deactivated organisation's
    users can no longer log in or use their tokens; its records stay."""
    _require(actor, Perm.ACCOUNTS_ORGANISATION_MANAGE)
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise NotFound
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("name", _("Enter a name.")))
    elif Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=org.pk).exists():
        errors.append(FieldError("name", _("An organisation with this name exists.")))
    if not short_name.strip():
        errors.append(FieldError("short_name", _("Enter a short name.")))
    elif (
        Organisation.objects.filter(short_name__iexact=short_name.strip())
        .exclude(pk=org.pk)
        .exists()
    ):
        errors.append(FieldError("short_name", _("An organisation with this short name exists.")))
    if not is_active and org.pk == actor.organisation_id:
        errors.append(FieldError("is_active", _("You cannot deactivate your own organisation.")))
    if errors:
        raise InvalidInput(errors)
    before = {"name": org.name, "short_name": org.short_name, "is_active": org.is_active}
    after = {"name": name.strip(), "short_name": short_name.strip(), "is_active": is_active}
    with transaction.atomic():
        Organisation.objects.filter(pk=org.pk).update(**after)
        org.refresh_from_db()
        record_event(
            actor,
            EventTag.ACCOUNTS_ORGANISATION_UPDATED,
            obj=org,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    return org


# --- closed user groups ----------------------------------------------------------------------


def _owned_group(actor: Actor, group_id: Any) -> ClosedUserGroup:
    group = ClosedUserGroup.objects.filter(pk=group_id).first()
    if group is None or (
        group.owner_id != actor.organisation_id
        and group.id not in actor.group_ids
        and not actor.is_secretariat
    ):
        raise NotFound
    if group.owner_id != actor.organisation_id or not actor.can(Perm.ACCOUNTS_GROUP_CREATE):
        raise Forbidden(Perm.ACCOUNTS_GROUP_CREATE)
    return group


def check_create_group(
    actor: Actor, *, name: str, description: str = "", hidden_membership: bool = False
) -> ClosedUserGroup:
    """Create a closed user group owned by the actor's organisation (which becomes a member)."""
    _require(actor, Perm.ACCOUNTS_GROUP_CREATE)
    if not name.strip() or len(name) > 120:
        raise InvalidInput.one("name", _("Give the group a name of 1 to 120 characters."))
    if ClosedUserGroup.objects.filter(name__iexact=name.strip()).exists():
        raise InvalidInput.one("name", _("A group with this name exists."))
    with transaction.atomic():
        group = ClosedUserGroup.objects.create(
            name=name.strip(),
            description=description,
            owner_id=actor.organisation_id,
            hidden_membership=hidden_membership,
        )
        GroupMembership.objects.create(group=group, organisation_id=actor.organisation_id)
        record_event(
            actor,
            EventTag.ACCOUNTS_GROUP_CREATED,
            obj=group,
            changes={"name": group.name, "hidden_membership": hidden_membership},
        )
    return group


def check_update_group(
    actor: Actor, group_id: Any, *, name: str, description: str, hidden_membership: bool
) -> ClosedUserGroup:
    """Rename a group, change its description or whether its membership is hidden."""
    group = _owned_group(actor, group_id)
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput.one("name", _("Give the group a name of 1 to 120 characters."))
    if ClosedUserGroup.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise InvalidInput.one("name", _("A group with this name exists."))
    before = {
        "name": group.name,
        "description": group.description,
        "hidden_membership": group.hidden_membership,
    }
    after = {"name": name, "description": description, "hidden_membership": hidden_membership}
    with transaction.atomic():
        ClosedUserGroup.objects.filter(pk=group.pk).update(**after)
        group.refresh_from_db()
        record_event(
            actor,
            EventTag.ACCOUNTS_GROUP_UPDATED,
            obj=group,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    return group


def check_add_member(
    actor: Actor, group_id: Any, *, organisation_id: Any = None, user_email: str = ""
) -> GroupMembership:
    """Add an organisation or a single user (by e-mail) to a group the actor's organisation owns."""
    group = _owned_group(actor, group_id)
    if bool(organisation_id) == bool(user_email):
        raise InvalidInput.one("member", _("Name either an organisation or a user, not both."))
    if organisation_id:
        org = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
        if org is None:
            raise InvalidInput.one("organisation_id", _("Unknown organisation."))
        if group.memberships.filter(organisation=org).exists():
            raise InvalidInput.one("organisation_id", _("Already a member."))
        member_kwargs: dict[str, Any] = {"organisation": org}
        label = org.name
    else:
        user = User.objects.filter(email__iexact=user_email.strip(), is_active=True).first()
        if user is None:
            raise InvalidInput.one("user_email", _("No active user has this e-mail."))
        if group.memberships.filter(user=user).exists():
            raise InvalidInput.one("user_email", _("Already a member."))
        member_kwargs = {"user": user}
        label = user.email
    with transaction.atomic():
        membership = GroupMembership.objects.create(group=group, **member_kwargs)
        record_event(
            actor, EventTag.ACCOUNTS_GROUP_MEMBER_ADDED, obj=group, changes={"member": label}
        )
    return membership


def do_remove_member(actor: Actor, group_id: Any, membership_id: Any) -> None:
    group = _owned_group(actor, group_id)
    membership = group.memberships.filter(pk=membership_id).first()
    if membership is None:
        raise NotFound
    if membership.organisation_id == group.owner_id:
        raise InvalidInput.one("member", _("The owner organisation cannot leave its own group."))
    label = membership.user.email if membership.user else str(membership.organisation)
    with transaction.atomic():
        membership.delete()
        record_event(
            actor, EventTag.ACCOUNTS_GROUP_MEMBER_REMOVED, obj=group, changes={"member": label}
        )
