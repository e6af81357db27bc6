from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opencen.core"
    label = "core"
    verbose_name = "Core"
