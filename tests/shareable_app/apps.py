from django.apps import AppConfig


class ShareableAppConfig(AppConfig):
    name = "tests.shareable_app"
    label = "shareable_app"
