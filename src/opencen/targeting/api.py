"""Targeting API: submit declarations (one, a batch, a file), results, profiles, models.

Every route reads or writes the caller's own administration's data only; another
administration's declaration, profile, list, batch or model answers 404.
"""

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from opencen.core.actors import Actor
from opencen.core.errors import Forbidden, InvalidInput
from opencen.core.http import actor_of, require
from opencen.core.permissions import Perm
from opencen.targeting import profiles, selectors, serializers, services, training
from opencen.targeting.models import Declaration
from opencen.targeting.performance import performance
from opencen.targeting.schemas import (
    DeclarationBatchOut,
    DeclarationBatchScoredOut,
    DeclarationIn,
    DeclarationOut,
    ExaminationResultIn,
    ModelTrainIn,
    ModelVersionOut,
    PerformanceOut,
    RiskProfileIn,
    RiskProfileOut,
    RiskProfileTestOut,
    RuleCheckIn,
    RuleCheckOut,
    ScoredOut,
    SelectionSettingsIn,
    SelectionSettingsOut,
    TargetingPeriodIn,
    TargetingWatchListIn,
    TargetingWatchListOut,
    UploadErrorsOut,
)
from opencen.targeting.uploads import UploadRejected, detect_format, read_upload

router = Router(tags=["targeting"])


def _any(request: HttpRequest, *perms: Perm) -> Actor:
    actor = actor_of(request)
    if not any(actor.can(p) for p in perms):
        raise Forbidden(perms[0])
    return actor


class _Page:
    """Serialise only the page the paginator slices out."""

    def __init__(self, qs: QuerySet[Declaration], actor: Actor) -> None:
        self.qs, self.actor = qs, actor

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return serializers.declaration_dicts(self.qs[item], self.actor)


# --- declarations --------------------------------------------------------------------------


@router.post(
    "/declarations",
    response={201: ScoredOut},
    summary="Score one declaration",
    description="Stores the declaration and answers its score, lane and explanation (top "
    "feature contributions and the profiles that matched). Without an active model, profiles "
    "and the random control share still apply and `notes` says so.",
)
def submit_declaration(request: HttpRequest, payload: DeclarationIn) -> Status[object]:
    actor = require(request, Perm.TARGETING_DECLARATION_SUBMIT)
    scored = services.check_submit_declaration(actor, payload.to_row())
    declaration = scored.declaration
    context = serializers.Context(
        {p.id: vars(p) for p in scored.profiles},
        {declaration.model_version_id: scored.model_number} if scored.model_number else {},
    )
    data = serializers.declaration_dict(declaration, context)
    data["notes"] = [_(note) for note in scored.notes]
    return Status(201, data)


@router.post(
    "/declarations/batch",
    response={201: DeclarationBatchScoredOut},
    summary="Score a list of declarations, all or none",
    description="Up to 10,000 declarations. Errors name the item: `[3].hs`. Batches from "
    "`min_batch` (see settings) are selected exactly against the lane budgets.",
)
def submit_batch(request: HttpRequest, payload: list[DeclarationIn]) -> Status[object]:
    actor = require(request, Perm.TARGETING_DECLARATION_SUBMIT)
    batch = services.check_submit_batch(actor, [item.to_row() for item in payload])
    items = list(batch.declarations.order_by("created_at", "reference"))
    by_ref = {d.reference: d for d in items}
    ordered = [by_ref[item.declaration_id] for item in payload]
    return Status(201, serializers.batch_dict(batch, ordered))


@router.post(
    "/uploads",
    response={201: DeclarationBatchOut, 202: DeclarationBatchOut, 422: UploadErrorsOut},
    summary="Upload a CSV or Parquet file of declarations",
    description="Columns of the engine schema. The file is stored whole or not at all; a "
    "refused file answers 422 with each problem's row (1 = first data row), field and reason. "
    "With `history=true` the file is examined history (with `result`, `revenue`, "
    "`result_date`), stored for training, not scored. Large files are scored in the "
    "background (202: poll the batch).",
)
def upload(
    request: HttpRequest, file: File[UploadedFile], history: Form[bool] = False
) -> Status[object]:
    actor = require(request, Perm.TARGETING_DECLARATION_SUBMIT)
    try:
        name = file.name or ""
        frame = read_upload(file, name, history=history, size=file.size)
        batch = services.check_upload(
            actor, frame, name=name, fmt=detect_format(name), history=history
        )
    except UploadRejected as exc:
        return Status(
            422,
            {
                "detail": _("The file was refused; nothing was stored."),
                "errors": [e.to_dict() for e in exc.errors],
            },
        )
    return Status(202 if services.in_background(frame) else 201, serializers.batch_dict(batch))


