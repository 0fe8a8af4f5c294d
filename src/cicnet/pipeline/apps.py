from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "cicnet.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
