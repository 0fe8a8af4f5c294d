from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "cicnet.server"
    label = "server"

    def ready(self) -> None:
        from cicnet.server import checks  # noqa: F401  # registers the deploy checks