@router.get(
    "/batches/{decl_batch_id}", response=DeclarationBatchOut, summary="A batch and its lanes"
)
def get_batch(request: HttpRequest, decl_batch_id: uuid.UUID) -> object:
    actor = _any(request, Perm.TARGETING_VIEW, Perm.TARGETING_DECLARATION_SUBMIT)
    return serializers.batch_dict(selectors.access_batch(actor, decl_batch_id))


@router.get("/declarations", response=list[DeclarationOut], summary="Search declarations")
@paginate(LimitOffsetPagination)
def list_declarations(
    request: HttpRequest,
    lane: str = "",
    selected_by: str = "",
    examined: bool | None = None,
    q: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    flt = selectors.DeclarationFilter(
        lane=lane,
        selected_by=selected_by,
        examined=examined,
        date_from=date_from,
        date_to=date_to,
        q=q,
    )
    return _Page(selectors.search_declarations(actor, flt), actor)


@router.get("/queue", response=list[DeclarationOut], summary="The selection queue")
@paginate(LimitOffsetPagination)
def queue(request: HttpRequest, lane: str = "") -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    return _Page(selectors.queue(actor, lane), actor)


@router.get("/declarations/{decl_id}", response=DeclarationOut, summary="One declaration")
def get_declaration(request: HttpRequest, decl_id: uuid.UUID) -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    declaration = selectors.access_declaration(actor, decl_id)
    return serializers.declaration_dict(declaration, serializers.Context.of(actor))


@router.post(
    "/declarations/{decl_id}/result",
    response=DeclarationOut,
    summary="Record an examination result",
    description="Fraud, no fraud or critical, with the additional revenue; it feeds the next "
    "model version and the performance figures.",
)
def record_result(request: HttpRequest, decl_id: uuid.UUID, payload: ExaminationResultIn) -> object:
    actor = require(request, Perm.TARGETING_RESULT_RECORD)
    declaration = services.check_record_result(
        actor,
        decl_id,
        result=payload.code(),
        revenue=payload.revenue,
        result_date=payload.result_date,
        note=payload.note,
    )
    return serializers.declaration_dict(declaration, serializers.Context.of(actor))


# --- profiles and lists -------------------------------------------------------------------


def _profile_data(payload: RiskProfileIn) -> profiles.ProfileData:
    return profiles.ProfileData(**payload.dict())


@router.get("/profiles", response=list[RiskProfileOut], summary="Risk profiles")
def list_profiles(request: HttpRequest) -> object:
    return list(selectors.profiles(require(request, Perm.TARGETING_VIEW)))


@router.post("/profiles", response={201: RiskProfileOut}, summary="Write a profile (inactive)")
def create_profile(request: HttpRequest, payload: RiskProfileIn) -> Status[object]:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return Status(201, profiles.check_create_profile(actor, _profile_data(payload)))


@router.post(
    "/profiles/check",
    response=RuleCheckOut,
    summary="Check a rule",
    description="Compiles a rule against your watch lists; a bad rule answers 422 with the "
    "column (`start`, 0-based) and the reason.",
)
def check_rule(request: HttpRequest, payload: RuleCheckIn) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    from opencen.engine.rules import RuleError, compile_rule

    try:
        rule = compile_rule(payload.expression, lists=profiles.lists_of(actor.organisation_id))
    except RuleError as exc:
        raise InvalidInput(profiles.rule_error(exc)) from None
    return {"ok": True, "columns": sorted(rule.columns), "lists": sorted(rule.lists)}


@router.get("/profiles/{risk_profile_id}", response=RiskProfileOut, summary="One profile")
def get_profile(request: HttpRequest, risk_profile_id: uuid.UUID) -> object:
    return selectors.access_profile(require(request, Perm.TARGETING_VIEW), risk_profile_id)


@router.put("/profiles/{risk_profile_id}", response=RiskProfileOut, summary="Change a profile")
def update_profile(
    request: HttpRequest, risk_profile_id: uuid.UUID, payload: RiskProfileIn
) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return profiles.check_update_profile(actor, risk_profile_id, _profile_data(payload))


@router.post(
    "/profiles/{risk_profile_id}/test",
    response=RiskProfileTestOut,
    summary="Test a profile over the stored history",
    description="How many stored declarations of the period (default: the last 365 days) it "
    "would have hit, their hit rate among the examined ones, revenue and lift over random.",
)
def test_profile(
    request: HttpRequest, risk_profile_id: uuid.UUID, payload: TargetingPeriodIn
) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return profiles.check_test_profile(
        actor, risk_profile_id, date_from=payload.date_from, date_to=payload.date_to
    )


@router.post("/profiles/{risk_profile_id}/activate", response=RiskProfileOut, summary="Activate")
def activate_profile(request: HttpRequest, risk_profile_id: uuid.UUID) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return profiles.do_set_profile_active(actor, risk_profile_id, True)


@router.post(
    "/profiles/{risk_profile_id}/deactivate", response=RiskProfileOut, summary="Deactivate"
)
def deactivate_profile(request: HttpRequest, risk_profile_id: uuid.UUID) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return profiles.do_set_profile_active(actor, risk_profile_id, False)


@router.get("/lists", response=list[TargetingWatchListOut], summary="Watch lists")
def list_lists(request: HttpRequest) -> object:
    return list(selectors.watch_lists(require(request, Perm.TARGETING_VIEW)))


@router.post("/lists", response={201: TargetingWatchListOut}, summary="Create a watch list")
def create_list(request: HttpRequest, payload: TargetingWatchListIn) -> Status[object]:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return Status(201, profiles.check_save_list(actor, **payload.dict()))


@router.get("/lists/{watch_list_id}", response=TargetingWatchListOut, summary="One watch list")
def get_list(request: HttpRequest, watch_list_id: uuid.UUID) -> object:
    return selectors.access_list(require(request, Perm.TARGETING_VIEW), watch_list_id)


@router.put(
    "/lists/{watch_list_id}", response=TargetingWatchListOut, summary="Replace a watch list"
)
def update_list(
    request: HttpRequest, watch_list_id: uuid.UUID, payload: TargetingWatchListIn
) -> object:
    actor = require(request, Perm.TARGETING_PROFILE_MANAGE)
    return profiles.check_save_list(actor, list_id=watch_list_id, **payload.dict())


# --- models, settings, performance ---------------------------------------------------------


@router.get("/models", response=list[ModelVersionOut], summary="Model versions")
def list_models(request: HttpRequest) -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    active = selectors.active_model_id(actor)
    return [serializers.version_dict(v, active) for v in selectors.model_versions(actor)]


@router.post(
    "/models",
    response={202: ModelVersionOut},
    summary="Train a new model version",
    description="On the examined declarations of the window, in the background; poll the "
    "version. Needs at least 50 examined declarations with both outcomes.",
)
def train(request: HttpRequest, payload: ModelTrainIn) -> Status[object]:
    actor = require(request, Perm.TARGETING_MODEL_MANAGE)
    version = training.check_start_training(
        actor,
        window_from=payload.window_from,
        window_until=payload.window_until,
        activate=payload.activate,
    )
    return Status(202, serializers.version_dict(version, selectors.active_model_id(actor)))


@router.get("/models/{model_version_id}", response=ModelVersionOut, summary="One model version")
def get_model(request: HttpRequest, model_version_id: uuid.UUID) -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    version = selectors.access_model(actor, model_version_id)
    return serializers.version_dict(version, selectors.active_model_id(actor))


@router.post(
    "/models/{model_version_id}/activate", response=ModelVersionOut, summary="Activate a version"
)
def activate_model(request: HttpRequest, model_version_id: uuid.UUID) -> object:
    actor = require(request, Perm.TARGETING_MODEL_MANAGE)
    version = training.do_activate_model(actor, model_version_id)
    return serializers.version_dict(version, version.pk)


@router.get("/settings", response=SelectionSettingsOut, summary="Lane budgets and control share")
def get_settings(request: HttpRequest) -> object:
    return serializers.settings_dict(require(request, Perm.TARGETING_VIEW))


@router.put(
    "/settings", response=SelectionSettingsOut, summary="Change lane budgets and control share"
)
def update_settings(request: HttpRequest, payload: SelectionSettingsIn) -> object:
    actor = require(request, Perm.TARGETING_MODEL_MANAGE)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    services.check_update_settings(actor, values)
    return serializers.settings_dict(actor)


@router.get(
    "/performance",
    response=PerformanceOut,
    summary="Hits, hit rate, revenue and lift per profile and for the model",
    description="Over the examined declarations of the period, in all and per month.",
)
def get_performance(request: HttpRequest, period: Query[TargetingPeriodIn]) -> object:
    actor = require(request, Perm.TARGETING_VIEW)
    result = performance(actor.organisation_id, date_from=period.date_from, date_to=period.date_to)
    return serializers.performance_dict(result, selectors.profile_names(actor))
