"""Analytics pages, under ``/analytics/``."""

from django.urls import URLPattern, path

from opencen.analytics import report_views, views

app_name = "analytics"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    *[
        path(f"{key}/", views.analysis_page, {"view": key}, name=key)
        for key in ("trends", "routes", "modus", "hotspots", "significant", "quality")
    ],
    path("<slug:analysis>/csv/", views.csv_download, name="csv"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/new/", report_views.report_create, name="report_create"),
    path("reports/<uuid:report_id>/", report_views.report_detail, name="report"),
    path("reports/<uuid:report_id>/status/", report_views.report_status, name="report_status"),
    path("reports/<uuid:report_id>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("reports/<uuid:report_id>/html/", report_views.report_html, name="report_html"),
]
