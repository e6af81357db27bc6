"""URL map: pages, the API under /api/, language switching under /i18n/."""

from django.urls import include, path

from opencen.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reference/", include("opencen.reference.urls")),
    path("audit/", include("opencen.audit.urls")),
    path("cases/", include("opencen.seizures.urls")),
    path("analytics/", include("opencen.analytics.urls")),
    path("targeting/", include("opencen.targeting.urls")),
    path("", include("opencen.accounts.urls")),
    path("", include("opencen.web.urls")),
]
