from django.apps import AppConfig


class AnonymisationConfig(AppConfig):
    name = "cicnet.anonymisation"
    label = "anonymisation"
