from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cicnet.search"
    label = "search"
