from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "cicnet.evidence"
    label = "evidence"
    verbose_name = "Secure cooperation: submissions and the evidence vault"
