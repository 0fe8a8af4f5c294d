from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "cicnet.alerts"
    label = "alerts"
    verbose_name = "Alerts and feeds"
