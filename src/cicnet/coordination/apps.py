from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "cicnet.coordination"
    label = "coordination"
    verbose_name = "Case coordination"
