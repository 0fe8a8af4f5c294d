from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "cicnet.law"
    label = "law"
    verbose_name = "Law: crimes, Rome Statute, national provisions"
