from django.apps import AppConfig


class SeizuresConfig(AppConfig):
    name = "opencen.seizures"
    label = "seizures"
    verbose_name = "Enforcement database"
