from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "opencen.reference"
    label = "reference"
    verbose_name = "Reference data"
