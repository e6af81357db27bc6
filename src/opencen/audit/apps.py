from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opencen.audit"
    label = "audit"
    verbose_name = "Audit log"
