from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "cicnet.importers"
    label = "importers"
    verbose_name = "Importers from court databases"
    default_auto_field = "django.db.models.BigAutoField"
