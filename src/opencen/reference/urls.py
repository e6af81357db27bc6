"""Reference pages under ``/reference/``."""

from django.urls import path

from opencen.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("hs/", views.hs_index, name="hs"),
    path("hs/<str:hs_code>/", views.hs_detail, name="hs_detail"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:region_code>/", views.region_detail, name="region"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:country_code>/", views.country_detail, name="country"),
    path("places/", views.place_list, name="places"),
    path("places/<str:place_code>/", views.place_detail, name="place"),
    path("currencies/", views.currency_list, name="currencies"),
    path("units/", views.unit_list, name="units"),
    path("cites/", views.cites_list, name="cites"),
    path("import/", views.import_release, name="import"),
]
