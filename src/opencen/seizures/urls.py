"""Pages of the enforcement database, under ``/cases/``."""

from django.urls import URLPattern, path

from opencen.seizures import views, views_transfer

app_name = "seizures"
urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("area-fields/", views.area_fields, name="area_fields"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/submit/", views.submit_case, name="submit"),
    path("<uuid:case_id>/validate/", views.validate_case, name="validate"),
    path("<uuid:case_id>/withdraw/", views.withdraw_case, name="withdraw"),
    path("export/", views_transfer.export_view, name="export"),
    path("import/", views_transfer.import_view, name="import"),
    path("import/<uuid:job_id>/", views_transfer.import_job_view, name="import_job"),
    path(
        "import/templates/<slug:area>.<slug:fmt>",
        views_transfer.template_view,
        name="import_template",
    ),
]
