from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "cicnet.network"
    label = "network"
    verbose_name = "Networks: members, meetings, documents"
