from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "opencen.targeting"
    label = "targeting"
    verbose_name = "Risk targeting"
