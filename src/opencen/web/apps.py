from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "opencen.web"
    label = "web"
    verbose_name = "Web"
