from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "cicnet.citations"
    label = "citations"
    verbose_name = "Citations"
