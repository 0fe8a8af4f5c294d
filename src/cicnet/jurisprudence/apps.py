from django.apps import AppConfig


class JurisprudenceConfig(AppConfig):
    name = "cicnet.jurisprudence"
    label = "jurisprudence"
    verbose_name = "Jurisprudence database"
