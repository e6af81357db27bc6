"""Targeting's rows of the permission matrix (pages and API).

Targeting data is national: French Customs' declarations, batches, profiles, lists and model
versions are seen by French holders of the permission; a holder in another organisation (the
secretariat holds every permission) gets 404, someone without the permission 403.
"""

from __future__ import annotations

from collections.abc import Callable

from opencen.accounts.models import User
from opencen.core.permissions import Perm
from opencen.targeting import profiles, services, training
from opencen.targeting.schemas import DeclarationIn
from tests.conftest import Cast
from tests.targeting.conftest import declaration, store_history, synthetic

Rule = Callable[[Cast, User], int]
VIEW = Perm.TARGETING_VIEW


def holds(*perms: Perm) -> Rule:
    def rule(cast: Cast, user: User) -> int:
        actor = cast.actor(user)
        return 200 if any(actor.can(p) for p in perms) else 403

    return rule


def french(*perms: Perm) -> Rule:
    """A French Customs object: 403 without the permission, 404 outside France."""

    def rule(cast: Cast, user: User) -> int:
        actor = cast.actor(user)
        if not any(actor.can(p) for p in perms):
            return 403
        return 200 if user.organisation_id == cast.fr.id else 404

    return rule


def _declaration(cast: Cast) -> str:
    row = DeclarationIn(**declaration(declaration_id="MATRIX-1")).to_row()
    return str(services.check_submit_declaration(cast.actor(cast.fr_targeting), row).declaration.pk)


def _batch(cast: Cast) -> str:
    row = DeclarationIn(**declaration(declaration_id="MATRIX-B")).to_row()
    return str(services.check_submit_batch(cast.actor(cast.fr_targeting), [row]).pk)


def _profile(cast: Cast) -> str:
    data = profiles.ProfileData(name="Matrix", expression='origin = "CN"', lane="yellow")
    return str(profiles.check_create_profile(cast.actor(cast.fr_targeting), data).pk)


def _list(cast: Cast) -> str:
    watch = profiles.check_save_list(
        cast.actor(cast.fr_targeting), name="matrix", kind="country", values=["CN"]
    )
    return str(watch.pk)


def _model(cast: Cast) -> str:
    store_history(cast.fr, synthetic(120, seed=11))
    return str(training.check_start_training(cast.actor(cast.fr_targeting)).pk)


PAGES: dict[str, Rule] = {
    "targeting:queue": holds(VIEW),
    "targeting:declarations": holds(VIEW),
    "targeting:declaration": french(VIEW),
    "targeting:upload": holds(Perm.TARGETING_DECLARATION_SUBMIT),
    "targeting:batch": french(VIEW, Perm.TARGETING_DECLARATION_SUBMIT),
    "targeting:performance": holds(VIEW),
    "targeting:profiles": holds(VIEW),
    "targeting:profile_create": holds(Perm.TARGETING_PROFILE_MANAGE),
    "targeting:profile": french(VIEW),
    "targeting:profile_edit": french(Perm.TARGETING_PROFILE_MANAGE),
    "targeting:list_create": holds(Perm.TARGETING_PROFILE_MANAGE),
    "targeting:list_edit": french(Perm.TARGETING_PROFILE_MANAGE),
    "targeting:models": holds(VIEW),
    "targeting:model": french(VIEW),
    "targeting:settings": holds(Perm.TARGETING_MODEL_MANAGE),
}
POST_ONLY = {
    "targeting:record_result",
    "targeting:profile_test",
    "targeting:profile_activate",
    "targeting:profile_deactivate",
    "targeting:check_rule",
    "targeting:train",
    "targeting:model_activate",
}
API_READS: dict[str, Rule] = {
    "/api/targeting/declarations": holds(VIEW),
    "/api/targeting/declarations/{decl_id}": french(VIEW),
    "/api/targeting/queue": holds(VIEW),
    "/api/targeting/batches/{decl_batch_id}": french(VIEW, Perm.TARGETING_DECLARATION_SUBMIT),
    "/api/targeting/profiles": holds(VIEW),
    "/api/targeting/profiles/{risk_profile_id}": french(VIEW),
    "/api/targeting/lists": holds(VIEW),
    "/api/targeting/lists/{watch_list_id}": french(VIEW),
    "/api/targeting/models": holds(VIEW),
    "/api/targeting/models/{model_version_id}": french(VIEW),
    "/api/targeting/settings": holds(VIEW),
    "/api/targeting/performance": holds(VIEW),
}
API_WRITES = {
    ("post", "/api/targeting/declarations"),
    ("post", "/api/targeting/declarations/batch"),
    ("post", "/api/targeting/declarations/{decl_id}/result"),
    ("post", "/api/targeting/uploads"),
    ("post", "/api/targeting/profiles"),
    ("post", "/api/targeting/profiles/check"),
    ("put", "/api/targeting/profiles/{risk_profile_id}"),
    ("post", "/api/targeting/profiles/{risk_profile_id}/test"),
    ("post", "/api/targeting/profiles/{risk_profile_id}/activate"),
    ("post", "/api/targeting/profiles/{risk_profile_id}/deactivate"),
    ("post", "/api/targeting/lists"),
    ("put", "/api/targeting/lists/{watch_list_id}"),
    ("post", "/api/targeting/models"),
    ("post", "/api/targeting/models/{model_version_id}/activate"),
    ("put", "/api/targeting/settings"),
}
WORLD_KWARGS: dict[str, str | Callable[[Cast], str]] = {
    "decl_id": _declaration,
    "decl_batch_id": _batch,
    "risk_profile_id": _profile,
    "watch_list_id": _list,
    "model_version_id": _model,
}
