from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cicnet.insights"
    label = "insights"
    verbose_name = "Statistics"
