from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cicnet.audit"
    label = "audit"
    verbose_name = "Audit log"
