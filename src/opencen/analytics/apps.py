from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "opencen.analytics"
    label = "analytics"
    verbose_name = "Analytics"
