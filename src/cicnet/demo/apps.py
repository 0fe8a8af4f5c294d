from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cicnet.demo"
    label = "demo"
