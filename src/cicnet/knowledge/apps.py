from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cicnet.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge: universal jurisdiction, survivors' guides, the network's knowledge"
    default_auto_field = "django.db.models.BigAutoField"
