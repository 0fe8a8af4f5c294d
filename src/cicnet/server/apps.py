from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "cicnet.server"
    label = "server"
