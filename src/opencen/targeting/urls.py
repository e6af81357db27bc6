"""Targeting pages, under ``/targeting/``."""

from django.urls import URLPattern, path

from opencen.targeting import model_views, profile_views, views

app_name = "targeting"
urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<uuid:decl_id>/", views.declaration_detail, name="declaration"),
    path("declarations/<uuid:decl_id>/result/", views.record_result, name="record_result"),
    path("upload/", views.upload, name="upload"),
    path("batches/<uuid:decl_batch_id>/", views.batch_detail, name="batch"),
    path("performance/", views.performance_page, name="performance"),
    path("profiles/", profile_views.profile_list, name="profiles"),
    path("profiles/new/", profile_views.profile_create, name="profile_create"),
    path("profiles/check/", profile_views.check_rule, name="check_rule"),
    path("profiles/<uuid:risk_profile_id>/", profile_views.profile_detail, name="profile"),
    path("profiles/<uuid:risk_profile_id>/edit/", profile_views.profile_edit, name="profile_edit"),
    path("profiles/<uuid:risk_profile_id>/test/", profile_views.profile_test, name="profile_test"),
    path(
        "profiles/<uuid:risk_profile_id>/activate/",
        profile_views.profile_activate,
        name="profile_activate",
    ),
    path(
        "profiles/<uuid:risk_profile_id>/deactivate/",
        profile_views.profile_deactivate,
        name="profile_deactivate",
    ),
    path("lists/new/", profile_views.list_create, name="list_create"),
    path("lists/<uuid:watch_list_id>/edit/", profile_views.list_edit, name="list_edit"),
    path("models/", model_views.model_list, name="models"),
    path("models/train/", model_views.train, name="train"),
    path("models/<uuid:model_version_id>/", model_views.model_detail, name="model"),
    path(
        "models/<uuid:model_version_id>/activate/",
        model_views.model_activate,
        name="model_activate",
    ),
    path("settings/", model_views.settings_page, name="settings"),
]
