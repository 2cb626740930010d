from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kyosai.core"
    label = "core"
    verbose_name = "共通"
